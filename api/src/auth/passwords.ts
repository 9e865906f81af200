import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { ServiceUnavailableError } from '../core/errors';

const rawScrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/**
 * Every scrypt in the process passes this gate: a few at once (each takes
 * 32 MiB and a thread of libuv's pool of 4), a bounded queue behind them,
 * and beyond that a quick refusal, so a crowd of sign-ins can neither
 * exhaust memory nor starve other work.
 */
export const SCRYPT_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));
export const SCRYPT_QUEUE = 32;
let running = 0;
const waiting: (() => void)[] = [];
let checks = 0;

async function scrypt(password: string, salt: Buffer, keylen: number, options: object): Promise<Buffer> {
  if (running >= SCRYPT_CONCURRENCY) {
    if (waiting.length >= SCRYPT_QUEUE)
      throw new ServiceUnavailableError('Too many sign-ins at once; retry in a few seconds.');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await rawScrypt(password, salt, keylen, options);
  } finally {
    // The slot passes straight to the next in line (running stays the same), or is freed.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Password checks run by this process (tests count them to prove attempts are limited before the check). */
export const passwordChecks = (): number => checks;

// scrypt (memory-hard): N=2^15, r=8, p=1 needs 32 MiB per hash.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  checks++;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return timingSafeEqual(actual, expected);
}

/** A password for the first admin when none was configured: 24 characters, shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
