import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { DataSource } from 'typeorm';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** Sign-in limits; the defaults are what production runs with. */
export interface SignInLimits {
  /** Attempts per (account, address) before waits begin. */
  freeAttempts: number;
  /** The first wait after the free attempts; each further attempt doubles it, up to `maxWaitSeconds`. */
  firstWaitSeconds: number;
  maxWaitSeconds: number;
  /** How long an (account, address) pair's history is remembered from its first attempt. */
  pairWindowSeconds: number;
  /** Attempts per address across all accounts (password spraying). */
  perAddress: number;
  perAddressWindowSeconds: number;
  /** Attempts per account across all addresses except those it signed in from lately. */
  perAccount: number;
  perAccountWindowSeconds: number;
  /** How long a successful sign-in makes an address "known" for that account. */
  knownAddressSeconds: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  freeAttempts: 5,
  firstWaitSeconds: 30,
  maxWaitSeconds: 15 * 60,
  pairWindowSeconds: 60 * 60,
  perAddress: 30,
  perAddressWindowSeconds: 15 * 60,
  perAccount: 100,
  perAccountWindowSeconds: 60 * 60,
  knownAddressSeconds: 30 * 24 * 60 * 60,
};

/** An attempt refused before its password was checked; `retryAfter` in seconds. */
export class SignInRefused extends Error {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

// Fixed-length keys: the table's key is bounded, and no email is stored in clear.
const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url');

/** IPv6 clients hold whole /64 networks: they are limited as one address. */
export function addressKey(address: string): string {
  if (!isIPv6(address) || address.startsWith('::ffff:')) return address.replace(/^::ffff:/, '');
  const [head, tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Sign-in attempts, counted in PostgreSQL before any password is checked:
 * each count is one atomic upsert, so concurrent attempts cannot all slip
 * under a limit, every API process shares the counts, and the process keeps
 * nothing per attempt (a flood of distinct emails costs rows that expire,
 * not memory). Three limits, consumed in order:
 * - per address across accounts (password spraying);
 * - per (account, address): a few free attempts, then one attempt per
 *   doubling wait (a gate only one attempt can take). This is the lock-out,
 *   and it binds only the address that guessed;
 * - per account across addresses, high, and skipped for addresses the
 *   account signed in from lately, so no stranger can lock its owner out.
 */
export class SignInLimiter {
  private readonly address: RateLimiterPostgres;
  private readonly free: RateLimiterPostgres;
  private readonly gate: RateLimiterPostgres;
  private readonly strikes: RateLimiterPostgres;
  private readonly account: RateLimiterPostgres;
  private readonly known: RateLimiterPostgres;

  constructor(
    ds: DataSource,
    readonly limits: SignInLimits = SIGN_IN_LIMITS,
  ) {
    const store = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterPostgres({
        storeClient: ds,
        storeType: 'typeorm',
        tableName: 'sign_in_attempt',
        tableCreated: true,
        keyPrefix,
        points,
        duration,
        // One of the six sweeps the shared table for expired rows (every 5 minutes).
        clearExpiredByTimeout: keyPrefix === 'address',
      });
    this.address = store('address', limits.perAddress, limits.perAddressWindowSeconds);
    this.free = store('free', limits.freeAttempts, limits.pairWindowSeconds);
    this.gate = store('gate', 1, limits.maxWaitSeconds);
    this.strikes = store('strikes', 1_000_000, limits.pairWindowSeconds);
    this.account = store('account', limits.perAccount, limits.perAccountWindowSeconds);
    this.known = store('known', 1, limits.knownAddressSeconds);
  }

  private wait(strike: number): number {
    return Math.min(this.limits.maxWaitSeconds, this.limits.firstWaitSeconds * 2 ** strike);
  }

  /** Counts an attempt; throws SignInRefused when it may not go on to the password check. */
  async consume(email: string, clientAddress: string): Promise<void> {
    const address = addressKey(clientAddress);
    const pair = digest(email, address);
    await refuseOver(this.address.consume(digest(address)), 'Too many sign-in attempts from this address');
    const free = await this.free.consume(pair).catch((e: unknown) => rejection(e));
    if (free.consumedPoints === this.limits.freeAttempts) {
      // The last free attempt closes the gate: the next one waits.
      await this.gate.penalty(pair, 1, { customDuration: this.wait(0) });
    } else if (free.consumedPoints > this.limits.freeAttempts) {
      const strike = (await this.strikes.get(pair))?.consumedPoints ?? 0;
      // Only the attempt that finds the gate open takes it; it closes the gate for a doubled wait.
      const taken = await this.gate.penalty(pair, 1, { customDuration: this.wait(strike + 1) });
      if (taken.consumedPoints !== 1)
        throw new SignInRefused(
          'Too many failed sign-ins for this account from this address',
          seconds(taken.msBeforeNext),
        );
      await this.strikes.penalty(pair);
    }
    if (!(await this.known.get(pair)))
      await refuseOver(this.account.consume(digest(email)), 'Too many sign-in attempts for this account');
  }

  /** A correct password: this address starts afresh for the account and is known to it. */
  async succeeded(email: string, clientAddress: string): Promise<void> {
    const address = addressKey(clientAddress);
    const pair = digest(email, address);
    await Promise.all([
      this.free.delete(pair),
      this.gate.delete(pair),
      this.strikes.delete(pair),
      this.known.set(pair, 1, this.limits.knownAddressSeconds),
      this.address.reward(digest(address)),
    ]);
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A store error is thrown on; a refusal (RateLimiterRes) is returned, as over the limit. */
function rejection(e: unknown): RateLimiterRes {
  if (e instanceof RateLimiterRes) return e;
  throw e;
}

async function refuseOver(consumed: Promise<RateLimiterRes>, message: string): Promise<void> {
  try {
    await consumed;
  } catch (e) {
    throw new SignInRefused(message, seconds(rejection(e).msBeforeNext));
  }
}
