import type { InboundEvent } from '@heed/contracts';
import { validateInboundEvent } from '@heed/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  compareEvents,
  domainEventId,
  domainEventsFor,
  emptyTicket,
  foldEvents,
  isInOrder,
  type LoggedEvent,
  replay,
  repliedSince,
  ticketReference,
} from '../src';

/** Builds a validated event so defaults apply exactly as at intake. */
const ev = (
  id: string,
  type: string,
  occurredAt: string,
  data: Record<string, unknown> = {},
): InboundEvent => {
  const result = validateInboundEvent(
    { id, type, ticketId: 'T-1', occurredAt, data },
    { now: new Date('2027-01-01T00:00:00Z') },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};

const empty = () => emptyTicket('acme', 'T-1', ticketReference('acme', 'T-1'));

const lifecycle: InboundEvent[] = [
  ev('e1', 'ticket.opened', '2026-11-23T09:00:00+09:00', {
    channel: 'email',
    priority: 'normal',
    customer: { id: 'c1', email: 'a@example.com', locale: 'ja-JP', timeZone: 'Asia/Tokyo' },
  }),
  ev('e2', 'ticket.assigned', '2026-11-23T00:05:00Z', { groupId: 'tier1', agentId: 'a1' }),
  ev('e3', 'agent.replied', '2026-11-23T00:10:00Z', { agentId: 'a1', public: false }),
  ev('e4', 'agent.replied', '2026-11-23T00:20:00Z', { agentId: 'a1' }),
  ev('e5', 'ticket.assigned', '2026-11-23T00:30:00Z', { groupId: 'billing' }),
  ev('e6', 'ticket.priority_changed', '2026-11-23T00:40:00Z', { priority: 'urgent' }),
  ev('e7', 'customer.replied', '2026-11-23T01:00:00Z'),
  ev('e8', 'ticket.status_changed', '2026-11-23T02:00:00Z', { status: 'solved' }),
  ev('e9', 'feedback.received', '2026-11-23T03:00:00Z', { score: 2 }),
  ev('e10', 'ticket.status_changed', '2026-11-23T04:00:00Z', { status: 'open' }),
];

describe('ticket projection', () => {
  it('folds a whole lifecycle', () => {
    const state = foldEvents(empty(), lifecycle);
    expect(state).toMatchObject({
      opened: true,
      openedAt: '2026-11-23T00:00:00.000Z',
      channel: 'email',
      priority: 'urgent',
      status: 'open',
      assignee: { agentId: null, groupId: 'billing' },
      transfers: 1,
      firstPublicReplyAt: '2026-11-23T00:20:00.000Z',
      lastCustomerMessageAt: '2026-11-23T01:00:00.000Z',
      solvedAt: null,
      reopenCount: 1,
      lastFeedback: { score: 2, at: '2026-11-23T03:00:00.000Z' },
      eventCount: 10,
    });
  });

  it('gives the same state for any arrival order (order is by occurredAt as an instant)', () => {
    const expected = foldEvents(empty(), lifecycle);
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 50; round++) {
      const shuffled = [...lifecycle].sort(() => random() - 0.5);
      // Arrival-order simulation: incremental when in order, full re-fold otherwise (as the store does).
      let state = empty();
      const seen: InboundEvent[] = [];
      for (const event of shuffled) {
        seen.push(event);
        state = isInOrder(state, event) ? applyEvent(state, event) : foldEvents(empty(), seen);
      }
      expect(state).toEqual(expected);
    }
  });

  it('breaks occurredAt ties by event id, deterministically', () => {
    const a = ev('a', 'ticket.priority_changed', '2026-01-01T00:00:00Z', { priority: 'high' });
    const b = ev('b', 'ticket.priority_changed', '2026-01-01T00:00:00Z', { priority: 'low' });
    expect(foldEvents(empty(), [a, b]).priority).toBe('low');
    expect(foldEvents(empty(), [b, a]).priority).toBe('low');
  });

  it('ignores a second ticket.opened', () => {
    const again = ev('x', 'ticket.opened', '2026-11-24T00:00:00Z', {
      channel: 'chat',
      customer: { id: 'c2' },
    });
    const state = foldEvents(empty(), [...lifecycle, again]);
    expect(state.channel).toBe('email');
    expect(state.customer?.id).toBe('c1');
  });

  it('does not count an internal note as a reply', () => {
    const state = foldEvents(empty(), lifecycle.slice(0, 3));
    expect(state.firstPublicReplyAt).toBeNull();
  });

  it('counts only group changes as transfers', () => {
    const state = foldEvents(empty(), [
      ev('1', 'ticket.assigned', '2026-01-01T00:00:00Z', { groupId: 'g1' }),
      ev('2', 'ticket.assigned', '2026-01-01T00:01:00Z', { agentId: 'a2' }),
      ev('3', 'ticket.assigned', '2026-01-01T00:02:00Z', { groupId: 'g1', agentId: 'a3' }),
      ev('4', 'ticket.assigned', '2026-01-01T00:03:00Z', { groupId: 'g2' }),
      ev('5', 'ticket.assigned', '2026-01-01T00:04:00Z', { groupId: 'g3' }),
    ]);
    expect(state.transfers).toBe(2);
    expect(state.assignee).toEqual({ agentId: null, groupId: 'g3' });
  });

  it('tracks solved and closed times and clears them on reopen', () => {
    const solved = foldEvents(empty(), lifecycle.slice(0, 8));
    expect(solved.solvedAt).toBe('2026-11-23T02:00:00.000Z');
    expect(solved.status).toBe('solved');
    const closed = applyEvent(
      solved,
      ev('c', 'ticket.status_changed', '2026-11-23T02:30:00Z', { status: 'closed' }),
    );
    expect(closed.closedAt).toBe('2026-11-23T02:30:00.000Z');
    expect(closed.reopenCount).toBe(0);
  });

  it('identifies each opening by the event that caused it', () => {
    const state = foldEvents(empty(), lifecycle);
    expect(state.opening).toEqual({
      key: 'reopen:e10',
      eventId: 'e10',
      at: '2026-11-23T04:00:00.000Z',
      reopen: true,
    });
    expect(foldEvents(empty(), lifecycle.slice(0, 1)).opening).toEqual({
      key: 'open',
      eventId: 'e1',
      at: '2026-11-23T00:00:00.000Z',
      reopen: false,
    });
  });

  it.each([
    ['pending', 'open', 0],
    ['solved', 'open', 1],
    ['on_hold', 'on_hold', 0],
    ['closed', 'closed', 0],
    ['open', 'open', 0],
  ] as const)('a customer message on a %s ticket leaves it %s (reopens: %i)', (from, to, reopens) => {
    const state = foldEvents(empty(), [
      ...lifecycle.slice(0, 4),
      ev('s', 'ticket.status_changed', '2026-11-23T00:30:00Z', { status: from }),
      ev('c', 'customer.replied', '2026-11-23T00:40:00Z'),
    ]);
    expect(state.status).toBe(to);
    expect(state.reopenCount).toBe(reopens);
    expect(state.opening?.key).toBe(reopens ? 'reopen:c' : 'open');
    if (from === 'solved') expect(state.solvedAt).toBeNull();
  });

  it('knows since when a ticket waits on the customer, and forgets it when it stops waiting', () => {
    const pending = foldEvents(empty(), [
      ...lifecycle.slice(0, 4),
      ev('p', 'ticket.status_changed', '2026-11-23T00:30:00Z', { status: 'pending' }),
      ev('p2', 'ticket.status_changed', '2026-11-23T00:35:00Z', { status: 'pending' }),
    ]);
    expect(pending.pendingSince).toBe('2026-11-23T00:30:00.000Z');
    expect(applyEvent(pending, ev('r', 'customer.replied', '2026-11-23T01:00:00Z')).pendingSince).toBeNull();
  });

  it('lets events arrive before ticket.opened', () => {
    const state = foldEvents(empty(), [lifecycle[6] as InboundEvent]);
    expect(state.opened).toBe(false);
    expect(state.lastCustomerMessageAt).toBe('2026-11-23T01:00:00.000Z');
  });
});

