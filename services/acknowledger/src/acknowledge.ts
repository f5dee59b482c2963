import type { ConfigSource, DynamoDeliveryStore, TicketStorePort } from '@heed/aws';
import type { DomainEvent } from '@heed/contracts';
import {
  type AckRecord,
  type Clock,
  deliveryRequested,
  messageContentOf,
  type NewDelivery,
  newDeliveryId,
  recipientOf,
  renderAcknowledgement,
  repliedSince,
  responsePromise,
  type TicketState,
} from '@heed/core';

export interface AcknowledgeDeps {
  readonly tickets: Pick<TicketStorePort, 'get'>;
  readonly configs: ConfigSource;
  readonly deliveries: Pick<DynamoDeliveryStore, 'claim'>;
  readonly clock: Clock;
}

export type AcknowledgeOutcome =
  | { readonly outcome: 'requested'; readonly deliveryId: string }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'ignored' };

export class TicketNotReadyError extends Error {
  override readonly name = 'TicketNotReadyError';
}

/** Statuses in which a ticket still waits for a person (an acknowledgement makes sense). */
const WAITING = ['open', 'pending', 'on_hold'] as const;

/** Why no acknowledgement is needed, or null when one is. */
const skipReason = (
  ticket: TicketState,
  openingKey: string,
  since: string,
  enabled: boolean,
): string | null => {
  if (!enabled) return 'acknowledgements are disabled for this tenant';
  if (ticket.createdBy === 'agent' && openingKey === 'open') return 'the ticket was created by an agent';
  if (ticket.opening?.key !== openingKey) return 'a later opening superseded this one';
  if (!(WAITING as readonly string[]).includes(ticket.status)) return `the ticket is ${ticket.status} again`;
  if (repliedSince(ticket, openingKey === 'open' ? null : since))
    return openingKey === 'open'
      ? 'an agent replied before the acknowledgement'
      : 'an agent replied after the reopen';
  return null;
};

/**
 * Acknowledges one opening (Ticket Received) or reopen (Ticket Reopened, keyed by the event
 * that reopened it), and only while it is the ticket's current opening: a late or replayed
 * reopen that has since been superseded is skipped. Computes the honest promise from the
 * tenant's SLA policy and calendar, renders the message in the customer's language, and claims
 * the acknowledgement with a conditional write, so that however often the event is delivered,
 * and however deliveries race, exactly one acknowledgement is requested per opening.
 */
export const acknowledge = async (event: DomainEvent, deps: AcknowledgeDeps): Promise<AcknowledgeOutcome> => {
  if (event.detailType !== 'Ticket Received' && event.detailType !== 'Ticket Reopened')
    return { outcome: 'ignored' };
  const { tenantId, ticketId } = event.detail;
  const reopen = event.detailType === 'Ticket Reopened';
  const ticket = await deps.tickets.get(tenantId, ticketId);
  if (!ticket?.opened) throw new TicketNotReadyError(`ticket ${ticketId} is not recorded as opened yet`);
  const openingKey = reopen ? `reopen:${event.detail.causationId}` : 'open';
  const now = deps.clock.now();
  const requestedAt = now.toISOString();
  const config = await deps.configs.configOf(tenantId);
  const since = new Date(
    reopen ? event.detail.occurredAt : (ticket.openedAt ?? event.detail.occurredAt),
  ).toISOString();
  const skip = skipReason(ticket, openingKey, since, config.acknowledgement.enabled);
  if (skip) {
    const claimed = await deps.deliveries.claim({
      tenantId,
      ticketId,
      ack: { openingKey, status: 'skipped', reason: skip, requestedAt },
      emits: [],
    });
    return claimed ? { outcome: 'skipped', reason: skip } : { outcome: 'duplicate' };
  }

  const subject = { priority: ticket.priority, channel: ticket.channel, tier: ticket.customer?.tier };
  const kind = reopen ? 'next_response' : 'first_response';
  let promise = responsePromise(config, subject, kind, new Date(since));
  // A ticket that reached us late must not be promised a time already past: promise from now.
  if (promise.dueAt.getTime() <= now.getTime()) promise = responsePromise(config, subject, kind, now);
  const message = renderAcknowledgement({
    config,
    reference: ticket.reference,
    channel: ticket.channel,
    customer: ticket.customer,
    promise: promise.dueAt,
    reopen,
  });
  const deliveryId = newDeliveryId(tenantId, ticketId, `acknowledgement:${openingKey}`, now);
  const ack: AckRecord = {
    openingKey,
    status: 'requested',
    deliveryId,
    promisedBy: promise.dueAt.toISOString(),
    rule: promise.rule,
    targetMinutes: promise.targetMinutes,
    hours: promise.hours,
    locale: message.locale,
    channel: ticket.channel,
    requestedAt,
  };
  const delivery: NewDelivery = {
    tenantId,
    ticketId,
    reference: ticket.reference,
    deliveryId,
    purpose: 'acknowledgement',
    audience: 'customer',
    roles: [],
    template: reopen ? 'acknowledgement.reopen' : 'acknowledgement',
    channel: ticket.channel,
    createdAt: requestedAt,
    receivedAt: event.detail.emittedAt,
    openingKey,
    // Pointless once a person answered, the ticket is settled, or another opening took over.
    obsoleteIf: { publicReplySince: since, statusNotIn: [...WAITING], openingNot: openingKey },
    recipient: recipientOf(ticket.customer),
    message: messageContentOf(message),
    promise: {
      dueAt: promise.dueAt.toISOString(),
      text: message.promiseText,
      timeZone: message.timeZone,
      rule: promise.rule,
      targetMinutes: promise.targetMinutes,
      hours: promise.hours,
    },
  };
  const claimed = await deps.deliveries.claim({
    tenantId,
    ticketId,
    ack,
    delivery,
    emits: [deliveryRequested(delivery, event.detail.eventId)],
  });
  return claimed ? { outcome: 'requested', deliveryId } : { outcome: 'duplicate' };
};
