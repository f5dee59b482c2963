import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. Every delivery carries
 *   Heed-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * Receivers recompute the HMAC over the raw body, compare in constant time and reject
 * timestamps older than their tolerance (replays).
 */
export const SIGNATURE_HEADER = 'heed-signature';

/**
 * Heed-Signature (Stripe's scheme, so `stripe.webhooks.signature.verifyHeader` accepts it): one
 * `v1=` per active secret, the newest first, during a rotation.
 */
export const sign = (secrets: string | readonly string[], timestampSeconds: number, body: string): string =>
  [
    `t=${timestampSeconds}`,
    ...(typeof secrets === 'string' ? [secrets] : secrets).map(
      (secret) => `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`,
    ),
  ].join(',');

const STANDARD_PREFIX = 'whsec_';

/**
 * The Standard Webhooks key of a secret: a `whsec_<base64>` secret is those bytes (what the
 * `standardwebhooks` libraries expect); any other secret is its UTF-8 bytes (verify it there with
 * the raw key).
 */
export const standardKey = (secret: string): Buffer =>
  secret.startsWith(STANDARD_PREFIX)
    ? Buffer.from(secret.slice(STANDARD_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');

/**
 * The Standard Webhooks headers (https://www.standardwebhooks.com): `webhook-id` (the delivery
 * id, the same on every retry), `webhook-timestamp` (seconds) and `webhook-signature`: `v1,<base64
 * HMAC-SHA256 of "<id>.<timestamp>.<body>">` per active secret, space-separated.
 */
export const standardHeaders = (
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestampSeconds),
  'webhook-signature': secrets
    .map(
      (secret) =>
        `v1,${createHmac('sha256', standardKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`,
    )
    .join(' '),
});

/** A new webhook secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `${STANDARD_PREFIX}${randomBytes(32).toString('base64')}`;

export type Verification = { ok: true } | { ok: false; reason: string };

export const verify = (
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Verification => {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isInteger(t) || !v1) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds)
    return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(v1);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
};
