import '../../packages/local/src/local-env';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRuntime } from '../../packages/local/src/runtime';
import { measureBundles } from './bundles';
import { costRows, totalPerMillion } from './cost';
import { printLong } from './long';
import { printReport } from './report';
import { idle, lifecycles, slaThroughput, timerLag, type Usage } from './sla';
import { percentile, pool, table } from './stats';

/**
 * Intake benchmark on the local runtime: throughput and latency of POST /v1/events, and the AWS
 * API calls the handlers make per accepted event (counted by an SDK middleware). Prints figures;
 * asserts nothing. Sizes: HEED_BENCH_EVENTS (default 3000), HEED_BENCH_CONCURRENCY (default 16).
 */
const EVENTS = Number(process.env.HEED_BENCH_EVENTS ?? 3000);
const CONCURRENCY = Number(process.env.HEED_BENCH_CONCURRENCY ?? 16);

// Bundles first: what each function ships and what its cold-start import costs.
const bundles = await measureBundles();
console.log(
  `\nLambda bundles, built as CDK builds them (ESM, minified, AWS SDK v3 from the runtime); import = module-scope cold start in a fresh Node ${process.version} process, 7 runs\n`,
);
console.log(
  table([
    ['function', 'bundle KB', 'cold import p50 ms', 'max ms', 'own code p50 ms', 'AWS SDK clients loaded'],
    ...bundles.map((b) => [b.fn, b.kb, b.importMsP50, b.importMsMax, b.ownMsP50, b.sdk.join(', ')]),
  ]),
);

// Intake alone first (no consumers competing for DynamoDB Local), then the acknowledgement path.
const runtime = await startRuntime({ port: 0, devTenant: { id: 'bench' }, services: [] });
const key = runtime.devTenant.apiKey ?? '';
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
let published = 0;
runtime.bus.onEvent(() => {
  published++;
});

const openedEvent = (i: number) => ({
  id: `bench-open-${i}`,
  type: 'ticket.opened',
  ticketId: `B-${i}`,
  occurredAt: new Date(Date.UTC(2026, 10, 23, 0, 0, i % 60)).toISOString(),
  data: {
    channel: i % 2 ? 'email' : 'chat',
    priority: 'normal',
    customer: { id: `c-${i}`, locale: 'en-US' },
  },
});

