import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook delivery is signed, like Stripe's and Standard Webhooks'
 * schemes: `ICP-Webhook-Signature: v1=<hex HMAC-SHA256>` over
 * `<timestamp>.<raw body>` with the webhook's secret (the whole `whsec_…`
 * string as UTF-8), `ICP-Webhook-Timestamp` in Unix seconds. A receiver
 * recomputes it over the bytes it received, compares in constant time and
 * refuses a timestamp too far from its clock (a replayed delivery). Pure: the
 * delivery worker, the tests and a receiver written in Node share it.
 */
export const SIGNATURE_HEADER = 'icp-webhook-signature';
export const TIMESTAMP_HEADER = 'icp-webhook-timestamp';
export const EVENT_HEADER = 'icp-webhook-event';
export const ID_HEADER = 'icp-webhook-id';
/** How far a delivery's timestamp may be from the receiver's clock, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyInput {
  secret: string;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string;
  /** The ICP-Webhook-Timestamp header. */
  timestamp: string | undefined;
  /** The ICP-Webhook-Signature header: one or more `v1=<hex>`, comma-separated. */
  signature: string | undefined;
  toleranceSeconds?: number;
  /** Now, in milliseconds (tests). */
  now?: number;
}

/** Why a delivery's signature does not hold, or null when it does. */
export function webhookSignatureProblem(input: VerifyInput): string | null {
  const { secret, body, timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'the timestamp header is missing or not a number';
  if (!signature) return 'the signature header is missing';
  const age = Math.abs((input.now ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS))
    return `the timestamp is ${Math.round(age)} s away from now: too old (a replay?) or a wrong clock`;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const matches = signature
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return matches ? null : 'the signature does not match the body';
}

export function verifyWebhookSignature(input: VerifyInput): boolean {
  return webhookSignatureProblem(input) === null;
}
