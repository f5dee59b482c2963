import type { Branding } from '@heed/contracts';
/**
 * The survey link's token: `<payload>.<mac>`, both base64url. The payload names the tenant, the
 * ticket, the survey cycle, when the link expires and the language the survey was written in;
 * the MAC (HMAC-SHA256, computed by a key Heed keeps: KMS in AWS) binds them, so a changed
 * character, or one ticket's payload with another's MAC, fails verification.
 */
export interface FeedbackClaims {
  readonly tenantId: string;
  readonly ticketId: string;
  readonly cycle: number;
  readonly expiresAt: Date;
  readonly locale: string;
  /** The tenant's branding when the survey was sent (signed with the rest: the page shows it). */
  readonly brand?: Branding;
}

const VERSION = 1;

export const feedbackPayload = (claims: FeedbackClaims): string =>
  Buffer.from(
    JSON.stringify([
      VERSION,
      claims.tenantId,
      claims.ticketId,
      claims.cycle,
      Math.floor(claims.expiresAt.getTime() / 1000),
      claims.locale,
      // Only what is set: a link stays as short as it was for a tenant without branding.
      ...(claims.brand && Object.keys(claims.brand).length > 0
        ? [[claims.brand.name ?? null, claims.brand.color ?? null, claims.brand.logoUrl ?? null]]
        : []),
    ]),
    'utf8',
  ).toString('base64url');

export const feedbackToken = (payload: string, mac: Uint8Array): string =>
  `${payload}.${Buffer.from(mac).toString('base64url')}`;

const B64URL = /^[A-Za-z0-9_-]+$/;

/** The payload and MAC of a token, or null when it is not shaped like one. */
export const splitFeedbackToken = (token: string): { payload: string; mac: Uint8Array } | null => {
  if (token.length > 2048) return null;
  const [payload, mac, ...rest] = token.split('.');
  if (!payload || !mac || rest.length > 0 || !B64URL.test(payload) || !B64URL.test(mac)) return null;
  return { payload, mac: Buffer.from(mac, 'base64url') };
};

/** The claims of a payload whose MAC was verified; null when it does not read as one. */
export const readFeedbackClaims = (payload: string): FeedbackClaims | null => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || (value.length !== 6 && value.length !== 7) || value[0] !== VERSION)
    return null;
  const [, tenantId, ticketId, cycle, expires, locale, brand] = value as unknown[];
  if (
    typeof tenantId !== 'string' ||
    typeof ticketId !== 'string' ||
    typeof locale !== 'string' ||
    !Number.isSafeInteger(cycle) ||
    !Number.isSafeInteger(expires) ||
    (value.length === 7 && !Array.isArray(brand))
  )
    return null;
  return {
    tenantId,
    ticketId,
    cycle: cycle as number,
    expiresAt: new Date((expires as number) * 1000),
    locale,
    ...(Array.isArray(brand) && { brand: brandOf(brand) }),
  };
};

/** The signed brand triple back as branding (anything not a string is left out). */
const brandOf = ([name, color, logoUrl]: unknown[]): Branding => ({
  ...(typeof name === 'string' && { name }),
  ...(typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) && { color }),
  ...(typeof logoUrl === 'string' && logoUrl.startsWith('https://') && { logoUrl }),
});
