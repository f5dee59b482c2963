import { createHash } from 'node:crypto';

// Crockford base32 without I, L, O, U: unambiguous when read aloud or typed from an email.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The human ticket reference quoted to customers ("HD-7K2M9QXA"). Derived from tenant and ticket
 * id, so every service computes the same one without a lookup.
 */
export const ticketReference = (tenantId: string, ticketId: string): string => {
  const digest = createHash('sha256').update(`${tenantId}\u0000${ticketId}`).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += ALPHABET[(digest[i] ?? 0) % 32];
  return `HD-${out}`;
};
