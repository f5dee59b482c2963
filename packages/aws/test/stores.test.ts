import { randomBytes } from 'node:crypto';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type DomainEvent, type InboundEvent, validateInboundEvent } from '@heed/contracts';
import { emptyTicket, foldEvents, internalMessage } from '@heed/core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTables } from '../../local/src/tables';
import {
  type AwsClients,
  createClients,
  DEDUPE_SK,
  DynamoDeliveryStore,
  DynamoTenantStore,
  DynamoTicketReader,
  DynamoTicketStore,
  dedupePk,
  KeyNotFoundError,
  type RecordOutcome,
  redriveOutbox,
  SNAPSHOT_EVERY,
  TenantExistsError,
  TenantNotFoundError,
  TicketContentionError,
  TooManyKeysError,
} from '../src';

const local = () =>
  createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: inject('dynamodbEndpoint') },
  });

const NOW = new Date('2027-01-01T00:00:00Z');
const ev = (input: Record<string, unknown>): InboundEvent => {
  const result = validateInboundEvent({ ticketId: 'T-1', data: {}, ...input }, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};
const rec = (event: InboundEvent) => ({ event });

const openedEvent = (id: string, ticketId = 'T-1', occurredAt = '2026-11-23T00:00:00Z') =>
  ev({ id, ticketId, type: 'ticket.opened', occurredAt, data: { channel: 'chat', customer: { id: 'c1' } } });

let clients: AwsClients;
let tables: { tickets: string; tenants: string };
let reader: DynamoTicketReader;

/** The ticket's logged events, oldest first, as the read API pages them. */
const timelineOf = async (tenantId: string, ticketId: string) =>
  ((await reader.page(tenantId, ticketId, { limit: 200 }))?.timeline ?? []).flatMap((t) =>
    t.kind === 'event' ? [t.item] : [],
  );

beforeAll(async () => {
  clients = local();
  const prefix = `a${randomBytes(4).toString('hex')}-`;
  tables = { tickets: `${prefix}tickets`, tenants: `${prefix}tenants` };
  await createTables(clients.dynamodb, tables);
  reader = new DynamoTicketReader(clients.documents, tables.tickets);
});

const at = new Date('2026-11-23T01:00:00Z');
const emitted = (outcome: RecordOutcome) =>
  outcome.status === 'accepted'
    ? outcome.emitted.map((e) => [e.detailType, e.detail.causationId, e.detail.late])
    : [];

describe('DynamoTicketStore', () => {
  it('accepts an event once and reports the repeat as a duplicate', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const first = await store.record('acme', rec(openedEvent('e1', 'T-dup')), at);
    const again = await store.record('acme', rec(openedEvent('e1', 'T-dup')), at);
    expect(first.status).toBe('accepted');
    expect(again).toEqual({ status: 'duplicate', ticketId: 'T-dup' });
    expect(await timelineOf('acme', 'T-dup')).toHaveLength(1);
    expect((await store.get('acme', 'T-dup'))?.eventCount).toBe(1);
  });

  it('opens a ticket only where none is open when asked to create it (linked tickets)', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', rec(openedEvent('p1', 'T-taken')), at);
    const heed = { event: openedEvent('hx-linked-1', 'T-taken'), actor: 'heed' as const, createOnly: true };
    expect(await store.record('acme', heed, at)).toEqual({ status: 'conflict', ticketId: 'T-taken' });
    expect(await timelineOf('acme', 'T-taken')).toHaveLength(1);
    const fresh = { ...heed, event: openedEvent('hx-linked-2', 'T-free') };
    expect((await store.record('acme', fresh, at)).status).toBe('accepted');
    expect(await store.record('acme', fresh, at)).toEqual({ status: 'duplicate', ticketId: 'T-free' });
  });

  it('answers a reused id with a different body, or on another ticket, as a conflict (never a silent duplicate)', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const original = openedEvent('reuse', 'T-reuse');
    const raw =
      '{"id":"reuse","type":"ticket.opened","ticketId":"T-reuse","occurredAt":"2026-11-23T00:00:00Z","data":{"channel":"chat","customer":{"id":"c1"},"crm":1}}';
    expect((await store.record('acme', { event: original, raw }, at)).status).toBe('accepted');
    // Same content, keys in another order: the same event.
    const reordered =
      '{"ticketId":"T-reuse","data":{"crm":1,"customer":{"id":"c1"},"channel":"chat"},"occurredAt":"2026-11-23T00:00:00Z","type":"ticket.opened","id":"reuse"}';
    expect((await store.record('acme', { event: original, raw: reordered }, at)).status).toBe('duplicate');
    // An unknown field changed: another event under a used id.
    expect(
      (await store.record('acme', { event: original, raw: raw.replace('"crm":1', '"crm":2') }, at)).status,
    ).toBe('conflict');
    expect(await store.record('acme', rec(openedEvent('reuse', 'T-other')), at)).toEqual({
      status: 'conflict',
      ticketId: 'T-reuse',
    });
    expect(await store.get('acme', 'T-other')).toBeNull();
    // A late event (re-fold path) with a reused id is answered the same way.
    const late = ev({
      id: 'reuse',
      ticketId: 'T-reuse',
      type: 'customer.replied',
      occurredAt: '2026-11-22T00:00:00Z',
    });
    expect((await store.record('acme', rec(late), at)).status).toBe('conflict');
    expect((await store.get('acme', 'T-reuse'))?.eventCount).toBe(1);
  });

  it('never overwrites a logged event, even when its dedupe marker is gone (the log is append-only)', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    expect((await store.record('acme', rec(openedEvent('e-kept', 'T-kept')), at)).status).toBe('accepted');
    // A marker lost to an operator's clean-up or a partial restore: the log item itself still guards.
    await clients.documents.send(
      new DeleteCommand({
        TableName: tables.tickets,
        Key: { pk: dedupePk('acme', 'e-kept'), sk: DEDUPE_SK },
      }),
    );
    const changed = ev({
      id: 'e-kept',
      ticketId: 'T-kept',
      type: 'ticket.opened',
      occurredAt: '2026-11-23T00:00:00Z',
      data: { channel: 'email', customer: { id: 'c2' } },
    });
    expect((await store.record('acme', rec(changed), at)).status).toBe('conflict');
    const logged = await timelineOf('acme', 'T-kept');
    expect(logged.map((i) => (i.event as { data: { channel: string } }).data.channel)).toEqual(['chat']);
    expect((await store.get('acme', 'T-kept'))?.eventCount).toBe(1);
  });

  it('applies exactly one of 10 concurrent deliveries of the same event', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => store.record('acme', rec(openedEvent('e-race', 'T-race')), at)),
    );
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(9);
    expect(await timelineOf('acme', 'T-race')).toHaveLength(1);
  });

  it('applies every one of 10 concurrent different events on one ticket', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', rec(openedEvent('o', 'T-busy')), at);
    const replies = Array.from({ length: 10 }, (_, i) =>
      ev({
        id: `r${i}`,
        ticketId: 'T-busy',
        type: 'customer.replied',
        occurredAt: `2026-11-23T00:0${i}:30Z`,
      }),
    );
    const outcomes = await Promise.all(replies.map((e) => store.record('acme', rec(e), at)));
    expect(outcomes.every((o) => o.status === 'accepted')).toBe(true);
    const state = await store.get('acme', 'T-busy');
    expect(state?.eventCount).toBe(11);
    expect(state?.lastCustomerMessageAt).toBe('2026-11-23T00:09:30.000Z');
  });

  it('folds by occurredAt when events arrive out of order, and orders the timeline', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const events = [
      ev({
        id: 'ooo-s',
        ticketId: 'T-ooo',
        type: 'ticket.status_changed',
        occurredAt: '2026-11-23T03:00:00Z',
        data: { status: 'solved' },
      }),
      ev({
        id: 'ooo-p',
        ticketId: 'T-ooo',
        type: 'ticket.priority_changed',
        occurredAt: '2026-11-23T02:00:00Z',
        data: { priority: 'urgent' },
      }),
      openedEvent('ooo-o', 'T-ooo', '2026-11-23T09:00:00+09:00'),
      ev({
        id: 'ooo-r',
        ticketId: 'T-ooo',
        type: 'agent.replied',
        occurredAt: '2026-11-23T01:00:00Z',
        data: { agentId: 'a' },
      }),
    ];
    for (const e of events) expect((await store.record('acme', rec(e), at)).status).toBe('accepted');
    const state = await store.get('acme', 'T-ooo');
    const expected = foldEvents(emptyTicket('acme', 'T-ooo', state?.reference ?? ''), events);
    expect(state).toEqual(expected);
    expect(state).toMatchObject({
      status: 'solved',
      priority: 'urgent',
      opened: true,
      firstPublicReplyAt: '2026-11-23T01:00:00.000Z',
    });
    expect((await timelineOf('acme', 'T-ooo')).map((t) => t.event.id)).toEqual([
      'ooo-o',
      'ooo-r',
      'ooo-p',
      'ooo-s',
    ]);
  });

  it("derives a late event's domain events from the state just before it, and emits a reopen it causes once, marked late", async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const t = 'T-late';
    await store.record('acme', rec(openedEvent('l-o', t)), at);
    await store.record(
      'acme',
      rec(
        ev({
          id: 'l-p',
          ticketId: t,
          type: 'ticket.status_changed',
          occurredAt: '2026-11-23T00:10:00Z',
          data: { status: 'pending' },
        }),
      ),
      at,
    );
    const reply = await store.record(
      'acme',
      rec(ev({ id: 'l-r', ticketId: t, type: 'customer.replied', occurredAt: '2026-11-23T00:30:00Z' })),
      at,
    );
    // Pending then a customer message: back to open, no reopen.
    expect(emitted(reply)).toEqual([
      ['Customer Replied', 'l-r', false],
      ['Ticket Status Changed', 'l-r', false],
    ]);
    // The helpdesk's "solved" at 00:20 arrives late: it changed the ticket from pending, and the
    // customer's message at 00:30 therefore reopened it.
    const solve = await store.record(
      'acme',
      rec(
        ev({
          id: 'l-s',
          ticketId: t,
          type: 'ticket.status_changed',
          occurredAt: '2026-11-23T00:20:00Z',
          data: { status: 'solved' },
        }),
      ),
      at,
    );
    expect(emitted(solve)).toEqual([
      ['Ticket Status Changed', 'l-s', true],
      ['Ticket Reopened', 'l-r', true],
    ]);
    expect(solve.status === 'accepted' && solve.emitted[0]?.detail.data).toEqual({
      from: 'pending',
      to: 'solved',
      reason: 'status_changed',
    });
    const state = await store.get('acme', t);
    expect(state).toMatchObject({ status: 'open', reopenCount: 1, opening: { key: 'reopen:l-r' } });
    // Another late event that changes nothing derived emits only itself.
    const note = await store.record(
      'acme',
      rec(
        ev({
          id: 'l-n',
          ticketId: t,
          type: 'agent.replied',
          occurredAt: '2026-11-23T00:05:00Z',
          data: { agentId: 'a', public: false },
        }),
      ),
      at,
    );
    expect(emitted(note)).toEqual([['Agent Replied', 'l-n', true]]);
    expect((await timelineOf('acme', t)).filter((l) => l.late).map((l) => l.event.id)).toEqual([
      'l-n',
      'l-s',
    ]);
  });

  it('re-folds a late event from the nearest snapshot, not from the start of a long log', async () => {
    const counted = local();
    const queried: number[] = [];
    counted.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'QueryCommand')
          queried.push((out.output as { Count?: number }).Count ?? 0);
        return out;
      },
      { step: 'initialize', name: 'countQueried' },
    );
    const store = new DynamoTicketStore(counted.documents, tables.tickets);
    const t = 'T-long';
    await store.record('acme', rec(openedEvent('g-o', t, '2026-11-20T00:00:00Z')), at);
    const replies: InboundEvent[] = [];
    for (let i = 1; i <= 3 * SNAPSHOT_EVERY; i++) {
      const e = ev({
        id: `g-${i}`,
        ticketId: t,
        type: 'customer.replied',
        occurredAt: new Date(Date.UTC(2026, 10, 20, 0, i)).toISOString(),
      });
      replies.push(e);
      await store.record('acme', rec(e), at);
    }
    queried.length = 0;
    // Late by a few minutes: between the 2nd and 3rd snapshot.
    const late = ev({
      id: 'g-late',
      ticketId: t,
      type: 'ticket.priority_changed',
      occurredAt: new Date(Date.UTC(2026, 10, 20, 0, 2 * SNAPSHOT_EVERY + 3, 30)).toISOString(),
      data: { priority: 'urgent' },
    });
    expect((await store.record('acme', rec(late), at)).status).toBe('accepted');
    const read = queried.reduce((a, b) => a + b, 0);
    expect(read).toBeLessThan(SNAPSHOT_EVERY + 5); // not the 76 events of the log
    const state = await store.get('acme', t);
    expect(state).toEqual(
      foldEvents(emptyTicket('acme', t, state?.reference ?? ''), [
        openedEvent('g-o', t, '2026-11-20T00:00:00Z'),
        ...replies,
        late,
      ]),
    );
    // The snapshot after it was rewritten: a second late event before it still folds right.
    const earlier = ev({
      id: 'g-late2',
      ticketId: t,
      type: 'ticket.priority_changed',
      occurredAt: new Date(Date.UTC(2026, 10, 20, 0, 2 * SNAPSHOT_EVERY + 1, 30)).toISOString(),
      data: { priority: 'low' },
    });
    await store.record('acme', rec(earlier), at);
    const later = ev({
      id: 'g-late3',
      ticketId: t,
      type: 'ticket.assigned',
      occurredAt: new Date(Date.UTC(2026, 10, 20, 0, 3 * SNAPSHOT_EVERY - 1, 30)).toISOString(),
      data: { groupId: 'x' },
    });
    await store.record('acme', rec(later), at);
    const final = await store.get('acme', t);
    expect(final).toEqual(
      foldEvents(emptyTicket('acme', t, final?.reference ?? ''), [
        openedEvent('g-o', t, '2026-11-20T00:00:00Z'),
        ...replies,
        late,
        earlier,
        later,
      ]),
    );
    expect(final?.priority).toBe('urgent');
  });

  it('keeps tenants apart: the same ticket id is two tickets', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', rec(openedEvent('x1', 'T-shared')), at);
    expect(await store.get('globex', 'T-shared')).toBeNull();
    expect((await store.record('globex', rec(openedEvent('x1', 'T-shared')), at)).status).toBe('accepted');
  });

  it('leaves nothing half-written when the write fails, and a retry then succeeds', async () => {
    const broken = local();
    broken.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') throw new Error('connection reset');
        return next(args);
      },
      { step: 'initialize', name: 'failTransactions' },
    );
    const failing = new DynamoTicketStore(broken.documents, tables.tickets);
    await expect(failing.record('acme', rec(openedEvent('f1', 'T-fail')), at)).rejects.toThrow(
      'connection reset',
    );
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    expect(await store.get('acme', 'T-fail')).toBeNull();
    expect(await timelineOf('acme', 'T-fail')).toEqual([]);
    expect((await store.record('acme', rec(openedEvent('f1', 'T-fail')), at)).status).toBe('accepted');
  });

  it('stores the domain events to publish on the event-log item (the outbox), indexed by hour of recording', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', rec(openedEvent('ob', 'T-outbox')), at);
    const [entry] = await timelineOf('acme', 'T-outbox');
    expect(entry?.emits?.map((e) => e.detailType)).toEqual(['Ticket Received']);
    expect(entry).toMatchObject({ gpk: expect.stringMatching(/^acme#W#2026-11-23T01#\d$/) });
  });
});