const post = async (body: unknown): Promise<number> => {
  const res = await fetch(`${runtime.url}/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
};

// Warm-up (JIT, connections, DynamoDB Local's first writes), not measured.
await pool(
  Array.from({ length: 200 }, (_, i) => i),
  CONCURRENCY,
  async (i) => {
    await post({ ...openedEvent(i), id: `warm-${i}`, ticketId: `W-${i}` });
  },
);
await runtime.settle();

const measure = async (label: string, bodies: unknown[], eventsPerBody: number) => {
  runtime.counter.reset();
  const before = published;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  await pool(bodies, CONCURRENCY, async (body) => {
    const t0 = performance.now();
    const status = await post(body);
    latencies.push(performance.now() - t0);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  const seconds = (performance.now() - started) / 1000;
  const expected = bodies.length * eventsPerBody;
  const deadline = Date.now() + 60_000;
  while (published - before < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await runtime.settle();
  return {
    label,
    requests: bodies.length,
    events: expected,
    statuses: [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
    eventsPerSecond: expected / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    published: published - before,
    calls: new Map(runtime.counter.counts),
    // Per accepted event; for the duplicate replay (nothing accepted) per request.
    callsPerEvent: runtime.counter.total() / (expected || bodies.length),
  };
};

const single = await measure(
  'single events',
  Array.from({ length: EVENTS }, (_, i) => openedEvent(i)),
  1,
);
const batches = await measure(
  'batches of 100',
  Array.from({ length: Math.ceil(EVENTS / 100) }, (_, b) => ({
    events: Array.from({ length: 100 }, (_, i) => ({
      ...openedEvent(b * 100 + i),
      id: `bench-batch-${b}-${i}`,
      ticketId: `BB-${b}-${i}`,
    })),
  })),
  100,
);
const duplicates = await measure(
  'duplicates (replay of the first run)',
  Array.from({ length: Math.min(EVENTS, 1000) }, (_, i) => openedEvent(i)),
  0,
);

console.log(
  `\nHeed intake on the local runtime (${EVENTS} events, ${CONCURRENCY} concurrent clients, Node ${process.version})\n`,
);
console.log(
  table([
    ['run', 'requests', 'HTTP statuses', 'events/s', 'p50 ms', 'p99 ms', 'published', 'AWS calls per event'],
    ...[single, batches, duplicates].map((r) => [
      r.label,
      r.requests,
      r.statuses,
      r.eventsPerSecond,
      r.p50,
      r.p99,
      r.published,
      r.callsPerEvent,
    ]),
  ]),
);
for (const r of [single, batches, duplicates]) {
  const denominator = r.events || r.requests;
  console.log(`\nAWS API calls, ${r.label} (per ${r.events ? 'accepted event' : 'duplicate request'}):`);
  console.log(
    table([['call', 'count', 'per event'], ...[...r.calls].sort().map(([c, n]) => [c, n, n / denominator])]),
  );
}
await runtime.stop();

// Intake → acknowledgement delivered: a loopback webhook receiver notes when each ticket's
// acknowledgement arrives; latency is measured from the moment its POST was sent.
const ACK_TICKETS = Number(process.env.HEED_BENCH_ACK_TICKETS ?? 2000);
/** Tickets per second offered to the acknowledgement path (paced, so latency is not queueing). */
const ACK_RATE = Number(process.env.HEED_BENCH_ACK_RATE ?? 10);
const arrivals = new Map<string, number>();
const receiver = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { ticketId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ticketId: string };
  if (!arrivals.has(ticketId)) arrivals.set(ticketId, performance.now());
  res.writeHead(204).end();
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverPort = (receiver.address() as AddressInfo).port;
const ackRuntime = await startRuntime({
  port: 0,
  devTenant: { id: 'bench' },
  webhook: { url: `http://127.0.0.1:${receiverPort}/ack`, secret: 'bench-secret-0123456789' },
  // The acknowledgement path alone; the SLA service is measured below.
  services: ['acknowledger', 'notifier'],
});
const ackHeaders = {
  authorization: `Bearer ${ackRuntime.devTenant.apiKey ?? ''}`,
  'content-type': 'application/json',
};
const sentAt = new Map<string, number>();
const locales = ['en-US', 'ja-JP', 'ko-KR', 'ar-SA', 'ro-RO', 'es-ES', 'fr-FR', 'de-DE', 'pt-BR', 'zh-CN'];
ackRuntime.counter.reset();
const ackStarted = performance.now();
await pool(
  Array.from({ length: ACK_TICKETS }, (_, i) => i),
  CONCURRENCY,
  async (i) => {
    const due = ackStarted + (i * 1000) / ACK_RATE;
    if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
    const event = { ...openedEvent(i), id: `ack-${i}`, ticketId: `A-${i}` };
    event.data = { ...event.data, customer: { id: `c-${i}`, locale: locales[i % locales.length] ?? 'en' } };
    sentAt.set(event.ticketId, performance.now());
    const res = await fetch(`${ackRuntime.url}/v1/events`, {
      method: 'POST',
      headers: ackHeaders,
      body: JSON.stringify(event),
    });
    await res.arrayBuffer();
  },
);
const ackDeadline = Date.now() + 10 * 60_000;
while (arrivals.size < ACK_TICKETS && Date.now() < ackDeadline) await new Promise((r) => setTimeout(r, 100));
const ackSeconds = (performance.now() - ackStarted) / 1000;
await ackRuntime.settle();
const ackLatencies = [...arrivals].map(([ticket, at]) => at - (sentAt.get(ticket) ?? at));
console.log(
  `\nIntake → acknowledgement delivered to a webhook (${ACK_TICKETS} tickets in 10 locales, offered at ${ACK_RATE}/s)\n`,
);
console.log(
  table([
    ['tickets', 'acknowledged', 'tickets/s end to end', 'p50 ms', 'p99 ms', 'max ms', 'AWS calls per ticket'],
    [
      ACK_TICKETS,
      arrivals.size,
      arrivals.size / ackSeconds,
      percentile(ackLatencies, 50),
      percentile(ackLatencies, 99),
      Math.max(...ackLatencies),
      ackRuntime.counter.total() / ACK_TICKETS,
    ],
  ]),
);
console.log('\nAWS API calls per acknowledged ticket (intake, relay, acknowledger, notifier):');
console.log(
  table([
    ['call', 'count', 'per ticket'],
    ...[...ackRuntime.counter.counts].sort().map(([c, n]) => [c, n, n / ACK_TICKETS]),
  ]),
);
await ackRuntime.stop();
receiver.close();

// ---- SLA: lifecycles, the service's pace, timer lag, the idle cost ----
const LIFECYCLES = Number(process.env.HEED_BENCH_LIFECYCLES ?? 200);
const SLA_TICKETS = Number(process.env.HEED_BENCH_SLA_TICKETS ?? 500);
const TIMER_TICKETS = Number(process.env.HEED_BENCH_TIMER_TICKETS ?? 100);
const OPEN_TICKETS = Number(process.env.HEED_BENCH_OPEN_TICKETS ?? 100_000);

