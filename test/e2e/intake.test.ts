import { DEFAULT_TENANT_CONFIG } from '@heed/core';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, opened, startTestRuntime, type TestRuntime } from '../support/runtime';

let rt: TestRuntime;
let api: ReturnType<typeof apiClient>;
const delivered: Record<string, { 'detail-type': string; detail: { eventId: string; ticketId: string } }[]> =
  {
    acknowledger: [],
    sla: [],
    followup: [],
  };

beforeAll(async () => {
  rt = await startTestRuntime({ services: [] }); // this file reads the queues itself
  api = apiClient(rt, rt.apiKey);
  for (const consumer of ['acknowledger', 'sla', 'followup'] as const) {
    rt.consume(consumer, async (event: SQSEvent) => {
      for (const record of event.Records) delivered[consumer]?.push(JSON.parse(record.body));
      return { batchItemFailures: [] };
    });
  }
});
afterAll(async () => {
  await rt?.stop();
});

type Timeline = { timeline: { id: string; type: string }[] };

describe('POST /v1/events and GET /v1/tickets/{id}', () => {
  it('accepts a ticket, shows it, and reports the same event again as a duplicate', async () => {
    const event = opened();
    const first = await api.post(event);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'accepted', id: event.id, ticketId: event.ticketId });
    expect(first.body.reference).toMatch(/^HD-[0-9A-Z]{8}$/);

    const again = await api.post(event);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', id: event.id, ticketId: event.ticketId });

    const ticket = await api.ticket<Timeline & Record<string, unknown>>(event.ticketId);
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      ticketId: event.ticketId,
      reference: first.body.reference,
      status: 'open',
      priority: 'high',
      channel: 'email',
      customer: { id: 'c-1', locale: 'ja-JP', timeZone: 'Asia/Tokyo' },
    });
    expect(ticket.body.timeline).toHaveLength(1);
    expect(ticket.body.timeline[0]).toMatchObject({
      id: event.id,
      type: 'ticket.opened',
      emitted: ['Ticket Received'],
    });
  });

  it('publishes Ticket Received through the outbox to the queues the routing table names', async () => {
    const event = opened();
    await api.post(event);
    const forTicket = (consumer: string) =>
      delivered[consumer]?.filter((e) => e.detail.ticketId === event.ticketId) ?? [];
    const ack = await eventually(() =>
      forTicket('acknowledger').length > 0 ? forTicket('acknowledger') : undefined,
    );
    expect(ack[0]).toMatchObject({
      source: 'heed',
      'detail-type': 'Ticket Received',
      detail: { eventId: `ticket-received:${event.id}` },
    });
    await eventually(() => (forTicket('sla').length > 0 ? true : undefined));
    await rt.settle();
    expect(forTicket('followup')).toEqual([]); // not routed there
    expect(JSON.stringify(ack)).not.toContain('aiko@example.com'); // no PII on the bus
  });

  it('does not lose an accepted event when the bus fails: the relay retries', async () => {
    const original = rt.bus.publish.bind(rt.bus);
    let failures = 0;
    rt.bus.publish = async (events) => {
      if (failures < 2) {
        failures++;
        throw new Error('EventBridge unavailable');
      }
      return original(events);
    };
    try {
      const event = opened();
      expect((await api.post(event)).status).toBe(202);
      await eventually(() => delivered.acknowledger?.find((e) => e.detail.ticketId === event.ticketId));
      expect(failures).toBe(2);
    } finally {
      rt.bus.publish = original;
    }
  });

  it('folds events that arrive out of order by occurredAt', async () => {
    const open = opened({ occurredAt: '2026-11-23T00:00:00Z' });
    const base = { ticketId: open.ticketId };
    await api.post({
      ...base,
      id: `${open.id}-s`,
      type: 'ticket.status_changed',
      occurredAt: '2026-11-23T03:00:00Z',
      data: { status: 'pending' },
    });
    await api.post({
      ...base,
      id: `${open.id}-r`,
      type: 'agent.replied',
      occurredAt: '2026-11-23T01:00:00Z',
      data: { agentId: 'a-7' },
    });
    await api.post(open);
    await api.post({
      ...base,
      id: `${open.id}-o`,
      type: 'ticket.status_changed',
      occurredAt: '2026-11-23T02:00:00Z',
      data: { status: 'on_hold' },
    });
    const ticket = await api.ticket<Timeline & Record<string, unknown>>(open.ticketId);
    expect(ticket.body).toMatchObject({
      status: 'pending',
      opened: true,
      firstPublicReplyAt: '2026-11-23T01:00:00.000Z',
    });
    expect(ticket.body.timeline.map((t) => t.id)).toEqual([
      open.id,
      `${open.id}-r`,
      `${open.id}-o`,
      `${open.id}-s`,
    ]);
  });

  it('orders events of Python, .NET, Go and Java producers by every fraction digit, kept verbatim', async () => {
    const open = opened({ occurredAt: '2026-11-23T09:00:00.123456+09:00' }); // Python isoformat()
    const base = { ticketId: open.ticketId };
    // Within one millisecond: ordered by id ("z…" before "a…") they would end pending, not solved.
    const events = [
      open,
      {
        ...base,
        id: `z-${open.id}`,
        type: 'ticket.status_changed',
        occurredAt: '2026-11-23T00:00:00.1234567Z', // .NET round-trip "o"
        data: { status: 'pending' },
      },
      {
        ...base,
        id: `a-${open.id}`,
        type: 'ticket.status_changed',
        occurredAt: '2026-11-22T19:00:00.123456789-05:00', // Go RFC3339Nano, Java Instant
        data: { status: 'solved' },
      },
    ];
    const batch = await api.post<{ results: { status: string }[] }>({ events: [...events].reverse() });
    expect(batch.status).toBe(202);
    expect(batch.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const ticket = await api.ticket<{
      status: string;
      timeline: { id: string; occurredAt: string; late?: boolean }[];
    }>(open.ticketId);
    expect(ticket.body.status).toBe('solved');
    expect(ticket.body.timeline.map((t) => [t.id, t.occurredAt])).toEqual(
      events.map((e) => [e.id, e.occurredAt]),
    );
  });
  it('applies one of 10 concurrent deliveries of the same event', async () => {
    const event = opened();
    const replies = await Promise.all(Array.from({ length: 10 }, () => api.post(event)));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200 && r.body.status === 'duplicate')).toHaveLength(9);
    const ticket = await api.ticket<Timeline>(event.ticketId);
    expect(ticket.body.timeline).toHaveLength(1);
  });
});

