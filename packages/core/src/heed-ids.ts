import { createHash } from 'node:crypto';
import { HEED_EVENT_ID_PREFIX } from '@heed/contracts';

/**
 * The id of an event Heed appends to a ticket's log (an SLA step's priority raise, a follow-up's
 * auto-close): deterministic, so the same decision made twice is one event (the write path
 * dedupes on it), and unique per tenant, so it carries a 100-bit hash of the ticket.
 */
export const heedEventId = (ticketId: string, ...parts: readonly (string | number)[]): string => {
  const ticket = createHash('sha256').update(ticketId).digest('base64url').slice(0, 17);
  return `${HEED_EVENT_ID_PREFIX}${ticket}:${parts.join(':')}`;
};
