import { randomBytes } from 'node:crypto';
import { type AwsClients, createClients, DynamoTimerStore } from '@heed/aws';
import type { TimerFiring, TimerOwner } from '@heed/contracts';
import { ManualClock } from '@heed/core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTables } from '../../../packages/local/src/tables';
import { sweep } from '../src';

let clients: AwsClients;
let store: DynamoTimerStore;

beforeAll(async () => {
  clients = createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: inject('dynamodbEndpoint') },
  });
  const prefix = `w${randomBytes(4).toString('hex')}-`;
  const tables = { tickets: `${prefix}tickets`, tenants: `${prefix}tenants` };
  await createTables(clients.dynamodb, tables);
  store = new DynamoTimerStore(clients.documents, tables.tickets);
});

const arm = (owner: TimerOwner, ticketId: string, dueAt: string | null, now: string) =>
  store.commit({
    owner,
    tenantId: 'acme',
    ticketId,
    expected: null,
    dueAt: dueAt ? new Date(dueAt) : null,
    state: {},
    now: new Date(now),
  });

describe('the sweeper', () => {
  it('re-drives each overdue timer once, leaves the ones inside the grace, and counts the tickets at risk', async () => {
    await arm('sla', 'A', '2026-11-23T11:50:00Z', '2026-11-23T11:00:00Z'); // lost: overdue
    await arm('sla', 'B', '2026-11-23T11:59:00Z', '2026-11-23T11:00:00Z'); // a minute late: not yet
    await arm('sla', 'C', '2026-11-23T12:10:00Z', '2026-11-23T11:00:00Z'); // at risk
    await arm('sla', 'D', '2026-11-23T13:00:00Z', '2026-11-23T11:00:00Z'); // later
    await arm('followup', 'E', '2026-11-23T12:05:00Z', '2026-11-23T11:00:00Z'); // not an SLA
    await arm('sla', 'F', null, '2026-11-23T11:00:00Z'); // nothing due: not indexed
    const redriven: TimerFiring[] = [];
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    const deps = {
      timers: store,
      redrive: { redrive: async (f: TimerFiring) => void redriven.push(f) },
      clock,
    };

    expect(await sweep(deps)).toMatchObject({ redriven: 1, atRisk: 1 });
    expect(redriven.map((f) => [f.ticketId, f.generation, f.dueAt])).toEqual([
      ['A', 1, '2026-11-23T11:50:00.000Z'],
    ]);
    expect(await store.watermark()).toBe('2026-11-23T11:50');

    // Three minutes on: B is past its grace. A is not sent again (its bucket is done).
    clock.set('2026-11-23T12:03:00Z');
    expect(await sweep(deps)).toMatchObject({ redriven: 1 });
    expect(redriven.map((f) => f.ticketId)).toEqual(['A', 'B']);

    // An hour on, everything due by then (C, D, E) once each; the watermark never goes back.
    clock.set('2026-11-23T13:10:00Z');
    await sweep(deps);
    expect(redriven.map((f) => f.ticketId).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(redriven.find((f) => f.ticketId === 'E')?.owner).toBe('followup');
    await store.setWatermark('2026-11-23T09:00', clock.now());
    expect(await store.watermark()).toBe('2026-11-23T13:00'); // 13:05 ends after the cutoff (13:08)
  });
});