describe('DynamoTicketStore.recordAll (a batch of one ticket)', () => {
  const counting = () => {
    const counted = local();
    const calls: string[] = [];
    counted.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    return { store: new DynamoTicketStore(counted.documents, tables.tickets), calls };
  };
  const reply = (id: string, ticketId: string, minute: number) =>
    ev({
      id,
      ticketId,
      type: minute % 2 ? 'agent.replied' : 'customer.replied',
      occurredAt: new Date(Date.UTC(2026, 10, 23, 0, minute)).toISOString(),
      data: minute % 2 ? { agentId: 'a1' } : {},
    });
  /** A seeded shuffle, so a failure names its order. */
  const shuffled = <T>(items: readonly T[], seed: number): T[] => {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j % out.length] as T, out[i] as T];
    }
    return out;
  };
  const summary = (outcome: PromiseSettledResult<RecordOutcome>) =>
    outcome.status === 'fulfilled' ? [outcome.value.status, emitted(outcome.value)] : ['rejected'];

  it('records a shuffled batch exactly as the same events one by one in occurredAt order, in a few transactions', async () => {
    const { store, calls } = counting();
    const held = [
      openedEvent('b-o', 'T-batch-a'),
      ...[40, 41, 42].map((m) => reply(`b-${m}`, 'T-batch-a', m)),
    ];
    const batch = [
      ...Array.from({ length: 120 }, (_, i) => reply(`b-${i + 43}`, 'T-batch-a', i + 43)),
      ...[5, 17, 30].map((m) => reply(`b-${m}`, 'T-batch-a', m)), // before what the ticket holds
    ];
    for (const e of held) {
      await store.record('acme', rec(e), at);
      await store.record('twin', rec(e), at);
    }
    const order = shuffled(batch, 7);
    calls.length = 0;
    const together = await store.recordAll('acme', order.map(rec), at);
    const transactions = calls.filter((c) => c === 'TransactWriteItemsCommand').length;
    const oneByOne = new Map<string, PromiseSettledResult<RecordOutcome>>();
    for (const e of [...batch].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1))) {
      oneByOne.set(e.id, { status: 'fulfilled', value: await store.record('twin', rec(e), at) });
    }
    expect(together.map(summary)).toEqual(order.map((e) => summary(oneByOne.get(e.id) as never)));
    const a = await store.get('acme', 'T-batch-a');
    const b = await store.get('twin', 'T-batch-a');
    expect({ ...a, tenantId: '', reference: '' }).toEqual({ ...b, tenantId: '', reference: '' });
    expect(a).toEqual(foldEvents(emptyTicket('acme', 'T-batch-a', a?.reference ?? ''), [...held, ...batch]));
    expect((await timelineOf('acme', 'T-batch-a')).map((t) => t.event.id)).toEqual(
      (await timelineOf('twin', 'T-batch-a')).map((t) => t.event.id),
    );
    // 3 late events one at a time, then 120 in ceil(120 / 45) = 3 transactions.
    expect(transactions).toBe(3 + 3);
  });

  it("answers a producer's retried batch: what was recorded is a duplicate, what is new is recorded once", async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const first = [
      openedEvent('rb-o', 'T-rebatch'),
      ...Array.from({ length: 30 }, (_, i) => reply(`rb-${i}`, 'T-rebatch', i + 1)),
    ];
    await store.recordAll('acme', first.map(rec), at);
    const extra = Array.from({ length: 5 }, (_, i) => reply(`rb-new-${i}`, 'T-rebatch', 40 + i));
    const again = await store.recordAll('acme', [...first, ...extra].map(rec), at);
    expect(again.map(summary).map(([status]) => status)).toEqual([
      ...first.map(() => 'duplicate'),
      ...extra.map(() => 'accepted'),
    ]);
    // Interleaved: new events inside the range the ticket holds, next to recorded ones.
    const between = reply('rb-between', 'T-rebatch', 50);
    const mixed = await store.recordAll(
      'acme',
      [extra[0], between, extra[1]].map((e) => rec(e as InboundEvent)),
      at,
    );
    expect(mixed.map(summary).map(([status]) => status)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect(await timelineOf('acme', 'T-rebatch')).toHaveLength(first.length + extra.length + 1);
    expect((await store.get('acme', 'T-rebatch'))?.eventCount).toBe(first.length + extra.length + 1);
  });

  it('answers an id repeated inside one batch: the same body is a duplicate, another body a conflict', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const open = openedEvent('in-o', 'T-inbatch');
    const r = reply('in-r', 'T-inbatch', 3);
    const changed = reply('in-r', 'T-inbatch', 5);
    const out = await store.recordAll('acme', [rec(open), rec(r), rec(r), rec(changed)], at);
    expect(out.map(summary).map(([status]) => status)).toEqual([
      'accepted',
      'accepted',
      'duplicate',
      'conflict',
    ]);
    expect(await timelineOf('acme', 'T-inbatch')).toHaveLength(2);
  });

  it('writes nothing of a chunk when its transaction fails, says so per event, and a retry records them', async () => {
    const broken = local();
    broken.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') throw new Error('connection reset');
        return next(args);
      },
      { step: 'initialize', name: 'failTransactions' },
    );
    const failing = new DynamoTicketStore(broken.documents, tables.tickets);
    const batch = [openedEvent('bf-o', 'T-bfail'), reply('bf-1', 'T-bfail', 1), reply('bf-2', 'T-bfail', 2)];
    const failed = await failing.recordAll('acme', batch.map(rec), at);
    expect(failed.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    expect(await store.get('acme', 'T-bfail')).toBeNull();
    expect(await timelineOf('acme', 'T-bfail')).toEqual([]);
    const retried = await store.recordAll('acme', batch.map(rec), at);
    expect(retried.map(summary).map(([status]) => status)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('loses nothing and doubles nothing when batches and single events race on one ticket: each is recorded or told to retry', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', rec(openedEvent('race-o', 'T-brace')), at);
    const batches = Array.from({ length: 3 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => reply(`race-${b}-${i}`, 'T-brace', 1 + b * 20 + i)),
    );
    const singles = Array.from({ length: 3 }, (_, i) => [reply(`race-s-${i}`, 'T-brace', 200 + i)]);
    const all = [...batches, ...singles];
    const outcomes = await Promise.all(all.map((events) => store.recordAll('acme', events.map(rec), at)));
    const retry = all.flatMap((events, b) =>
      events.filter((_, i) => {
        const o = outcomes[b]?.[i];
        if (o?.status === 'rejected') expect(o.reason).toBeInstanceOf(TicketContentionError);
        else expect(o?.status === 'fulfilled' && o.value.status).toBe('accepted');
        return o?.status === 'rejected';
      }),
    );
    for (const e of retry) expect((await store.record('acme', rec(e), at)).status).toBe('accepted');
    expect((await store.get('acme', 'T-brace'))?.eventCount).toBe(64);
    expect(await timelineOf('acme', 'T-brace')).toHaveLength(64);
  });
});

