import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A webhook's secret is needed in clear to sign deliveries, so it cannot be
 * hashed like an API key: it is kept sealed (AES-256-GCM) under a key derived
 * from the server's secret (AUTH_SECRET), so a database dump or a reader of
 * the table learns nothing. Only the service that creates it and the
 * delivery worker open it; no GraphQL field or revision carries it.
 */
const VERSION = 'v1';

function keyOf(serverSecret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'icp-webhook-secret', 'webhook secrets v1', 32));
}

export function sealSecret(serverSecret: Uint8Array, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(serverSecret), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), sealed]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The secret, or an error saying why it cannot be read (e.g. AUTH_SECRET changed since it was sealed). */
export function openSecret(serverSecret: Uint8Array, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !data) throw new Error('the webhook secret is stored in an unknown format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(serverSecret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(
      'the webhook secret cannot be opened: AUTH_SECRET changed since it was created; delete the webhook and create it again',
    );
  }
}

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): { secret: string; prefix: string } {
  const secret = WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, WEBHOOK_SECRET_PREFIX.length + 4) };
}
