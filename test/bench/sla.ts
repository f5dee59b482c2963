import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CallCounter,
  DynamoTimerStore,
  type MetricRecord,
  observeMetrics,
  QueueTimerRedrive,
  timerItem,
} from '@heed/aws';
import type { TenantConfigInput } from '@heed/contracts';
import { ManualClock, validateTenantConfig } from '@heed/core';
import { sweep } from '@heed/sweeper';
import { type Runtime, type Service, startRuntime } from '../../packages/local/src/runtime';
import { ScaledClock } from '../../packages/local/src/scaled-clock';
import { percentile, pool } from './stats';

/**
 * SLA benchmarks on the local runtime: whole ticket lifecycles (AWS calls and request units by
 * API, with and without the SLA service), the SLA service's throughput, timer lag on a real-time
 * clock, and what an idle minute costs with 100,000 open tickets. Prints figures; asserts nothing.
 */

const CONCURRENCY = 16;
const MINUTE = 60_000;

/** A webhook endpoint that accepts everything: deliveries succeed at once. Keeps survey links. */
export const startSink = async () => {
  let received = 0;
  const surveys = new Map<string, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        purpose: string;
        ticketId: string;
        data?: { url?: string };
      };
      if (body.purpose === 'survey' && body.data?.url) surveys.set(body.ticketId, body.data.url);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/heed`,
    received: () => received,
    surveys,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const configWith = (
  sla: TenantConfigInput['sla'],
  webhook?: string,
  followUp?: TenantConfigInput['followUp'],
) => {
  const checked = validateTenantConfig({
    calendars: { default: { timeZone: 'UTC', hours: { mon: [['09:00', '17:00']] } } },
    sla,
    ...(followUp && { followUp }),
    ...(webhook && { delivery: { webhooks: [{ url: webhook, secret: 'bench-secret-0123456789' }] } }),
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};

const poster = (rt: Runtime) => {
  const headers = {
    authorization: `Bearer ${rt.devTenant.apiKey ?? ''}`,
    'content-type': 'application/json',
  };
  return async (body: unknown) => {
    const res = await fetch(`${rt.url}/v1/events`, { method: 'POST', headers, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`intake answered ${res.status}`);
  };
};

export interface Usage {
  readonly calls: ReadonlyMap<string, number>;
  readonly units: ReadonlyMap<string, number>;
  readonly platform: ReadonlyMap<string, number>;
}
/** What a counter has counted so far (copies: the counter goes on counting). */
export const snapshot = (c: CallCounter): Usage => ({
  calls: new Map(c.counts),
  units: new Map(c.units),
  platform: new Map(c.platform),
});

/**
 * One lifecycle per ticket, the way support goes: a customer writes (acknowledged); half are
 * answered within 20 minutes, half after 70 (warned at 45, escalated to the assignee at 30 and
 * at the breach, to assignee and group lead); the customer writes again at 3 h, is answered at
 * 3.5 h and asked for more (pending); a reminder goes out the next day, the customer answers,
 * is answered, the ticket is solved; the survey goes out a day later and is clicked (score 5),
 * and the solved ticket closes four days on. First response 60, next 120, resolution 480
 * minutes; contact hours Monday to Friday 09–18 UTC.
 */
export const lifecycles = async (tickets: number, services: readonly Service[]) => {
  const sink = await startSink();
  const clock = new ManualClock('2026-11-24T09:00:00Z');
  // Configurations cached for a minute, as in Lambda (the local default is a second).
  const rt = await startRuntime({
    port: 0,
    clock,
    devTenant: { id: 'bench' },
    services,
    configCacheMs: 60_000,
  });
  await rt.tenants.putConfig(
    'bench',
    configWith(
      {
        rules: [
          {
            name: 'standard',
            hours: 'calendar',
            targets: { firstResponse: 60, nextResponse: 120, resolution: 480 },
          },
        ],
      },
      sink.url,
    ),
    clock.now(),
  );
  const post = poster(rt);
  const t0 = clock.now().getTime();
  const ids = Array.from({ length: tickets }, (_, i) => i);
  const event = (i: number, n: number, type: string, minutes: number, data: Record<string, unknown>) => ({
    id: `L-${i}-${n}`,
    type,
    ticketId: `L-${i}`,
    occurredAt: new Date(t0 + minutes * MINUTE).toISOString(),
    data,
  });
  const agent = { agentId: 'a-1', public: true };
  const DAY = 24 * 60;
  const steps: [number, (i: number) => unknown][] = [
    [
      0,
      (i) =>
        event(i, 1, 'ticket.opened', 0, { channel: 'email', customer: { id: `c-${i}`, locale: 'en-US' } }),
    ],
    [20, (i) => (i % 2 === 0 ? event(i, 2, 'agent.replied', 20, agent) : null)],
    [70, (i) => (i % 2 === 1 ? event(i, 2, 'agent.replied', 70, agent) : null)],
    [180, (i) => event(i, 3, 'customer.replied', 180, {})],
    [210, (i) => event(i, 4, 'agent.replied', 210, agent)],
    [215, (i) => event(i, 5, 'ticket.status_changed', 215, { status: 'pending' })],
    // The reminder went out at DAY + 215 (09:00 + 24 h 215 min is inside contact hours).
    [DAY + 240, (i) => event(i, 6, 'customer.replied', DAY + 240, {})],
    [DAY + 260, (i) => event(i, 7, 'agent.replied', DAY + 260, agent)],
    [DAY + 270, (i) => event(i, 8, 'ticket.status_changed', DAY + 270, { status: 'solved' })],
  ];
  rt.counter.reset();
  const started = performance.now();
  for (const [minutes, make] of steps) {
    await rt.advanceClock(new Date(t0 + minutes * MINUTE));
    await pool(ids, CONCURRENCY, async (i) => {
      const body = make(i);
      if (body) await post(body);
    });
    await rt.settle(300_000);
  }
  // The survey goes out a day after the solve; every customer clicks 5 and confirms it.
  await rt.advanceClock(new Date(t0 + (2 * DAY + 300) * MINUTE));
  await pool([...sink.surveys.values()], CONCURRENCY, async (url) => {
    for (const init of [
      { url: `${url}?score=5` },
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=5',
      },
    ]) {
      const res = await fetch(init.url, init);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`survey page answered ${res.status}`);
    }
  });
  await rt.settle(300_000);
  await rt.advanceClock(new Date(t0 + 7 * DAY * MINUTE));
  const seconds = (performance.now() - started) / 1000;
  const usage = snapshot(rt.counter);
  await rt.stop();
  await sink.close();
  return { tickets, seconds, usage, webhooks: sink.received(), surveys: sink.surveys.size };
};

/**
 * The SLA service's own pace: `tickets` openings wait in its queue, then one consumer (four
 * concurrent batches of ten, like a small Lambda concurrency) drains it. Each message is a
 * re-fold of the ticket's log, a conditional commit and a timer.
 */
export const slaThroughput = async (tickets: number) => {
  const clock = new ManualClock('2026-11-24T09:00:00Z');
  const rt = await startRuntime({ port: 0, clock, devTenant: { id: 'bench' }, services: [] });
  const post = poster(rt);
  await pool(
    Array.from({ length: tickets }, (_, i) => i),
    CONCURRENCY,
    async (i) =>
      post({
        id: `S-${i}`,
        type: 'ticket.opened',
        ticketId: `S-${i}`,
        occurredAt: clock.now().toISOString(),
        data: { channel: 'chat', customer: { id: `c-${i}` } },
      }),
  );
  await rt.settle(300_000);
  rt.counter.reset();
  const started = performance.now();
  await rt.startService('sla');
  await rt.settle(300_000);
  const seconds = (performance.now() - started) / 1000;
  const usage = snapshot(rt.counter);
  await rt.stop();
  return { tickets, seconds, perSecond: tickets / seconds, usage };
};

/**
 * Timer lag on a real-time clock: tickets whose first response is due one minute after they
 * open (warned at 45 s, breached at 60 s). TimerLag = when the SLA service took the firing −
 * when it was due, as the service records it.
 */
export const timerLag = async (tickets: number, owner: 'sla' | 'followup' = 'sla') => {
  const rt = await startRuntime({
    port: 0,
    clock: new ScaledClock(1),
    devTenant: { id: 'bench' },
    services: [owner],
  });
  const always = Object.fromEntries(
    ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]]),
  );
  await rt.tenants.putConfig(
    'bench',
    configWith(
      {
        rules: [
          { name: 'fast', hours: 'calendar', targets: { firstResponse: 1, nextResponse: 1, resolution: 1 } },
        ],
        escalation: [],
      },
      undefined,
      // Follow-ups: two reminders (45 s and 60 s after the ticket starts waiting), contact hours always.
      { contactHours: { hours: always }, pending: { reminders: [0.75, 1], autoClose: null } },
    ),
    rt.clock.now(),
  );
  await new Promise((r) => setTimeout(r, 1_100));
  const lags: number[] = [];
  const stop = observeMetrics((m: MetricRecord) => {
    if (m.name === 'TimerLag') lags.push(m.value);
  });
  const post = poster(rt);
  // Spread over ten seconds, so firings are not all at one instant.
  await pool(
    Array.from({ length: tickets }, (_, i) => i),
    4,
    async (i) => {
      await new Promise((r) => setTimeout(r, (i * 10_000) / tickets));
      await post({
        id: `T-${i}`,
        type: 'ticket.opened',
        ticketId: `T-${i}`,
        occurredAt: rt.clock.now().toISOString(),
        data: { channel: 'chat', customer: { id: `c-${i}` } },
      });
      if (owner === 'followup')
        await post({
          id: `P-${i}`,
          type: 'ticket.status_changed',
          ticketId: `T-${i}`,
          occurredAt: rt.clock.now().toISOString(),
          data: { status: 'pending' },
        });
    },
  );
  const deadline = Date.now() + 120_000;
  while (lags.length < tickets * 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  stop();
  await rt.stop();
  return {
    tickets,
    firings: lags.length,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: Math.max(...lags),
  };
};

/**
 * What an idle hour costs: `openTickets` pending SLA timers due over the next 30 days (none in
 * the hour), and the sweeper running every five minutes. Only the sweeper's reads are made;
 * their number does not depend on how many tickets are open.
 */
export const idle = async (openTickets: number) => {
  const rt = await startRuntime({ port: 0, devTenant: { id: 'bench' }, services: [] });
  const clock = new ManualClock('2026-11-24T09:00:00Z');
  const from = clock.now().getTime() + 60 * MINUTE;
  const span = 30 * 24 * 60 * MINUTE;
  const batches = Array.from({ length: Math.ceil(openTickets / 25) }, (_, b) => b);
  await pool(batches, CONCURRENCY, async (b) => {
    const items = Array.from({ length: Math.min(25, openTickets - b * 25) }, (_, i) => {
      const n = b * 25 + i;
      return timerItem({
        owner: 'sla',
        tenantId: 'bench',
        ticketId: `I-${n}`,
        generation: 1,
        dueAt: new Date(from + Math.floor((n * span) / openTickets)),
        state: { emitted: [], shape: 'x' },
        now: clock.now(),
      });
    });
    await rt.clients.documents.send(
      new BatchWriteCommand({
        RequestItems: { [rt.tables.tickets]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  });
  const deps = {
    timers: new DynamoTimerStore(rt.clients.documents, rt.tables.tickets),
    redrive: new QueueTimerRedrive(rt.clients.sqs, {
      sla: rt.queues.sla.url,
      followup: rt.queues.followup.url,
    }),
    clock,
  };
  await sweep(deps); // the first run sets the watermark
  rt.counter.reset();
  let redriven = 0;
  for (let run = 0; run < 12; run++) {
    clock.advance(5 * MINUTE);
    redriven += (await sweep(deps)).redriven;
  }
  const usage = snapshot(rt.counter);
  await rt.stop();
  return { openTickets, minutes: 60, redriven, usage };
};