describe('DynamoDeliveryStore', () => {
  it('never resets a message once requested: a repeated request of the same delivery changes nothing', async () => {
    const deliveries = new DynamoDeliveryStore(clients.documents, tables.tickets);
    const ticket = { tenantId: 'acme', ticketId: 'T-msg', reference: 'HD-1', channel: 'chat' as const };
    const delivery = internalMessage(ticket, {
      key: 'escalation:first_response:1:0',
      purpose: 'escalation',
      roles: ['manager'],
      template: 'escalation',
      now: at,
      receivedAt: at.toISOString(),
      subject: 'late',
      text: 'late',
      data: {},
    });
    const request = (id: string) =>
      deliveries.request({
        ...ticket,
        delivery,
        activity: { id, type: 'escalation', at: at.toISOString() },
        emits: [],
      });
    expect(await request('a1')).toBe(true);
    const sent = await deliveries.get('acme', 'T-msg', delivery.deliveryId);
    const attempt = { at: at.toISOString(), endpoint: 'x.example', endpointId: 'x', ok: true, status: 200 };
    expect(
      await deliveries.settle(sent, 'delivered', at, [], undefined, {
        attempts: [attempt],
        succeeded: ['x'],
      }),
    ).toBe(true);
    // A second producer of the same message (a retried look, a racing firing) must not re-arm it.
    expect(await request('a2')).toBe(false);
    const after = await deliveries.get('acme', 'T-msg', delivery.deliveryId);
    expect([after.status, after.succeeded, after.attempts.length]).toEqual(['delivered', ['x'], 1]);
  });
});

