import type { AckRecord, ConfigSource, DynamoDeliveryStore, TicketStorePort } from '@heed/aws';
import { type DomainEvent, SCHEMA_VERSION } from '@heed/contracts';
import {
  type Clock,
  domainEventId,
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

/** Why no acknowledgement is needed, or null when one is. */
const skipReason = (ticket: TicketState, reopen: boolean, since: string, enabled: boolean): string | null => {
  if (!enabled) return 'acknowledgements are disabled for this tenant';
  if (ticket.createdBy === 'agent') return 'the ticket was created by an agent';
  if (!reopen && repliedSince(ticket, null)) return 'an agent replied before the acknowledgement';
  if (reopen && repliedSince(ticket, since)) return 'an agent replied after the reopen';
  return null;
};

/**
 * Acknowledges one opening (Ticket Received) or reopen (Ticket Reopened): computes the honest
 * promise from the tenant's SLA policy and calendar, renders the message in the customer's
 * language, and claims the acknowledgement with a conditional write, so that however often the
 * event is delivered, and however deliveries race, exactly one acknowledgement is requested.
 */
export const acknowledge = async (event: DomainEvent, deps: AcknowledgeDeps): Promise<AcknowledgeOutcome> => {
  if (event.detailType !== 'Ticket Received' && event.detailType !== 'Ticket Reopened')
    return { outcome: 'ignored' };
  const { tenantId, ticketId } = event.detail;
  const reopen = event.detailType === 'Ticket Reopened';
  const ticket = await deps.tickets.get(tenantId, ticketId);
  if (!ticket?.opened) throw new TicketNotReadyError(`ticket ${ticketId} is not recorded as opened yet`);
  const openingKey = reopen ? `reopen-${event.detail.data.reopenCount}` : 'open';
  const now = deps.clock.now();
  const config = await deps.configs.configOf(tenantId);
  const since = reopen
    ? new Date(event.detail.occurredAt).toISOString()
    : (ticket.openedAt ?? event.detail.occurredAt);
  const skip = skipReason(ticket, reopen, since, config.acknowledgement.enabled);
  if (skip) {
    const claimed = await deps.deliveries.claim({
      tenantId,
      ticketId,
      ack: { openingKey, status: 'skipped', reason: skip, requestedAt: now.toISOString() },
      emits: [],
      now,
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
  const deliveryId = `ack-${openingKey}`;
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
    requestedAt: now.toISOString(),
  };
  const requested: DomainEvent = {
    detailType: 'Delivery Requested',
    detail: {
      schemaVersion: SCHEMA_VERSION,
      eventId: domainEventId('Delivery Requested', `${ticketId}/${deliveryId}`),
      tenantId,
      ticketId,
      reference: ticket.reference,
      occurredAt: now.toISOString(),
      emittedAt: now.toISOString(),
      causationId: event.detail.eventId,
      data: { deliveryId, purpose: 'acknowledgement', audience: 'customer', channel: ticket.channel },
    },
  };
  const customer = ticket.customer;
  const claimed = await deps.deliveries.claim({
    tenantId,
    ticketId,
    ack,
    delivery: {
      tenantId,
      ticketId,
      reference: ticket.reference,
      deliveryId,
      purpose: 'acknowledgement',
      audience: 'customer',
      channel: ticket.channel,
      createdAt: now.toISOString(),
      receivedAt: event.detail.emittedAt,
      openingKey,
      unnecessaryAfterReplySince: since,
      recipient: {
        ...(customer?.id && { customerId: customer.id }),
        ...(customer?.name && { name: customer.name }),
        ...(customer?.email && { email: customer.email }),
        ...(customer?.locale && { locale: customer.locale }),
      },
      message: {
        locale: message.locale,
        dir: message.dir,
        format: message.format,
        text: message.text,
        ...(message.subject && { subject: message.subject }),
        ...(message.html && { html: message.html }),
      },
      promise: {
        dueAt: promise.dueAt.toISOString(),
        text: message.promiseText,
        timeZone: message.timeZone,
        rule: promise.rule,
        targetMinutes: promise.targetMinutes,
        hours: promise.hours,
      },
    },
    emits: [requested],
    now,
  });
  return claimed ? { outcome: 'requested', deliveryId } : { outcome: 'duplicate' };
};
