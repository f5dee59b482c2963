import '../../packages/local/src/local-env';
import { startRuntime } from '../../packages/local/src/runtime';
import { percentile, pool, table } from './stats';

/**
 * Intake benchmark on the local runtime: throughput and latency of POST /v1/events, and the AWS
 * API calls the handlers make per accepted event (counted by an SDK middleware). Prints figures;
 * asserts nothing. Sizes: HEED_BENCH_EVENTS (default 3000), HEED_BENCH_CONCURRENCY (default 16).
 */
const EVENTS = Number(process.env.HEED_BENCH_EVENTS ?? 3000);
const CONCURRENCY = Number(process.env.HEED_BENCH_CONCURRENCY ?? 16);

const runtime = await startRuntime({ port: 0, devTenant: { id: 'bench' } });
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