describe('DynamoTenantStore', () => {
  it('creates a tenant whose key authenticates, stored only as a hash', async () => {
    const store = new DynamoTenantStore(clients.documents, tables.tenants);
    const issued = await store.create('initech', 'Initech', at);
    expect(await store.tenantFor(issued.apiKey)).toBe('initech');
    expect(await store.tenantFor(`${issued.apiKey.slice(0, -1)}x`)).toBeNull();
    expect(await store.tenantFor('not-a-key')).toBeNull();
    const items = await clients.documents.send(
      new QueryCommand({
        TableName: tables.tenants,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'initech' },
      }),
    );
    expect(JSON.stringify(items.Items)).not.toContain(issued.apiKey);
    await expect(store.create('initech', 'again', at)).rejects.toThrow(TenantExistsError);
  });

  it('allows two active keys, rotates out the oldest, and revokes', async () => {
    const store = new DynamoTenantStore(clients.documents, tables.tenants);
    const first = await store.create('hooli', 'Hooli', new Date('2026-01-01T00:00:00Z'));
    const second = await store.issueKey('hooli', new Date('2026-01-02T00:00:00Z'));
    await expect(store.issueKey('hooli', at)).rejects.toThrow(TooManyKeysError);
    const { issued: third, revoked } = await store.rotate('hooli', at);
    expect(revoked).toBe(first.keyId);
    expect(await store.tenantFor(first.apiKey)).toBeNull();
    expect(await store.tenantFor(second.apiKey)).toBe('hooli');
    expect(await store.tenantFor(third.apiKey)).toBe('hooli');
    await store.revoke('hooli', second.keyId, at);
    expect(await store.tenantFor(second.apiKey)).toBeNull();
    await expect(store.revoke('hooli', second.keyId, at)).rejects.toThrow(KeyNotFoundError);
    expect((await store.listKeys('hooli')).filter((k) => k.status === 'active').map((k) => k.keyId)).toEqual([
      third.keyId,
    ]);
  });

  it('never lets two racing issues exceed two active keys', async () => {
    const store = new DynamoTenantStore(clients.documents, tables.tenants);
    await store.create('racer', 'Racer', at);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => store.issueKey('racer', at)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.listKeys('racer')).filter((k) => k.status === 'active')).toHaveLength(2);
  });

  it('refuses keys for a tenant that does not exist', async () => {
    const store = new DynamoTenantStore(clients.documents, tables.tenants);
    await expect(store.issueKey('nobody', at)).rejects.toThrow(TenantNotFoundError);
  });
});

