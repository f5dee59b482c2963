import {
  type Actor,
  type DetailOf,
  type DetailType,
  type DomainEvent,
  type InboundEvent,
  SCHEMA_VERSION,
} from '@heed/contracts';
import { applyEvent, compareLogged, type LoggedEvent, type TicketState } from './projection';

type Header = Omit<DetailOf<'Ticket Received'>, 'data'>;

/** Deterministic id of the event `detailType` caused by `causationId`: replays yield the same id. */
export const domainEventId = (detailType: DetailType, causationId: string): string =>
  `${detailType.toLowerCase().replace(/[^a-z0-9]+/g, '-')}:${causationId}`;

/** Builds a domain event with its deterministic id. */
export const domainEvent = <T extends DetailType>(
  detailType: T,
  header: Omit<Header, 'eventId' | 'schemaVersion'>,
  data: DetailOf<T>['data'],
  eventIdKey: string = header.causationId,
): DomainEvent =>
  ({
    detailType,
    detail: {
      schemaVersion: SCHEMA_VERSION,
      ...header,
      eventId: domainEventId(detailType, eventIdKey),
      data,
    },
  }) as DomainEvent;

export interface EmitContext {
  /** When Heed recorded it. */
  readonly emittedAt: string;
  readonly actor: Actor;
  /** The cause arrived after events that happened later than it. */
  readonly late: boolean;
}

/**
 * The domain events one event causes, given the ticket just before it and just after it in the
 * fold (by occurredAt, never by arrival). Every event announces itself (consumers re-read the
 * ticket, so a late event is still worth a look); derived facts (received, reopened, a status
 * set by a customer's message) are announced only on the transition. No customer PII goes on
 * the bus: consumers read it from the ticket when they need it.
 */
export const domainEventsFor = (
  event: InboundEvent,
  before: TicketState,
  after: TicketState,
  context: EmitContext,
): DomainEvent[] => {
  const header = {
    tenantId: after.tenantId,
    ticketId: after.ticketId,
    reference: after.reference,
    occurredAt: event.occurredAt,
    emittedAt: context.emittedAt,
    causationId: event.id,
    actor: context.actor,
    late: context.late,
  };
  const out: DomainEvent[] = [];
  switch (event.type) {
    case 'ticket.opened':
      if (!before.opened && after.opened) {
        const c = event.data.customer;
        out.push(
          domainEvent('Ticket Received', header, {
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
        domainEvent('Customer Replied', header, {
          ...(event.data.messageId !== undefined && { messageId: event.data.messageId }),
        }),
      );
      if (after.status !== before.status)
        out.push(
          domainEvent('Ticket Status Changed', header, {
            from: before.status,
            to: after.status,
            reason: 'customer_replied',
          }),
        );
      break;
    case 'agent.replied':
      out.push(
        domainEvent('Agent Replied', header, { agentId: event.data.agentId, public: event.data.public }),
      );
      break;
    case 'ticket.status_changed':
      out.push(
        domainEvent('Ticket Status Changed', header, {
          from: before.opened ? before.status : null,
          to: event.data.status,
          reason: 'status_changed',
        }),
      );
      break;
    case 'ticket.priority_changed':
      out.push(
        domainEvent('Ticket Priority Changed', header, {
          from: before.opened ? before.priority : null,
          to: event.data.priority,
        }),
      );
      break;
    case 'ticket.assigned':
      out.push(
        domainEvent('Ticket Assigned', header, {
          agentId: event.data.agentId ?? null,
          groupId: event.data.groupId ?? null,
          transfer: after.transfers > before.transfers,
          transfers: after.transfers,
        }),
      );
      break;
    case 'feedback.received':
      out.push(
        domainEvent('Feedback Received', header, {
          score: event.data.score,
          hasComment: (event.data.comment ?? '').trim() !== '',
        }),
      );
      break;
  }
  if (after.reopenCount > before.reopenCount) {
    out.push(
      domainEvent('Ticket Reopened', header, {
        reopenCount: after.reopenCount,
        reason: event.type === 'customer.replied' ? 'customer_replied' : 'status_changed',
      }),
    );
  }
  return out;
};

/** What replaying a stretch of the log produced: the state after it, and each event's domain events. */
export interface Replay {
  readonly state: TicketState;
  /** States just before each replayed event, by event id (to resume a fold mid-way). */
  readonly steps: readonly {
    readonly entry: LoggedEvent;
    readonly before: TicketState;
    readonly after: TicketState;
  }[];
}

/** Folds `entries` (any order) onto `initial` in occurredAt order, keeping the state around each event. */
export const replay = (initial: TicketState, entries: readonly LoggedEvent[]): Replay => {
  let state = initial;
  const steps: Replay['steps'][number][] = [];
  for (const entry of [...entries].sort(compareLogged)) {
    const after = applyEvent(state, entry.event);
    steps.push({ entry, before: state, after });
    state = after;
  }
  return { state, steps };
};
