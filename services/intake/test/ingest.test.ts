import { type RecordOutcome, TicketContentionError, type TicketStorePort } from '@heed/aws';
import { applyEvent, emptyTicket, ManualClock } from '@heed/core';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/http';
import { ingest, parseBody } from '../src/ingest';

const clock = new ManualClock('2026-11-23T12:00:00Z');

/** A store that records normally except for the tickets told to fail, each its own way. */
const storeFailingOn = (failures: Record<string, Error>): TicketStorePort => {
  const record: TicketStorePort['record'] = async (tenantId, { event }): Promise<RecordOutcome> => {
    const failure = failures[event.ticketId];
    if (failure) throw failure;
    const ticket = applyEvent(emptyTicket(tenantId, event.ticketId, 'HD-TEST0000'), event);
    return { status: 'accepted', ticket, emitted: [] };
  };
  return {
    record,
    recordAll: (tenantId, inputs, at) =>
      Promise.allSettled(inputs.map((input) => record(tenantId, input, at))),
    get: async () => null,
  };
};

const opened = (id: string, ticketId: string) => ({
  id,
  type: 'ticket.opened',
  ticketId,
  occurredAt: '2026-11-23T11:00:00Z',
  data: { channel: 'chat', customer: { id: 'c' } },
});
const body = (value: unknown) => parseBody(Buffer.from(JSON.stringify(value)), 'application/json');

describe('ingest when Heed cannot record', () => {
  const deps = {
    clock,
    tickets: storeFailingOn({
      'T-down': new Error('DynamoDB is unreachable'),
      'T-busy': new TicketContentionError('many writers'),
    }),
  };

  it('answers a batch with every event its own result: the others are recorded, the failed ones say retry', async () => {
    const events = [opened('e1', 'T-ok'), opened('e2', 'T-down'), { id: 'e3' }, opened('e4', 'T-busy')];
    const res = await ingest('acme', body({ events }), deps);
    expect(res.statusCode).toBe(207);
    const out = res.body as {
      accepted: number;
      failed: number;
      results: { status: string; errors?: unknown }[];
    };
    expect([out.accepted, out.failed]).toEqual([1, 2]);
    expect(out.results.map((r) => r.status)).toEqual(['accepted', 'failed', 'rejected', 'failed']);
    expect(JSON.stringify(out.results[1]?.errors)).toContain('retry');
    expect(JSON.stringify(out.results[3]?.errors)).toContain('many writers');
  });

  it('answers 503 when no event of a batch could be recorded, and for a single event', async () => {
    const all = await ingest(
      'acme',
      body({ events: [opened('e5', 'T-down'), opened('e6', 'T-busy')] }),
      deps,
    );
    expect(all.statusCode).toBe(503);
    const single = await ingest('acme', body(opened('e7', 'T-down')), deps).catch((e: unknown) => e);
    expect(single).toBeInstanceOf(HttpError);
    expect((single as HttpError).statusCode).toBe(503);
  });
});