describe('domain events', () => {
  const at = '2026-11-23T05:00:00.000Z';
  const step = (events: InboundEvent[], next: InboundEvent) => {
    const before = foldEvents(empty(), events);
    return domainEventsFor(next, before, applyEvent(before, next), {
      emittedAt: at,
      actor: 'producer',
      late: false,
    });
  };

  it('announces a new ticket without PII', () => {
    const [received] = step([], lifecycle[0] as InboundEvent);
    expect(received).toMatchObject({
      detailType: 'Ticket Received',
      detail: {
        eventId: 'ticket-received:e1',
        tenantId: 'acme',
        ticketId: 'T-1',
        causationId: 'e1',
        emittedAt: at,
        data: {
          channel: 'email',
          priority: 'normal',
          createdBy: 'customer',
          locale: 'ja-JP',
          timeZone: 'Asia/Tokyo',
        },
      },
    });
    expect(JSON.stringify(received)).not.toContain('a@example.com');
  });

  it('announces a reopen alongside the status change', () => {
    const types = step(lifecycle.slice(0, 9), lifecycle[9] as InboundEvent).map((e) => e.detailType);
    expect(types).toEqual(['Ticket Status Changed', 'Ticket Reopened']);
  });

  it('marks a group change as a transfer', () => {
    const [assigned] = step(lifecycle.slice(0, 4), lifecycle[4] as InboundEvent);
    expect(assigned?.detail.data).toMatchObject({ transfer: true, transfers: 1, groupId: 'billing' });
  });

  it('announces the status a customer message sets, and the reopen it causes, with their cause', () => {
    const solved = [...lifecycle.slice(0, 8)];
    const reply = ev('r2', 'customer.replied', '2026-11-23T02:30:00Z');
    const events = step(solved, reply);
    expect(events.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['Customer Replied', {}],
      ['Ticket Status Changed', { from: 'solved', to: 'open', reason: 'customer_replied' }],
      ['Ticket Reopened', { reopenCount: 1, reason: 'customer_replied' }],
    ]);
    expect(new Set(events.map((e) => e.detail.causationId))).toEqual(new Set(['r2']));
  });

  it('derives every event from the state just before it in occurredAt order, not from arrival', () => {
    // The solve at 02:00 arrives last; it still changed the ticket from open, and the reply at
    // 02:30 (already recorded) now reopens it.
    const entries: LoggedEvent[] = [
      ...lifecycle.slice(0, 7),
      ev('r2', 'customer.replied', '2026-11-23T02:30:00Z'),
      lifecycle[7] as InboundEvent,
    ].map((event) => ({ event, actor: 'producer' }));
    const { steps, state } = replay(empty(), entries);
    const solve = steps.find((x) => x.entry.event.id === 'e8');
    const reply = steps.find((x) => x.entry.event.id === 'r2');
    expect(solve?.before.status).toBe('open');
    expect(reply?.after.opening?.key).toBe('reopen:r2');
    expect(state.status).toBe('open');
    const ctx = { emittedAt: at, actor: 'producer' as const, late: true };
    const fromSolve = domainEventsFor(
      solve?.entry.event as InboundEvent,
      solve?.before as never,
      solve?.after as never,
      ctx,
    );
    expect(fromSolve[0]?.detail).toMatchObject({ data: { from: 'open', to: 'solved' }, late: true });
  });

  it('announces nothing for a repeated opening', () => {
    expect(
      step(
        lifecycle.slice(0, 1),
        ev('x', 'ticket.opened', '2026-11-24T00:00:00Z', { channel: 'chat', customer: { id: 'c' } }),
      ),
    ).toEqual([]);
  });
});

