import { hash, randomBytes } from 'node:crypto';

/**
 * Session tokens (signed JWTs, HS256, from `jose`) and API keys. jose is
 * ESM-only: loaded once with a dynamic import before the server starts.
 */
type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
let jose: Jose | undefined;
export async function loadJose(): Promise<void> {
  jose ??= await import('jose');
}

export const TOKEN_TTL_SECONDS = 60 * 60;
const ISSUER = 'icp-registry';

export interface TokenClaims {
  sub: string;
  email: string;
  /** The user's session epoch when signed in: a password or role change bumps it, ending older tokens. */
  sep: number;
}

export async function signToken(secret: Uint8Array, claims: TokenClaims): Promise<string> {
  return new jose!.SignJWT({ email: claims.email, sep: claims.sep })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
    .sign(secret);
}

/** The claims of a valid, unexpired token; null otherwise. */
export async function verifyToken(secret: Uint8Array, token: string): Promise<TokenClaims | null> {
  try {
    const { payload } = await jose!.jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
    const { sub, email, sep } = payload;
    return typeof sub === 'string' && typeof email === 'string' && Number.isInteger(sep)
      ? { sub, email, sep: sep as number }
      : null;
  } catch {
    return null;
  }
}

export const API_KEY_PREFIX = 'icpk_';

/** A new API key: 256 random bits. Only its SHA-256 is stored. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashSecretToken(key), prefix: key.slice(0, API_KEY_PREFIX.length + 6) };
}

/**
 * What is stored of a random bearer secret (API keys, invitation tokens):
 * its SHA-256 (256 random bits need no slow hash). The one-shot hash: no
 * Hash object per request (keys are checked on every request).
 */
export function hashSecretToken(token: string): string {
  return hash('sha256', token, 'hex');
}
