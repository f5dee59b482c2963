import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { eraseCustomer, memoryFailedRecords } from '@heed/aws';
import type { TenantConfigInput } from '@heed/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { startReceiver } from '../support/receiver';
import { type apiClient, startConfiguredRuntime, type TestRuntime } from '../support/runtime';

/**
 * A customer's right to erasure, end to end: after `eraseCustomer`, no table, queue, dead-letter
 * queue or kept relay record holds their name, e-mail, subjects or free text; their tickets keep
 * their facts (clocks and all), say they were erased, and what arrives for them later is stored
 * without it. Another customer's data is untouched.
 */

const receiver = await startReceiver();
const config: TenantConfigInput = {
  delivery: {
    webhooks: [
      {
        id: 'all',
        url: receiver.url,
        secret: 'erase-test-secret-0123456789',
        audiences: ['customer', 'internal'],
      },
    ],
  },
};

let rt: TestRuntime;
let api: ReturnType<typeof apiClient>;
const bus: BusEnvelope[] = [];
beforeAll(async () => {
  ({ rt, api } = await startConfiguredRuntime(config, '2026-11-23T09:00:00Z', bus));
});
afterAll(async () => {
  await rt?.stop();
  await receiver.close();
});

/** What must be gone: the person and what they wrote. */
const ERASED = ['Zebulon', 'zebulon.quirke@example.org', 'ZQ-771', 'Lantern Lane'];

/** Every item of both tables and every message of every queue and DLQ, and the kept relay records, as text. */
const everything = async (): Promise<string> => {
  const parts: string[] = [];
  for (const table of Object.values(rt.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await rt.clients.documents.send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
      );
      parts.push(JSON.stringify(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  for (const q of Object.values(rt.queues)) {
    for (const url of [q.url, q.dlqUrl]) {
      const out = await rt.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
        }),
      );
      parts.push(JSON.stringify(out.Messages ?? []));
    }
  }
  parts.push(JSON.stringify(rt.relay.failures));
  return parts.join('\n');
};

let seq = 0;
const post = async (events: Record<string, unknown>[]) => {
  const res = await api.post({ events: events.map((e) => ({ id: `er-${++seq}`, ...e })) });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await rt.settle();
};
const opened = (
  ticketId: string,
  occurredAt: string,
  customer: Record<string, unknown>,
  subject: string,
) => ({
  type: 'ticket.opened',
  ticketId,
  occurredAt,
  data: { channel: 'email', priority: 'high', subject, customer: { locale: 'en-GB', ...customer } },
});

describe('customer erase', () => {
  it('leaves no trace of the person in any store, keeps the facts, and stores what comes later without it', async () => {
    const zebulon = { id: 'c-erase', name: 'Zebulon Quirke', email: 'zebulon.quirke@example.org' };
    await post([
      opened('T-e1', '2026-11-23T09:00:00Z', zebulon, 'Refund for order ZQ-771'),
      {
        type: 'customer.replied',
        ticketId: 'T-e1',
        occurredAt: '2026-11-23T09:05:00Z',
        data: {},
        body: 'I live at 42 Lantern Lane',
      },
      opened('T-e2', '2026-11-23T09:10:00Z', zebulon, 'Second question about ZQ-771'),
      opened('T-other', '2026-11-23T09:10:00Z', { id: 'c-other', name: 'Olga Other' }, 'Keep me'),
    ]);
    await rt.advanceClock(new Date('2026-11-23T10:00:00Z'));
    await post([
      {
        type: 'agent.replied',
        ticketId: 'T-e1',
        occurredAt: '2026-11-23T10:00:00Z',
        data: { agentId: 'a-1' },
      },
      {
        type: 'ticket.status_changed',
        ticketId: 'T-e1',
        occurredAt: '2026-11-23T10:00:00Z',
        data: { status: 'solved' },
      },
      {
        type: 'feedback.received',
        ticketId: 'T-e1',
        occurredAt: '2026-11-23T10:00:00Z',
        data: { score: 1, comment: 'Lantern Lane is too far for a refund' },
      },
    ]);
    await rt.advanceClock(new Date('2026-11-24T12:00:00Z'));
    // A record the relay gave up on (kept whole, as the S3 on-failure destination keeps it).
    const [logged] = (await rt.tickets.log('acme', 'T-e1')).slice(0, 1);
    rt.relay.failures.push({
      eventName: 'INSERT',
      dynamodb: { NewImage: marshall(logged, { removeUndefinedValues: true }) },
    } as never);
    const before = await everything();
    for (const value of ERASED) expect(before, value).toContain(value); // the search can see them
    const sla = (await api.ticket<{ sla: unknown }>('T-e1')).body.sla;

    const result = await eraseCustomer(
      rt.clients.documents,
      rt.tables.tickets,
      'acme',
      'c-erase',
      rt.clock.now(),
      memoryFailedRecords(rt.relay.failures),
    );
    expect([...result.tickets].sort()).toEqual(['T-e1', 'T-e2']);
    await rt.settle();
    const after = await everything();
    for (const value of ERASED) expect(after, value).not.toContain(value);
    expect(after).toContain('Olga Other'); // another customer's data stays
    // The facts stay, and the ticket says what happened.
    const ticket = (
      await api.ticket<{ sla: unknown; customer: unknown; timeline: { type: string }[] }>('T-e1')
    ).body;
    // The same clocks and escalations, less the comment a low score carried.
    const withoutComments = (v: unknown) =>
      JSON.parse(JSON.stringify(v, (k, x) => (k === 'comment' ? undefined : x)));
    expect(withoutComments(ticket.sla)).toEqual(withoutComments(sla));
    expect(ticket.customer).toEqual({ id: 'c-erase', locale: 'en-GB' });
    expect(ticket.timeline.map((t) => t.type)).toContain('customer.erased');

    // Again: nothing more to change, and the erasure is recorded once.
    const again = await eraseCustomer(
      rt.clients.documents,
      rt.tables.tickets,
      'acme',
      'c-erase',
      rt.clock.now(),
    );
    expect(again).toMatchObject({ erasedAt: result.erasedAt, items: 0 });
    const timeline = (await api.ticket<{ timeline: { type: string }[] }>('T-e1', { limit: '200' })).body
      .timeline;
    expect(timeline.filter((t) => t.type === 'customer.erased')).toHaveLength(1);

    // Later: a message on an erased ticket, and a new ticket of the erased customer.
    await post([
      {
        type: 'customer.replied',
        ticketId: 'T-e2',
        occurredAt: '2026-11-24T12:00:00Z',
        data: {},
        body: 'Lantern Lane again',
      },
      opened('T-e3', '2026-11-24T12:00:00Z', zebulon, 'ZQ-771 once more'),
    ]);
    await rt.advanceClock(new Date('2026-11-24T13:00:00Z'));
    const later = await everything();
    for (const value of ERASED) expect(later, value).not.toContain(value);
    const e3 = (await api.ticket<{ status: string; customer: unknown; sla: { clocks: unknown[] } }>('T-e3'))
      .body;
    expect(e3).toMatchObject({ status: 'open', customer: { id: 'c-erase', locale: 'en-GB' } });
    expect(e3.sla.clocks.length).toBeGreaterThan(0);
  }, 120_000);
});