describe('repliedSince', () => {
  it('counts only public replies, at any time or since an instant', () => {
    const withReplies = foldEvents(empty(), lifecycle.slice(0, 4)); // one internal note, one public reply at 00:20Z
    expect(repliedSince(foldEvents(empty(), lifecycle.slice(0, 3)), null)).toBe(false);
    expect(repliedSince(withReplies, null)).toBe(true);
    expect(repliedSince(withReplies, '2026-11-23T09:20:00+09:00')).toBe(true);
    expect(repliedSince(withReplies, '2026-11-23T00:21:00Z')).toBe(false);
  });
});

describe('projection, field by field', () => {
  it('starts empty with the documented defaults', () => {
    expect(empty()).toStrictEqual({
      tenantId: 'acme',
      ticketId: 'T-1',
      reference: ticketReference('acme', 'T-1'),
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
  });

  it('keeps exactly the customer fields given, and the subject, link and creator', () => {
    const full = foldEvents(empty(), [
      ev('o', 'ticket.opened', '2026-11-23T00:00:00Z', {
        channel: 'chat',
        subject: 'Hi',
        linkedFrom: 'T-0',
        customer: {
          id: 'c',
          name: 'N',
          email: 'n@example.com',
          locale: 'de',
          timeZone: 'Europe/Berlin',
          tier: 'gold',
        },
      }),
    ]);
    expect(full.customer).toStrictEqual({
      id: 'c',
      name: 'N',
      email: 'n@example.com',
      locale: 'de',
      timeZone: 'Europe/Berlin',
      tier: 'gold',
    });
    expect(full).toMatchObject({ subject: 'Hi', linkedFrom: 'T-0', createdBy: 'customer', channel: 'chat' });
    expect(full.lastCustomerMessageAt).toBe('2026-11-23T00:00:00.000Z');
    const bare = foldEvents(empty(), [
      ev('o', 'ticket.opened', '2026-11-23T00:00:00Z', {
        channel: 'chat',
        createdBy: 'agent',
        customer: { id: 'c' },
      }),
    ]);
    expect(bare.customer).toStrictEqual({ id: 'c' });
    expect(bare).toMatchObject({
      subject: null,
      linkedFrom: null,
      createdBy: 'agent',
      lastCustomerMessageAt: null,
    });
  });

  it('keeps the agent on an agent-only assignment and clears it on a group-only one', () => {
    const a = foldEvents(empty(), [
      ev('1', 'ticket.assigned', '2026-01-01T00:00:00Z', { groupId: 'g1', agentId: 'a1' }),
      ev('2', 'ticket.assigned', '2026-01-01T00:01:00Z', { agentId: 'a2' }),
    ]);
    expect(a.assignee).toStrictEqual({ agentId: 'a2', groupId: 'g1' });
    const b = applyEvent(a, ev('3', 'ticket.assigned', '2026-01-01T00:02:00Z', { groupId: 'g1' }));
    expect(b.assignee).toStrictEqual({ agentId: null, groupId: 'g1' });
    expect(b.transfers).toBe(0);
  });

  it('keeps closedAt until a reopen, and clears it then', () => {
    const closed = foldEvents(empty(), [
      ...lifecycle.slice(0, 8),
      ev('c', 'ticket.status_changed', '2026-11-23T02:30:00Z', { status: 'closed' }),
    ]);
    const pending = applyEvent(
      closed,
      ev('p', 'ticket.status_changed', '2026-11-23T02:40:00Z', { status: 'pending' }),
    );
    expect(pending).toMatchObject({
      closedAt: null,
      solvedAt: null,
      reopenCount: 1,
      pendingSince: '2026-11-23T02:40:00.000Z',
    });
    const onHold = applyEvent(
      foldEvents(empty(), lifecycle.slice(0, 4)),
      ev('h', 'ticket.status_changed', '2026-11-23T02:40:00Z', { status: 'on_hold' }),
    );
    expect(onHold).toMatchObject({ closedAt: null, solvedAt: null, reopenCount: 0, pendingSince: null });
  });

  it('orders events by instant, then id, and knows when one is in order', () => {
    const a = ev('a', 'customer.replied', '2026-01-01T09:00:00+09:00');
    const b = ev('b', 'customer.replied', '2026-01-01T00:00:00Z');
    const c = ev('c', 'customer.replied', '2026-01-01T00:00:01Z');
    expect(compareEvents(a, b)).toBe(-1);
    expect(compareEvents(b, a)).toBe(1);
    expect(compareEvents(a, a)).toBe(0);
    expect(compareEvents(c, b)).toBe(1);
    const state = applyEvent(empty(), b);
    expect(isInOrder(state, b)).toBe(false); // the same key again is not "newer"
    expect(isInOrder(state, a)).toBe(false);
    expect(isInOrder(state, c)).toBe(true);
  });
});

describe('domain events, field by field', () => {
  const at = '2026-11-23T05:00:00.000Z';
  const emit = (events: InboundEvent[], next: InboundEvent) => {
    const before = foldEvents(empty(), events);
    return domainEventsFor(next, before, applyEvent(before, next), {
      emittedAt: at,
      actor: 'producer',
      late: false,
    });
  };
  const opening = (customer: Record<string, unknown>) =>
    ev('o', 'ticket.opened', '2026-11-23T00:00:00Z', { channel: 'web', customer: { id: 'c', ...customer } });

  it('names exactly the customer attributes given (never more), and its ids', () => {
    expect(emit([], opening({}))[0]?.detail.data).toStrictEqual({
      channel: 'web',
      priority: 'normal',
      createdBy: 'customer',
    });
    expect(
      emit([], opening({ locale: 'ko', timeZone: 'Asia/Seoul', tier: 'gold' }))[0]?.detail.data,
    ).toStrictEqual({
      channel: 'web',
      priority: 'normal',
      createdBy: 'customer',
      locale: 'ko',
      timeZone: 'Asia/Seoul',
      tier: 'gold',
    });
    expect(emit([], opening({}))[0]?.detail.eventId).toBe('ticket-received:o');
  });

  it('announces each event type with its own data', () => {
    const base = [opening({})];
    const one = (e: InboundEvent) =>
      emit(base, e).map((x) => [x.detailType, x.detail.data, x.detail.eventId]);
    expect(one(ev('r', 'customer.replied', '2026-11-23T00:01:00Z', { messageId: 'm-1' }))).toStrictEqual([
      ['Customer Replied', { messageId: 'm-1' }, 'customer-replied:r'],
    ]);
    expect(one(ev('r', 'customer.replied', '2026-11-23T00:01:00Z'))).toStrictEqual([
      ['Customer Replied', {}, 'customer-replied:r'],
    ]);
    expect(
      one(ev('a', 'agent.replied', '2026-11-23T00:01:00Z', { agentId: 'x', public: false })),
    ).toStrictEqual([['Agent Replied', { agentId: 'x', public: false }, 'agent-replied:a']]);
    expect(
      one(ev('p', 'ticket.priority_changed', '2026-11-23T00:01:00Z', { priority: 'high' })),
    ).toStrictEqual([
      ['Ticket Priority Changed', { from: 'normal', to: 'high' }, 'ticket-priority-changed:p'],
    ]);
    expect(
      one(ev('s', 'ticket.status_changed', '2026-11-23T00:01:00Z', { status: 'pending' })),
    ).toStrictEqual([
      [
        'Ticket Status Changed',
        { from: 'open', to: 'pending', reason: 'status_changed' },
        'ticket-status-changed:s',
      ],
    ]);
    expect(one(ev('g', 'ticket.assigned', '2026-11-23T00:01:00Z', { groupId: 'g1' }))).toStrictEqual([
      [
        'Ticket Assigned',
        { agentId: null, groupId: 'g1', transfer: false, transfers: 0 },
        'ticket-assigned:g',
      ],
    ]);
    expect(one(ev('g', 'ticket.assigned', '2026-11-23T00:01:00Z', { agentId: 'a1' }))).toStrictEqual([
      [
        'Ticket Assigned',
        { agentId: 'a1', groupId: null, transfer: false, transfers: 0 },
        'ticket-assigned:g',
      ],
    ]);
    expect(
      one(ev('f', 'feedback.received', '2026-11-23T00:01:00Z', { score: 4, comment: '  ' })),
    ).toStrictEqual([['Feedback Received', { score: 4, hasComment: false }, 'feedback-received:f']]);
    expect(
      one(ev('f', 'feedback.received', '2026-11-23T00:01:00Z', { score: 1, comment: 'no' })),
    ).toStrictEqual([['Feedback Received', { score: 1, hasComment: true }, 'feedback-received:f']]);
    // A customer message on an open ticket changes no status: nothing derived.
    expect(emit(base, ev('r', 'customer.replied', '2026-11-23T00:01:00Z')).map((e) => e.detailType)).toEqual([
      'Customer Replied',
    ]);
  });

  it('says what reopened a ticket: a status change or a customer message', () => {
    const solved = [
      opening({}),
      ev('s', 'ticket.status_changed', '2026-11-23T00:01:00Z', { status: 'solved' }),
    ];
    const byStatus = emit(
      solved,
      ev('o2', 'ticket.status_changed', '2026-11-23T00:02:00Z', { status: 'open' }),
    );
    expect(byStatus[1]?.detail.data).toStrictEqual({ reopenCount: 1, reason: 'status_changed' });
    const byReply = emit(solved, ev('r', 'customer.replied', '2026-11-23T00:02:00Z'));
    expect(byReply[2]?.detail.data).toStrictEqual({ reopenCount: 1, reason: 'customer_replied' });
  });

  it('makes ids from the detail-type and the cause', () => {
    expect(domainEventId('SLA Breached', 'x:1')).toBe('sla-breached:x:1');
    expect(domainEventId('Follow-up Due', 'y')).toBe('follow-up-due:y');
  });
});

describe('repliedSince, at its edges', () => {
  it('treats a reply at the instant itself as since, and no reply as none', () => {
    const replied = foldEvents(empty(), lifecycle.slice(0, 4));
    expect(repliedSince(replied, '2026-11-23T00:20:00Z')).toBe(true);
    expect(repliedSince(replied, '2026-11-23T00:20:00.001Z')).toBe(false);
    expect(repliedSince(empty(), '2026-01-01T00:00:00Z')).toBe(false);
    expect(repliedSince(empty(), null)).toBe(false);
  });
});
