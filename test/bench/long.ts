import '../../packages/local/src/local-env';
import { pathToFileURL } from 'node:url';
import type { InboundEvent } from '@heed/contracts';
import {
  DEFAULT_TENANT_CONFIG,
  followUpsOf,
  type LoggedEvent,
  ManualClock,
  type SlaCheckpoint,
  slaFrom,
  slaOf,
} from '@heed/core';
import { startRuntime } from '../../packages/local/src/runtime';
import { costRows, totalPerMillion } from './cost';
import { snapshot, type Usage } from './sla';
import { percentile, table } from './stats';

/**
 * Long tickets (a chat of hundreds of messages is one ticket): what one more event costs when
 * the ticket already holds 10, 100 or 1,000, on the local runtime with every service running
 * (intake latency, AWS calls, request units, list price per 1M events), and the pure folds'
 * time per event. Prints figures; asserts nothing.
 */

const MINUTE = 60_000;
const WINDOW = 10;
const START = Date.parse('2026-11-23T09:00:00Z');

const eventAt = (ticketId: string, n: number): InboundEvent =>
  (n === 0
    ? {
        id: `${ticketId}-0`,
        type: 'ticket.opened',
        ticketId,
        occurredAt: new Date(START).toISOString(),
        data: { channel: 'chat', customer: { id: 'c1', locale: 'en' } },
      }
    : {
        id: `${ticketId}-${n}`,
        type: n % 2 === 1 ? 'agent.replied' : 'customer.replied',
        ticketId,
        occurredAt: new Date(START + n * MINUTE).toISOString(),
        data: n % 2 === 1 ? { agentId: 'a1' } : {},
      }) as InboundEvent;

const usageBetween = (before: Usage, after: Usage): Usage => {
  const diff = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>) =>
    new Map([...b].map(([k, n]) => [k, n - (a.get(k) ?? 0)]));
  return {
    calls: diff(before.calls, after.calls),
    units: diff(before.units, after.units),
    platform: diff(before.platform, after.platform),
  };
};

export interface LongTicketRow {
  readonly length: number;
  readonly p50: number;
  readonly p99: number;
  readonly calls: number;
  readonly rru: number;
  readonly wru: number;
  readonly dollars: number;
}

/** One ticket fed one event at a time (settled after each); figures for the events after each length. */
export const longTicket = async (lengths: readonly number[]): Promise<LongTicketRow[]> => {
  const clock = new ManualClock(new Date(START).toISOString());
  const rt = await startRuntime({ port: 0, devTenant: { id: 'long' }, clock, visibilityTimeoutSeconds: 1 });
  const headers = {
    authorization: `Bearer ${rt.devTenant.apiKey ?? ''}`,
    'content-type': 'application/json',
  };
  const rows: LongTicketRow[] = [];
  try {
    const max = Math.max(...lengths);
    let sample: { at: Usage; latencies: number[] } | null = null;
    for (let n = 0; n < max + WINDOW; n++) {
      const event = eventAt('L-1', n);
      await rt.advanceClock(new Date(event.occurredAt));
      if (lengths.includes(n)) sample = { at: snapshot(rt.counter), latencies: [] };
      const started = performance.now();
      const res = await fetch(`${rt.url}/v1/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`intake answered ${res.status}`);
      sample?.latencies.push(performance.now() - started);
      await rt.settle(120_000);
      if (sample && sample.latencies.length === WINDOW) {
        const usage = usageBetween(sample.at, snapshot(rt.counter));
        rows.push({
          length: n + 1 - WINDOW,
          p50: percentile(sample.latencies, 50),
          p99: percentile(sample.latencies, 99),
          calls: [...usage.calls.values()].reduce((a, b) => a + b, 0) / WINDOW,
          rru: (usage.units.get('RRU') ?? 0) / WINDOW,
          wru: (usage.units.get('WRU') ?? 0) / WINDOW,
          dollars: totalPerMillion(costRows(usage, WINDOW)),
        });
        sample = null;
      }
    }
  } finally {
    await rt.stop();
  }
  return rows;
};

/** The pure folds' time per event at a ticket length: a full fold, and a look resumed from its checkpoint. */
export const foldTimes = (lengths: readonly number[]) => {
  const config = DEFAULT_TENANT_CONFIG;
  return lengths.map((length) => {
    const log: LoggedEvent[] = Array.from({ length }, (_, n) => ({
      event: eventAt('F-1', n),
      actor: 'producer',
    }));
    const now = new Date(START + length * MINUTE);
    const time = (work: () => void, runs: number) => {
      const started = performance.now();
      for (let i = 0; i < runs; i++) work();
      return (performance.now() - started) / runs;
    };
    const runs = Math.max(3, Math.round(20_000 / length));
    const full = time(() => slaOf(log, config, now), runs);
    const { checkpoint } = slaFrom(null, log.slice(0, -1), config, new Date(START + (length - 1) * MINUTE));
    const tail = log.filter((e) => Date.parse(e.event.occurredAt) >= (checkpoint as SlaCheckpoint).at);
    const resumed = time(() => slaFrom(checkpoint, tail, config, now), runs * 10);
    const followUps = time(() => followUpsOf(log, config, now), runs);
    return { length, full, resumed, followUps };
  });
};

/** Ticket lengths measured (HEED_BENCH_LONG=10,100,1000 for the full set; 1,000 takes long locally). */
const LENGTHS = (process.env.HEED_BENCH_LONG ?? '10,100').split(',').map(Number);

export const printLong = async () => {
  const rows = await longTicket(LENGTHS);
  console.log(
    `\nOne more event on a long ticket (chat replies, one at a time, every service running; figures per event over the ${WINDOW} events after each length)\n`,
  );
  console.log(
    table([
      ['events before', 'intake p50 ms', 'intake p99 ms', 'AWS calls', 'RRU', 'WRU', '$ per 1M events'],
      ...rows.map((r) => [r.length, r.p50, r.p99, r.calls, r.rru, r.wru, r.dollars]),
    ]),
  );
  console.log(
    '\nThe pure folds, time per look (ms): SLA full fold, SLA resumed from its checkpoint, follow-ups full fold\n',
  );
  console.log(
    table([
      ['events', 'SLA full', 'SLA resumed', 'follow-ups full'],
      ...foldTimes([1000, 10_000]).map((r) => [r.length, r.full, r.resumed, r.followUps]),
    ]),
  );
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await printLong();