describe('outbox redrive', () => {
  it("re-publishes a ticket's domain events, or a tenant's recorded in a window, from the log", async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('redrv', rec(openedEvent('rd-1', 'T-rd1')), new Date('2026-11-23T09:10:00Z'));
    await store.record(
      'redrv',
      rec(
        ev({ id: 'rd-2', ticketId: 'T-rd1', type: 'customer.replied', occurredAt: '2026-11-23T00:05:00Z' }),
      ),
      new Date('2026-11-23T10:20:00Z'),
    );
    await store.record('redrv', rec(openedEvent('rd-3', 'T-rd2')), new Date('2026-11-23T11:30:00Z'));
    await store.record('other', rec(openedEvent('rd-4', 'T-rd3')), new Date('2026-11-23T10:00:00Z'));
    const published: string[] = [];
    const bus = {
      async publish(events: readonly DomainEvent[]) {
        published.push(...events.map((e) => e.detail.eventId));
        return { failed: [] };
      },
    };
    expect(
      await redriveOutbox(clients.documents, tables.tickets, { tenantId: 'redrv', ticketId: 'T-rd1' }, bus),
    ).toEqual({
      published: 2,
      refused: 0,
    });
    expect(published.sort()).toEqual(['customer-replied:rd-2', 'ticket-received:rd-1']);
    published.length = 0;
    const window = {
      tenantId: 'redrv',
      from: new Date('2026-11-23T09:30:00Z'),
      to: new Date('2026-11-23T11:30:00Z'),
    };
    expect(await redriveOutbox(clients.documents, tables.tickets, window, bus)).toEqual({
      published: 1,
      refused: 0,
    });
    expect(published).toEqual(['customer-replied:rd-2']); // 11:30 is outside [09:30, 11:30); other tenants never
  });
});
