import {
  type DetailOf,
  type DetailType,
  type DomainEvent,
  type InboundEvent,
  SCHEMA_VERSION,
} from '@heed/contracts';
import type { TicketState } from './projection';

type Header = Omit<DetailOf<'Ticket Received'>, 'data'>;

/** Deterministic id of the event `detailType` caused by `causationId`: replays yield the same id. */
export const domainEventId = (detailType: DetailType, causationId: string): string =>
  `${detailType.toLowerCase().replace(/[^a-z0-9]+/g, '-')}:${causationId}`;

const make = <T extends DetailType>(
  detailType: T,
  header: Omit<Header, 'eventId'>,
  data: DetailOf<T>['data'],
): DomainEvent =>
  ({
    detailType,
    detail: { ...header, eventId: domainEventId(detailType, header.causationId), data },
  }) as DomainEvent;

/**
 * The domain events one accepted inbound event causes, given the projection before and after it.
 * Every accepted event announces itself (consumers re-read the projection, so a late event is
 * still worth a look); derived facts (received, reopened) are announced only on the transition.
 * No customer PII goes on the bus: consumers read it from the ticket when they need it.
 */
export const domainEventsFor = (
  event: InboundEvent,
  before: TicketState,
  after: TicketState,
  emittedAt: string,
): DomainEvent[] => {
  const header = {
    schemaVersion: SCHEMA_VERSION,
    tenantId: after.tenantId,
    ticketId: after.ticketId,
    reference: after.reference,
    occurredAt: event.occurredAt,
    emittedAt,
    causationId: event.id,
  } as const;
  const out: DomainEvent[] = [];
  switch (event.type) {
    case 'ticket.opened':
      if (!before.opened && after.opened) {
        const c = event.data.customer;
        out.push(
          make('Ticket Received', header, {
            channel: event.data.channel,
            priority: event.data.priority,
            createdBy: event.data.createdBy,
            ...(c.locale !== undefined && { locale: c.locale }),
            ...(c.timeZone !== undefined && { timeZone: c.timeZone }),
            ...(c.tier !== undefined && { tier: c.tier }),
          }),
        );
      }
      break;
    case 'customer.replied':
      out.push(
        make('Customer Replied', header, {
          ...(event.data.messageId !== undefined && { messageId: event.data.messageId }),
        }),
      );
      break;
    case 'agent.replied':
      out.push(make('Agent Replied', header, { agentId: event.data.agentId, public: event.data.public }));
      break;
    case 'ticket.status_changed':
      out.push(make('Ticket Status Changed', header, { from: before.status, to: event.data.status }));
      break;
    case 'ticket.priority_changed':
      out.push(make('Ticket Priority Changed', header, { from: before.priority, to: event.data.priority }));
      break;
    case 'ticket.assigned':
      out.push(
        make('Ticket Assigned', header, {
          agentId: event.data.agentId ?? null,
          groupId: event.data.groupId ?? null,
          transfer: after.transfers > before.transfers,
          transfers: after.transfers,
        }),
      );
      break;
    case 'feedback.received':
      out.push(
        make('Feedback Received', header, {
          score: event.data.score,
          hasComment: (event.data.comment ?? '').trim() !== '',
        }),
      );
      break;
  }
  if (after.reopenCount > before.reopenCount) {
    out.push(make('Ticket Reopened', header, { reopenCount: after.reopenCount }));
  }
  return out;
};
