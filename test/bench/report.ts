import '../../packages/local/src/local-env';
import { pathToFileURL } from 'node:url';
import { ManualClock } from '@heed/core';
import { startRuntime } from '../../packages/local/src/runtime';
import { PRICES } from './cost';
import { snapshot } from './sla';
import { table } from './stats';

/*
 * The SLA report and its what-if (issue 18): time per 1,000 tickets on the local runtime, through
 * the API (the reports function folds in-process, as it does in AWS for periods up to 10,000
 * tickets), the AWS calls and request units that took, and from those the list price of a
 * report of 1,000,000 tickets on the Step Functions engine. Prints figures; asserts nothing.
 */

const MINUTE = 60_000;

export const printReport = async (tickets = Number(process.env.HEED_BENCH_REPORT_TICKETS ?? 1000)) => {
  const clock = new ManualClock('2026-11-30T12:00:00Z');
  const rt = await startRuntime({ port: 0, clock, devTenant: { id: 'bench' }, services: [] });
  const headers = {
    authorization: `Bearer ${rt.devTenant.apiKey ?? ''}`,
    'content-type': 'application/json',
  };
  // A week of tickets: opened, answered after 10 to 120 minutes, solved; ten events per batch body.
  const start = Date.parse('2026-11-23T09:00:00Z');
  const events = Array.from({ length: tickets }, (_, i) => {
    const opened = start + (i % 7) * 1440 * MINUTE + (i % 480) * MINUTE;
    const at = (m: number) => new Date(opened + m * MINUTE).toISOString();
    return [
      {
        id: `R-${i}-1`,
        type: 'ticket.opened',
        ticketId: `R-${i}`,
        occurredAt: at(0),
        data: {
          channel: 'email',
          priority: (['low', 'normal', 'high'] as const)[i % 3],
          customer: { id: `c-${i}` },
        },
      },
      {
        id: `R-${i}-2`,
        type: 'ticket.assigned',
        ticketId: `R-${i}`,
        occurredAt: at(1),
        data: { agentId: `a-${i % 5}`, groupId: `g-${i % 2}` },
      },
      {
        id: `R-${i}-3`,
        type: 'agent.replied',
        ticketId: `R-${i}`,
        occurredAt: at(10 + (i % 111)),
        data: { agentId: `a-${i % 5}` },
      },
      {
        id: `R-${i}-4`,
        type: 'ticket.status_changed',
        ticketId: `R-${i}`,
        occurredAt: at(200),
        data: { status: 'solved' },
      },
    ];
  }).flat();
  for (let i = 0; i < events.length; i += 100) {
    const res = await fetch(`${rt.url}/v1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ events: events.slice(i, i + 100) }),
    });
    await res.arrayBuffer();
  }
  await rt.settle();
  const query = 'from=2026-11-23&to=2026-11-30&by=group,priority';
  const timed = async (method: string, path: string, body?: string) => {
    rt.counter.reset();
    const t0 = performance.now();
    const res = await fetch(`${rt.url}${path}`, { method, headers, ...(body && { body }) });
    const answer = (await res.json()) as {
      groups?: { tickets: number }[];
      before?: { groups: { tickets: number }[] };
    };
    const ms = performance.now() - t0;
    const usage = snapshot(rt.counter);
    return {
      ms,
      usage,
      tickets: (answer.groups ?? answer.before?.groups)?.[0]?.tickets ?? 0,
      status: res.status,
    };
  };
  const report = await timed('GET', `/v1/reports/sla?${query}`);
  const config = await rt.tenants.configOf('bench');
  const proposed = JSON.stringify({
    ...config,
    sla: {
      ...config.sla,
      rules: config.sla.rules.map((r) => ({
        ...r,
        targets: { ...r.targets, firstResponse: r.targets.firstResponse * 2 },
      })),
    },
  });
  const whatIf = await timed('POST', `/v1/reports/sla/whatif?${query}`, proposed);
  await rt.stop();

  const per1000 = (ms: number, n: number) => Math.round((ms / n) * 1000);
  console.log(
    `\nSLA report and what-if, ${tickets} tickets of a week, by group and priority, through the API (local runtime, in-process fold)\n`,
  );
  console.log(
    table([
      ['answer', 'status', 'tickets', 'ms', 'ms per 1,000 tickets', 'AWS calls', 'by API', 'RRU'],
      ...[
        ['report', report],
        ['what-if', whatIf],
      ].map(([name, r]) => {
        const x = r as typeof report;
        return [
          name as string,
          x.status,
          x.tickets,
          Math.round(x.ms),
          per1000(x.ms, Math.max(1, x.tickets)),
          [...x.usage.calls.values()].reduce((a, b) => a + b, 0),
          [...x.usage.calls].map(([k, n]) => `${k} ${n}`).join(', '),
          x.usage.units.get('RRU') ?? 0,
        ];
      }),
    ]),
  );

  // A report of 1,000,000 tickets opened over 30 days on the engine: 120 partitions (4 per day).
  const million = 1_000_000;
  const rruPerTicket = (report.usage.units.get('RRU') ?? 0) / Math.max(1, report.tickets);
  const msPerTicket = report.ms / Math.max(1, report.tickets);
  const partitions = 30 * 4;
  const gb = 1.769;
  const lambdaSeconds = (msPerTicket * million) / 1000;
  const rows: [string, number, number][] = [
    ['DynamoDB read request units (index and logs)', rruPerTicket * million, PRICES.dynamoRru],
    [
      'Lambda GB-seconds (time per ticket measured here, DynamoDB Local included; 1,769 MB)',
      lambdaSeconds * gb,
      PRICES.lambdaGbSecond,
    ],
    ['Lambda invocations (plan, a fold per partition, combine)', partitions + 2, PRICES.lambdaRequest],
    ['Step Functions Standard state transitions', partitions + 6, 0.025 / 1000],
    ['Step Functions Express requests (map children)', partitions, 1.0 / 1e6],
    ['S3 PUT (partials, report) and GET', partitions * 2 + 2, 0.005 / 1000],
  ];
  console.log(
    '\nEstimated list price of one report of 1,000,000 tickets on the Step Functions engine (us-east-1)\n',
  );
  console.log(
    table([
      ['item', 'quantity', 'USD'],
      ...rows.map(([name, q, price]) => [name, Math.round(q), (q * price).toFixed(4)]),
      ['total', '', rows.reduce((s, [, q, p]) => s + q * p, 0).toFixed(2)],
    ]),
  );
  console.log(
    `\n(Express children's duration is billed too, about the Lambda time they wait on: under $0.01 here. A what-if folds twice: about ${(whatIf.ms / Math.max(1, report.ms)).toFixed(1)}× the Lambda time of a report.)`,
  );
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await printReport();
