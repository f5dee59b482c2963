import type { Actor, Channel, InboundEvent, Priority, TicketStatus } from '@heed/contracts';
import { instantKey } from './instant';

/** An event as the ticket's log holds it: what happened and who caused it. */
export interface LoggedEvent {
  readonly event: InboundEvent;
  readonly actor: Actor;
}

/**
 * One opening of a ticket: its creation (`open`) or a reopen (`reopen:<id of the event that
 * reopened it>`). The acknowledger acknowledges each opening once, and only the current one.
 */
export interface Opening {
  readonly key: string;
  readonly eventId: string;
  readonly at: string;
  readonly reopen: boolean;
}

/** The current state of one ticket, derived only from its events ordered by `occurredAt`. */
export interface TicketState {
  readonly tenantId: string;
  readonly ticketId: string;
  readonly reference: string;
  /** False until a `ticket.opened` is seen: other events may arrive before it. */
  readonly opened: boolean;
  readonly openedAt: string | null;
  /** The current opening (creation or latest reopen); null before `ticket.opened`. */
  readonly opening: Opening | null;
  readonly status: TicketStatus;
  /** When the ticket last entered `pending` (waiting on the customer); null when not pending. */
  readonly pendingSince: string | null;
  readonly priority: Priority;
  readonly channel: Channel | null;
  readonly subject: string | null;
  readonly createdBy: 'customer' | 'agent' | null;
  readonly customer: {
    readonly id: string;
    readonly name?: string;
    readonly email?: string;
    readonly locale?: string;
    readonly timeZone?: string;
    readonly tier?: string;
  } | null;
  readonly assignee: { readonly agentId: string | null; readonly groupId: string | null };
  /** Number of group changes after the first group assignment. */
  readonly transfers: number;
  readonly firstPublicReplyAt: string | null;
  readonly lastPublicReplyAt: string | null;
  readonly lastCustomerMessageAt: string | null;
  readonly solvedAt: string | null;
  readonly closedAt: string | null;
  readonly reopenCount: number;
  /** Set on a ticket Heed opened because the customer wrote to this closed one. */
  readonly linkedFrom: string | null;
  readonly lastFeedback: { readonly score: number; readonly at: string } | null;
  /** Set when the customer's personal data was erased: events after it are stored redacted. */
  readonly erasedAt?: string;
  readonly eventCount: number;
  /** Order key of the newest event folded in; an older event forces a re-fold. */
  readonly lastKey: string;
}

/**
 * Total order of events: occurredAt as an instant at its full precision (to the nanosecond,
 * whatever offset the producer used), then id, so that two events at the same instant still
 * fold the same way on every replay. Ids compare by UTF-16 code units (JavaScript's order).
 */
export const orderKey = (event: Pick<InboundEvent, 'occurredAt' | 'id'>): string =>
  `${instantKey(event.occurredAt)}#${event.id}`;

