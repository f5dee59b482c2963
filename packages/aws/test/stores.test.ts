import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type InboundEvent, validateInboundEvent } from '@heed/contracts';
import { emptyTicket, foldEvents } from '@heed/core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTables } from '../../local/src/tables';
import {
  type AwsClients,
  createClients,
  DynamoTenantStore,
  DynamoTicketStore,
  KeyNotFoundError,
  TenantExistsError,
  TenantNotFoundError,
  TooManyKeysError,
} from '../src';

const local = () =>
  createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: inject('dynamodbEndpoint') },
  });

const ev = (input: Record<string, unknown>): InboundEvent => {
  const result = validateInboundEvent({ ticketId: 'T-1', data: {}, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};

const openedEvent = (id: string, ticketId = 'T-1', occurredAt = '2026-11-23T00:00:00Z') =>
  ev({ id, ticketId, type: 'ticket.opened', occurredAt, data: { channel: 'chat', customer: { id: 'c1' } } });

/** The ticket's timeline as the read API gets it; empty when nothing was recorded. */
const timelineOf = async (store: DynamoTicketStore, tenantId: string, ticketId: string) =>
  (await store.view(tenantId, ticketId))?.timeline ?? [];

let clients: AwsClients;
let tables: { tickets: string; tenants: string };

beforeAll(async () => {
  clients = local();
  const prefix = `a${randomBytes(4).toString('hex')}-`;
  tables = { tickets: `${prefix}tickets`, tenants: `${prefix}tenants` };
  await createTables(clients.dynamodb, tables);
});

const at = new Date('2026-11-23T01:00:00Z');

describe('DynamoTicketStore', () => {
  it('accepts an event once and reports the repeat as a duplicate', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const first = await store.record('acme', openedEvent('e1', 'T-dup'), at);
    const again = await store.record('acme', openedEvent('e1', 'T-dup'), at);
    expect(first.status).toBe('accepted');
    expect(again).toEqual({ status: 'duplicate', ticketId: 'T-dup' });
    expect(await timelineOf(store, 'acme', 'T-dup')).toHaveLength(1);
    expect((await store.get('acme', 'T-dup'))?.eventCount).toBe(1);
  });

  it('applies exactly one of 10 concurrent deliveries of the same event', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => store.record('acme', openedEvent('e-race', 'T-race'), at)),
    );
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(9);
    expect(await timelineOf(store, 'acme', 'T-race')).toHaveLength(1);
  });

  it('applies every one of 10 concurrent different events on one ticket', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', openedEvent('o', 'T-busy'), at);
    const replies = Array.from({ length: 10 }, (_, i) =>
      ev({
        id: `r${i}`,
        ticketId: 'T-busy',
        type: 'customer.replied',
        occurredAt: `2026-11-23T00:0${i}:30Z`,
      }),
    );
    const outcomes = await Promise.all(replies.map((e) => store.record('acme', e, at)));
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
    for (const e of events) expect((await store.record('acme', e, at)).status).toBe('accepted');
    const state = await store.get('acme', 'T-ooo');
    const expected = foldEvents(emptyTicket('acme', 'T-ooo', state?.reference ?? ''), events);
    expect(state).toEqual(expected);
    expect(state).toMatchObject({
      status: 'solved',
      priority: 'urgent',
      opened: true,
      firstPublicReplyAt: '2026-11-23T01:00:00.000Z',
    });
    expect((await timelineOf(store, 'acme', 'T-ooo')).map((t) => t.event.id)).toEqual([
      'ooo-o',
      'ooo-r',
      'ooo-p',
      'ooo-s',
    ]);
  });

  it('keeps tenants apart: the same ticket id is two tickets', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', openedEvent('x1', 'T-shared'), at);
    expect(await store.get('globex', 'T-shared')).toBeNull();
    expect((await store.record('globex', openedEvent('x1', 'T-shared'), at)).status).toBe('accepted');
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
    await expect(failing.record('acme', openedEvent('f1', 'T-fail'), at)).rejects.toThrow('connection reset');
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    expect(await store.get('acme', 'T-fail')).toBeNull();
    expect(await timelineOf(store, 'acme', 'T-fail')).toEqual([]);
    expect((await store.record('acme', openedEvent('f1', 'T-fail'), at)).status).toBe('accepted');
  });

  it('stores the domain events to publish on the event-log item (the outbox)', async () => {
    const store = new DynamoTicketStore(clients.documents, tables.tickets);
    await store.record('acme', openedEvent('ob', 'T-outbox'), at);
    const [entry] = await timelineOf(store, 'acme', 'T-outbox');
    expect(entry?.emitted).toEqual(['Ticket Received']);
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