const withoutSla = await lifecycles(LIFECYCLES, ['acknowledger', 'notifier']);
const withSla = await lifecycles(LIFECYCLES, ['acknowledger', 'notifier', 'sla']);
const withFollowUps = await lifecycles(LIFECYCLES, ['acknowledger', 'notifier', 'sla', 'followup']);
const variants = [withoutSla, withSla, withFollowUps].map((v) => v.usage);
const keys = (u: Usage) => [...new Set([...u.calls.keys(), ...u.platform.keys()])];
const countOf = (u: Usage, k: string) => u.calls.get(k) ?? u.platform.get(k as never) ?? 0;
console.log(
  `\nTicket lifecycles (${LIFECYCLES}: opened, acknowledged, half answered late and escalated, a second exchange, pending with a reminder, answered, solved, surveyed and clicked, closed), manual clock; ${withFollowUps.surveys} surveys clicked\n`,
);
console.log(
  table([
    [
      'AWS request (handler calls as Service.Call; platform requests in words)',
      'per lifecycle: ack + notify',
      '+ SLA',
      '+ follow-ups',
      'SLA adds',
      'follow-ups add',
    ],
    ...[...new Set(variants.flatMap(keys))].sort().map((k) => {
      const [a, b, c] = variants.map((u) => countOf(u, k) / LIFECYCLES) as [number, number, number];
      return [k, a, b, c, b - a, c - b];
    }),
    ...(['WRU', 'RRU'] as const).map((unit) => {
      const [a, b, c] = variants.map((u) => (u.units.get(unit) ?? 0) / LIFECYCLES) as [
        number,
        number,
        number,
      ];
      return [`DynamoDB ${unit} consumed`, a, b, c, b - a, c - b];
    }),
  ]),
);
const [rowsWithout, rowsSla, rowsAll] = variants.map((u) => costRows(u, LIFECYCLES)) as [
  ReturnType<typeof costRows>,
  ReturnType<typeof costRows>,
  ReturnType<typeof costRows>,
];
console.log('\nList price per 1,000,000 full ticket lifecycles (us-east-1, on-demand, no free tier)\n');
console.log(
  table([
    ['billed item', 'per lifecycle', '$ per 1M lifecycles', 'of which SLA', 'of which follow-ups'],
    ...rowsAll.map(([name, quantity, dollars], i) => [
      name,
      quantity,
      dollars,
      (rowsSla[i]?.[2] ?? 0) - (rowsWithout[i]?.[2] ?? 0),
      dollars - (rowsSla[i]?.[2] ?? 0),
    ]),
    [
      'total',
      '',
      totalPerMillion(rowsAll),
      totalPerMillion(rowsSla) - totalPerMillion(rowsWithout),
      totalPerMillion(rowsAll) - totalPerMillion(rowsSla),
    ],
  ]),
);

const pace = await slaThroughput(SLA_TICKETS);
console.log(
  `\nSLA service alone: ${SLA_TICKETS} queued ticket events drained by one consumer (4 concurrent batches of 10)\n`,
);
console.log(
  table([
    ['events', 'seconds', 'events/s', 'AWS calls per event'],
    [
      pace.tickets,
      pace.seconds,
      pace.perSecond,
      [...pace.usage.calls.values()].reduce((a, b) => a + b, 0) / SLA_TICKETS,
    ],
  ]),
);

for (const owner of ['sla', 'followup'] as const) {
  const lag = await timerLag(TIMER_TICKETS, owner);
  console.log(
    owner === 'sla'
      ? `\nSLA timer lag on the local runtime, real-time clock (${TIMER_TICKETS} tickets due 45 s and 60 s after opening): fired − due, ms\n`
      : `\nFollow-up timer lag on the local runtime, real-time clock (${TIMER_TICKETS} pending tickets, reminders 45 s and 60 s after): fired − due, ms\n`,
  );
  console.log(
    table([
      ['firings', 'p50 ms', 'p99 ms', 'max ms'],
      [lag.firings, lag.p50, lag.p99, lag.max],
    ]),
  );
}

const idleNone = await idle(0);
const idleMany = await idle(OPEN_TICKETS);
console.log('\nAn idle hour (no events, nothing due): the sweeper every 5 minutes is all that runs\n');
console.log(
  table([
    ['open tickets', 'AWS calls per idle minute', 'by API', 'RRU per minute', 're-driven'],
    ...[idleNone, idleMany].map((r) => [
      r.openTickets,
      [...r.usage.calls.values()].reduce((a, b) => a + b, 0) / r.minutes,
      [...r.usage.calls].map(([k, n]) => `${k} ${(n / r.minutes).toFixed(1)}`).join(', '),
      (r.usage.units.get('RRU') ?? 0) / r.minutes,
      r.redriven,
    ]),
  ]),
);

await printLong();
await printReport();