describe('errors', () => {
  it('401 without a key, with a malformed header, or with an unknown or revoked key', async () => {
    const res = await fetch(`${rt.url}/v1/events`, { method: 'POST', body: JSON.stringify(opened()) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    expect((await api.post(opened(), { authorization: 'Basic abc' })).status).toBe(401);
    expect(
      (await apiClient(rt, 'heed_acme_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').post(opened())).status,
    ).toBe(401);
    const second = await rt.tenants.issueKey('acme', rt.clock.now());
    await rt.tenants.revoke('acme', second.keyId, rt.clock.now());
    expect((await apiClient(rt, second.apiKey).post(opened())).status).toBe(401);
    expect((await apiClient(rt, second.apiKey).ticket('T-1')).status).toBe(401);
  });

  it('400 naming every offending field, and nothing is written', async () => {
    const event = opened({ occurredAt: 'soon' });
    const bad = { ...event, data: { ...event.data, priority: 'asap', customer: { email: 'not-an-email' } } };
    const res = await api.post<{ error: string; errors: { path: string }[] }>(bad);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_event');
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(
      ['data.customer.email', 'data.customer.id', 'data.priority', 'occurredAt'].sort(),
    );
    expect((await api.ticket(event.ticketId)).status).toBe(404);
  });

  it('400 for an unknown type, naming it', async () => {
    const res = await api.post<{ errors: { path: string; message: string }[] }>(
      opened({ type: 'ticket.vanished' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'type' });
    expect(res.body.errors[0]?.message).toContain('ticket.vanished');
  });

  it('413 for a body over 256 KB', async () => {
    const res = await api.post(opened({ data: { ...opened().data, notes: 'x'.repeat(256 * 1024) } }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
  });

  it('415 for a body not declared as JSON (or not declared at all), 400 for one that is not JSON', async () => {
    const bad = await api.post<{ error: string; message: string }>('this is not json');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_json' });
    expect((await api.post(JSON.stringify(opened()), { 'content-type': 'text/plain' })).status).toBe(415);
    // fetch adds text/plain to a string body; a raw request can send none at all.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${rt.url}/v1/events`,
        { method: 'POST', headers: { authorization: `Bearer ${rt.apiKey}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(opened()));
    });
    expect(status).toBe(415);
  });

  it('404 for another tenant’s ticket; the same event id is that tenant’s own', async () => {
    const event = opened();
    await api.post(event);
    const other = await rt.tenants.create('globex', 'Globex', rt.clock.now());
    const globex = apiClient(rt, other.apiKey);
    expect((await globex.ticket(event.ticketId)).status).toBe(404);
    expect((await globex.post(event)).status).toBe(202);
    expect((await api.ticket<Timeline>(event.ticketId)).body.timeline).toHaveLength(1);
  });

  it('404 for an unknown route', async () => {
    const res = await fetch(`${rt.url}/v1/nothing`, { headers: { authorization: `Bearer ${rt.apiKey}` } });
    expect(res.status).toBe(404);
  });
});

describe('batches', () => {
  type Batch = {
    accepted: number;
    duplicates: number;
    rejected: number;
    results: { index: number; status: string; errors?: { path: string }[] }[];
  };

  it('gives each event its own result: one bad event does not reject the rest', async () => {
    const good = opened();
    const dup = opened();
    await api.post(dup);
    const res = await api.post<Batch>({
      events: [good, { ...opened(), ticketId: '' }, dup, { id: 'x', type: 'nope' }],
    });
    expect(res.status).toBe(207);
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 2 });
    expect(res.body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'duplicate', 'rejected']);
    expect(res.body.results[1]?.errors?.map((e) => e.path)).toEqual(['ticketId']);
    expect((await api.ticket(good.ticketId)).status).toBe(200);
  });

  it('accepts a full batch of 100 and refuses 101 naming `events`', async () => {
    const ticket = opened();
    const events = [
      ticket,
      ...Array.from({ length: 99 }, (_, i) => ({
        id: `${ticket.id}-${i}`,
        type: 'customer.replied',
        ticketId: ticket.ticketId,
        occurredAt: new Date(Date.UTC(2026, 10, 23, 1, i)).toISOString(),
      })),
    ];
    const ok = await api.post<Batch>({ events });
    expect(ok.status).toBe(202);
    expect(ok.body.accepted).toBe(100);
    expect((await api.ticket<Timeline>(ticket.ticketId, { limit: '200' })).body.timeline).toHaveLength(100);
    const tooMany = await api.post<{ errors: { path: string }[] }>({ events: [...events, opened()] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e) => e.path)).toEqual(['events']);
  });

  it('answers 400 when every event of a batch is rejected', async () => {
    const res = await api.post<Batch>({ events: [{}, { type: 'ticket.opened' }] });
    expect(res.status).toBe(400);
    expect(res.body.rejected).toBe(2);
  });
});

describe('metrics', () => {
  it('counts accepted, duplicate, rejected events and tickets by channel, with no PII in dimensions', async () => {
    const before = rt.metrics.length;
    const event = opened({ data: { ...opened().data, channel: 'chat' } });
    await api.post(event);
    await api.post(event);
    await api.post({ ...event, id: '' });
    const names = rt.metrics.slice(before).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['EventsAccepted', 'TicketsReceived', 'DuplicatesIgnored', 'Rejected']),
    );
    expect(rt.metrics.slice(before).find((m) => m.name === 'TicketsReceived')?.dimensions).toEqual({
      channel: 'chat',
    });
    expect(JSON.stringify(rt.metrics)).not.toMatch(/aiko|@example\.com/i);
  });
});

describe('outbox relay', () => {
  it('relayed every accepted event without giving up on any', async () => {
    await rt.settle();
    expect(rt.relay.failures).toEqual([]);
  });
});

describe('ticket ids', () => {
  it('round-trip ids with reserved characters through the URL', async () => {
    const event = opened({ ticketId: 'ZD#4711/50% off?' });
    expect((await api.post(event)).status).toBe(202);
    const ticket = await api.ticket<{ ticketId: string }>(event.ticketId);
    expect(ticket.status).toBe(200);
    expect(ticket.body.ticketId).toBe('ZD#4711/50% off?');
  });
});

describe('reading a long ticket', () => {
  it('returns the newest timeline page with a cursor, and every entry exactly once across pages', async () => {
    const open = opened({ occurredAt: '2026-11-22T00:00:00Z' });
    const events = [
      open,
      ...Array.from({ length: 119 }, (_, i) => ({
        id: `${open.id}-${i}`,
        type: 'customer.replied',
        ticketId: open.ticketId,
        // Pairs at the same millisecond: the order within an instant is by id, across pages too.
        occurredAt: new Date(Date.UTC(2026, 10, 22, 1, Math.floor(i / 2))).toISOString(),
      })),
    ];
    for (let i = 0; i < events.length; i += 100) await api.post({ events: events.slice(i, i + 100) });
    type Page = {
      timeline: { id?: string; at: string }[];
      timelineCursor: string | null;
      eventCount: number;
    };
    const first = (await api.ticket<Page>(open.ticketId)).body;
    expect(first.eventCount).toBe(120);
    expect(first.timeline).toHaveLength(50);
    expect(first.timelineCursor).toEqual(expect.any(String));
    const seen: string[] = [];
    let page: Page = first;
    for (;;) {
      seen.unshift(...page.timeline.flatMap((t) => (t.id ? [t.id] : [])));
      if (!page.timelineCursor) break;
      page = (await api.ticket<Page>(open.ticketId, { before: page.timelineCursor, limit: '37' })).body;
      expect(page.timeline.length).toBeLessThanOrEqual(37);
    }
    const expected = [...events].sort((a, b) =>
      a.occurredAt === b.occurredAt
        ? a.id < b.id
          ? -1
          : 1
        : Date.parse(a.occurredAt) - Date.parse(b.occurredAt),
    );
    expect(seen).toEqual(expected.map((e) => e.id));
    expect((await api.ticket(open.ticketId, { limit: '0' })).status).toBe(400);
    expect((await api.ticket(open.ticketId, { before: 'garbage' })).status).toBe(400);
  });

  it('answers a read in its documented order, and an unknown route with the same error body as any error', async () => {
    const event = opened();
    expect((await api.post(event)).status).toBe(202);
    const res = await fetch(`${rt.url}/v1/tickets/${event.ticketId}`, {
      headers: { authorization: `Bearer ${rt.apiKey}` },
    });
    const keys = Object.keys((await res.json()) as Record<string, unknown>);
    expect(keys.slice(0, 4)).toEqual(['ticketId', 'reference', 'status', 'priority']);
    expect(keys.slice(keys.indexOf('eventCount'))).toEqual([
      'eventCount',
      'sla',
      'followUps',
      'survey',
      'linkedTickets',
      'acknowledgements',
      'deliveries',
      'timeline',
      'timelineCursor',
    ]);
    for (const [method, path] of [
      ['GET', '/v1/nope'],
      ['POST', '/v1/tickets/T-1'],
      ['GET', '/'],
    ] as const) {
      const r = await fetch(`${rt.url}${path}`, { method });
      expect(r.status, path).toBe(404);
      expect(await r.json()).toEqual({ error: 'not_found', message: `no route ${method} ${path}` });
    }
  });

  it('cuts a page of big events at about a megabyte and pages on; takes back only its own cursors', async () => {
    const open = opened({ occurredAt: '2026-11-22T00:00:00Z' });
    expect((await api.post(open)).status).toBe(202);
    const big = 'x'.repeat(200_000);
    const ids = [open.id];
    for (let i = 0; i < 8; i++) {
      const event = {
        id: `${open.id}-big-${i}`,
        type: 'customer.replied',
        ticketId: open.ticketId,
        occurredAt: new Date(Date.UTC(2026, 10, 22, 1, i)).toISOString(),
        data: { attachmentPreview: big },
      };
      expect((await api.post(event)).status).toBe(202);
      ids.push(event.id);
    }
    type Page = { timeline: { id?: string }[]; timelineCursor: string | null };
    const seen: string[] = [];
    let query: Record<string, string> = { limit: '25' };
    for (let pages = 0; pages < 20; pages++) {
      const res = await fetch(
        `${rt.url}/v1/tickets/${encodeURIComponent(open.ticketId)}?${new URLSearchParams(query)}`,
        {
          headers: { authorization: `Bearer ${rt.apiKey}` },
        },
      );
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(Buffer.byteLength(text)).toBeLessThan(1_100_000);
      const page = JSON.parse(text) as Page;
      expect(page.timeline.length).toBeGreaterThan(0);
      seen.unshift(...page.timeline.flatMap((t) => (t.id ? [t.id] : [])));
      if (!page.timelineCursor) break;
      query = { limit: '25', before: page.timelineCursor };
    }
    expect(seen).toEqual(ids);
    // A cursor this API never handed out: a long run of digits, or a valid one re-encoded.
    const forged = Buffer.from(`2026-11-22T01:00:00.${'1'.repeat(1100)}Z#x`).toString('base64url');
    expect((await api.ticket(open.ticketId, { before: forged })).status).toBe(400);
    const loose = Buffer.from('2026-11-22T01:00:00.5Z#x').toString('base64url');
    expect((await api.ticket(open.ticketId, { before: loose })).status).toBe(400);
  });

  it('answers a read with the reason, never a 500, when a stored configuration cannot compute', async () => {
    // Stored before validation refused such things: a year-long target on a one-minute week.
    const legacy = await rt.tenants.create('legacy', 'Legacy', rt.clock.now());
    await rt.tenants.putConfig(
      'legacy',
      {
        ...DEFAULT_TENANT_CONFIG,
        calendars: { default: { timeZone: 'UTC', hours: { mon: [['09:00', '09:01']] }, holidays: [] } },
        sla: {
          ...DEFAULT_TENANT_CONFIG.sla,
          rules: [
            {
              name: 'slow',
              match: {},
              calendar: 'default',
              hours: 'business',
              targets: { firstResponse: 525_600, nextResponse: 60, resolution: 60 },
            },
          ],
        },
      },
      rt.clock.now(),
    );
    const client = apiClient(rt, legacy.apiKey);
    const event = opened({ occurredAt: '2026-11-23T00:00:00Z' });
    expect((await client.post(event)).status).toBe(202);
    const read = await client.ticket<{ status: string; sla: { clocks: unknown[]; problem: string } }>(
      event.ticketId,
    );
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('open');
    expect(read.body.sla).toMatchObject({ clocks: [], problem: expect.stringContaining('CalendarError') });
  });

  it('answers an id no ticket can have with a 400 naming it, never a 500 (DynamoDB keys are bounded)', async () => {
    for (const id of ['x'.repeat(5000), 'a\u0001b', 'a\uFFFE', ' padded']) {
      const res = await api.ticket<{ error: string; errors: { path: string }[] }>(id);
      expect(res.status, id.slice(0, 20)).toBe(400);
      expect(res.body.errors.map((e) => e.path)).toEqual(['ticketId']);
    }
    expect((await api.ticket(`T-${'😀'.repeat(60)}`)).status).toBe(404); // valid, just unknown
  });
});