export const compareEvents = (a: InboundEvent, b: InboundEvent): number => {
  const ka = orderKey(a);
  const kb = orderKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export const compareLogged = (a: LoggedEvent, b: LoggedEvent): number => compareEvents(a.event, b.event);

export const emptyTicket = (tenantId: string, ticketId: string, reference: string): TicketState => ({
  tenantId,
  ticketId,
  reference,
  opened: false,
  openedAt: null,
  opening: null,
  status: 'open',
  pendingSince: null,
  priority: 'normal',
  channel: null,
  subject: null,
  createdBy: null,
  customer: null,
  assignee: { agentId: null, groupId: null },
  transfers: 0,
  firstPublicReplyAt: null,
  lastPublicReplyAt: null,
  lastCustomerMessageAt: null,
  solvedAt: null,
  closedAt: null,
  reopenCount: 0,
  linkedFrom: null,
  lastFeedback: null,
  eventCount: 0,
  lastKey: '',
});

const at = (event: InboundEvent): string => new Date(event.occurredAt).toISOString();

const isDone = (status: TicketStatus): boolean => status === 'solved' || status === 'closed';

/** Moves the ticket to `status`; leaving solved or closed for an open state is a reopen by `event`. */
const withStatus = (state: TicketState, status: TicketStatus, event: InboundEvent): TicketState => {
  if (status === state.status) return state;
  const when = at(event);
  const reopened = isDone(state.status) && !isDone(status);
  return {
    ...state,
    status,
    pendingSince: status === 'pending' ? when : null,
    solvedAt: status === 'solved' ? when : reopened ? null : state.solvedAt,
    closedAt: status === 'closed' ? when : reopened ? null : state.closedAt,
    reopenCount: state.reopenCount + (reopened ? 1 : 0),
    opening:
      reopened && state.opened
        ? { key: `reopen:${event.id}`, eventId: event.id, at: when, reopen: true }
        : state.opening,
  };
};

/**
 * Statuses in which a customer's message puts the ticket back to open, as helpdesks do: pending
 * (the answer Heed was waiting for) and solved (a reopen). On hold stays on hold; a closed ticket
 * is final (the follow-up service opens a linked ticket instead).
 */
export const REOPENED_BY_CUSTOMER: readonly TicketStatus[] = ['pending', 'solved'];

/** Applies one event that is newer than every event already folded into `state`. */
export const applyEvent = (state: TicketState, event: InboundEvent): TicketState => {
  const when = at(event);
  const base: TicketState = { ...state, eventCount: state.eventCount + 1, lastKey: orderKey(event) };
  switch (event.type) {
    case 'ticket.opened': {
      if (state.opened) return base; // a second "opened" for the same ticket changes nothing
      const { customer } = event.data;
      return {
        ...base,
        opened: true,
        openedAt: when,
        opening: { key: 'open', eventId: event.id, at: when, reopen: false },
        channel: event.data.channel,
        priority: event.data.priority,
        subject: event.data.subject ?? null,
        linkedFrom: event.data.linkedFrom ?? null,
        createdBy: event.data.createdBy,
        customer: {
          id: customer.id,
          ...(customer.name !== undefined && { name: customer.name }),
          ...(customer.email !== undefined && { email: customer.email }),
          ...(customer.locale !== undefined && { locale: customer.locale }),
          ...(customer.timeZone !== undefined && { timeZone: customer.timeZone }),
          ...(customer.tier !== undefined && { tier: customer.tier }),
        },
        lastCustomerMessageAt: event.data.createdBy === 'customer' ? when : state.lastCustomerMessageAt,
      };
    }
    case 'customer.replied': {
      const replied = { ...base, lastCustomerMessageAt: when };
      return REOPENED_BY_CUSTOMER.includes(state.status) ? withStatus(replied, 'open', event) : replied;
    }
    case 'agent.replied':
      if (!event.data.public) return base;
      return { ...base, firstPublicReplyAt: state.firstPublicReplyAt ?? when, lastPublicReplyAt: when };
    case 'ticket.status_changed':
      return withStatus(base, event.data.status, event);
    case 'ticket.priority_changed':
      return { ...base, priority: event.data.priority };
    case 'ticket.assigned': {
      const { agentId, groupId } = event.data;
      const newGroup = groupId ?? state.assignee.groupId;
      const transfer = state.assignee.groupId !== null && newGroup !== state.assignee.groupId;
      return {
        ...base,
        assignee: {
          agentId: agentId ?? (groupId !== undefined ? null : state.assignee.agentId),
          groupId: newGroup,
        },
        transfers: state.transfers + (transfer ? 1 : 0),
      };
    }
    case 'feedback.received':
      return { ...base, lastFeedback: { score: event.data.score, at: when } };
  }
};

/** Folds events in their total order, whatever order they arrived in. */
export const foldEvents = (initial: TicketState, events: readonly InboundEvent[]): TicketState =>
  [...events].sort(compareEvents).reduce(applyEvent, initial);

/** True when `event` sorts after everything folded so far, so it can be applied incrementally. */
export const isInOrder = (state: TicketState, event: InboundEvent): boolean =>
  orderKey(event) > state.lastKey;

/**
 * Has a person publicly replied to the customer since `since` (at any time, when `since` is
 * null)? Then an automatic "we received it" would only be noise.
 */
export const repliedSince = (ticket: TicketState, since: string | null): boolean =>
  ticket.lastPublicReplyAt !== null &&
  (since === null || ticket.lastPublicReplyAt >= new Date(since).toISOString());
