import { randomBytes } from 'node:crypto';
import type { Stored } from '@heed/app';
import {
  type ActivityItem,
  type AwsClients,
  createClients,
  DynamoDeliveryStore,
  DynamoTicketReader,
  DynamoTicketStore,
  DynamoTimerStore,
  type TimerPort,
} from '@heed/aws';
import type { DomainEvent, TenantConfig, TimerFiring } from '@heed/contracts';
import { validateInboundEvent } from '@heed/contracts';
import { ManualClock, validateTenantConfig } from '@heed/core';
import type { SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext } from '../../../packages/local/src/lambda-context';
import { createTables } from '../../../packages/local/src/tables';
import { sweep } from '../../sweeper/src';
import { createSlaHandler, reconcileSla, type SlaDeps, type SlaState } from '../src';

/**
 * The SLA service against DynamoDB Local: its correctness is the conditional commit of the
 * timer item with the outbox, which an in-memory fake would not test.
 */

let clients: AwsClients;
let tables: { tickets: string; tenants: string };

beforeAll(async () => {
  clients = createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: inject('dynamodbEndpoint') },
  });
  const prefix = `s${randomBytes(4).toString('hex')}-`;
  tables = { tickets: `${prefix}tickets`, tenants: `${prefix}tenants` };
  await createTables(clients.dynamodb, tables);
});

// Calendar hours so every instant is hand-computed: first response 60 min (warning at 45),
// resolution 480 (warning at 360); steps 10 min before the breach, and 30 min after it.
const config: TenantConfig = (() => {
  const checked = validateTenantConfig({
    // Calendar hours: the calendar's opening times do not count.
    calendars: { always: { timeZone: 'UTC', hours: { mon: [['09:00', '17:00']] } } },
    sla: {
      rules: [
        {
          name: 'standard',
          calendar: 'always',
          hours: 'calendar',
          targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
        },
      ],
      escalation: [
        { offset: -10, notify: ['assignee'], clocks: ['first_response', 'next_response'] },
        { offset: 30, notify: ['manager'], raisePriority: true, clocks: ['first_response'] },
      ],
    },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
})();

/** A fake timer port that remembers what was armed. */
class ArmedTimers implements TimerPort {
  readonly armed: TimerFiring[] = [];
  readonly disarmed: string[] = [];
  failNext = 0;
  async disarm(_owner: string, _tenantId: string, ticketId: string): Promise<void> {
    this.disarmed.push(ticketId);
  }
  async arm(firing: TimerFiring): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('Scheduler unavailable');
    }
    this.armed.push(firing);
  }
  get last(): TimerFiring | undefined {
    return this.armed.at(-1);
  }
}

const setup = (start = '2026-11-23T09:00:00Z') => {
  const tenantId = `t${randomBytes(3).toString('hex')}`;
  const clock = new ManualClock(start);
  const tickets = new DynamoTicketStore(clients.documents, tables.tickets);
  const deliveries = new DynamoDeliveryStore(clients.documents, tables.tickets);
  const timers = new DynamoTimerStore(clients.documents, tables.tickets);
  const reader = new DynamoTicketReader(clients.documents, tables.tickets);
  const port = new ArmedTimers();
  const deps: SlaDeps = {
    tickets,
    configs: { configOf: async () => config },
    deliveries,
    timers,
    port,
    clock,
  };
  let n = 0;
  const post = async (
    ticketId: string,
    type: string,
    occurredAt: string,
    data: Record<string, unknown> = {},
  ) => {
    const result = validateInboundEvent(
      { id: `e${++n}`, type, ticketId, occurredAt, data },
      { now: new Date('2030-01-01T00:00:00Z') },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return tickets.record(tenantId, { event: result.value }, clock.now());
  };
  const open = (ticketId: string, occurredAt = start) =>
    post(ticketId, 'ticket.opened', occurredAt, { channel: 'email', customer: { id: 'c1' } });
  const look = (ticketId: string, firing: TimerFiring | null = null, retry = false) =>
    reconcileSla(tenantId, ticketId, { firing, causationId: firing ? 'timer' : 'event', retry }, deps);
  /** Moves the clock to the armed timer's due time and fires it. */
  const fire = async (ticketId: string) => {
    const firing = port.armed.filter((f) => f.ticketId === ticketId).at(-1);
    if (!firing) throw new Error('nothing armed');
    clock.set(firing.dueAt);
    return { firing, outcome: await look(ticketId, firing) };
  };
  const activities = async (ticketId: string) =>
    ((await reader.page(tenantId, ticketId, { limit: 200 }))?.timeline ?? []).flatMap((t) =>
      t.kind === 'activity' && t.item.type !== 'processing.failed' ? [t.item as ActivityItem] : [],
    );
  const announced = async (ticketId: string) =>
    (await activities(ticketId)).flatMap((a) =>
      ((a.emits as DomainEvent[] | undefined) ?? []).map(
        (e) => `${e.detailType}@${e.detail.occurredAt}${e.detail.late ? ' late' : ''}`,
      ),
    );
  return {
    tenantId,
    clock,
    tickets,
    deliveries,
    timers,
    reader,
    port,
    deps,
    post,
    open,
    look,
    fire,
    activities,
    announced,
  };
};

describe('the SLA service', () => {
  it('arms the earliest crossing, announces each at its true instant as its timer fires, and moves on', async () => {
    const s = setup();
    await s.open('T-1');
    expect(await s.look('T-1')).toBe('done');
    expect(s.port.last).toMatchObject({
      owner: 'sla',
      ticketId: 'T-1',
      generation: 1,
      dueAt: '2026-11-23T09:45:00.000Z',
    });

    for (const due of ['09:50', '10:00', '10:30', '15:00']) {
      expect((await s.fire('T-1')).outcome).toBe('done');
      expect(s.port.last?.dueAt).toBe(`2026-11-23T${due}:00.000Z`);
    }
    expect(await s.announced('T-1')).toEqual([
      'SLA Warning@2026-11-23T09:45:00.000Z',
      'Ticket Escalated@2026-11-23T09:50:00.000Z',
      'Delivery Requested@2026-11-23T09:50:00.000Z',
      'SLA Breached@2026-11-23T10:00:00.000Z',
      'Ticket Escalated@2026-11-23T10:30:00.000Z',
      'Delivery Requested@2026-11-23T10:30:00.000Z',
    ]);
    // The +30 step raised the priority through the ticket's own write path, as actor heed.
    const log = await s.tickets.log(s.tenantId, 'T-1');
    const raised = log.find((l) => l.actor === 'heed');
    expect(raised?.event).toMatchObject({
      type: 'ticket.priority_changed',
      occurredAt: '2026-11-23T10:30:00.000Z',
      data: { priority: 'high' },
    });
    expect((await s.tickets.get(s.tenantId, 'T-1'))?.priority).toBe('high');
    // The escalations went to the roles of their steps, as internal messages.
    const page = await s.reader.page(s.tenantId, 'T-1', { limit: 50 });
    expect(page?.deliveries.map((d) => [d.purpose, d.audience, d.roles])).toEqual(
      expect.arrayContaining([
        ['escalation', 'internal', ['assignee']],
        ['escalation', 'internal', ['manager']],
      ]),
    );
  });

  it('has no second effect for a duplicate firing, and none for a firing made stale by a reply', async () => {
    const s = setup();
    await s.open('T-2');
    await s.look('T-2');
    const { firing } = await s.fire('T-2'); // the warning
    expect(await s.look('T-2', firing)).toBe('stale');
    const armed = s.port.last as TimerFiring; // the -10 step at 09:50
    s.clock.set('2026-11-23T09:48:00Z');
    await s.post('T-2', 'agent.replied', '2026-11-23T09:48:00Z', { agentId: 'a1', public: true });
    expect(await s.look('T-2')).toBe('done');
    s.clock.set(armed.dueAt);
    expect(await s.look('T-2', armed)).toBe('stale');
    expect(await s.announced('T-2')).toEqual([
      'SLA Warning@2026-11-23T09:45:00.000Z',
      'SLA Met@2026-11-23T09:48:00.000Z',
    ]);
    // Only the resolution clock is left: its warning at 15:00.
    expect(s.port.last?.dueAt).toBe('2026-11-23T15:00:00.000Z');
  });

  it('removes the schedule of a ticket that is settled, and keeps the short timers alone', async () => {
    const s = setup();
    await s.open('T-12');
    await s.look('T-12'); // 09:45 is more than 15 minutes away: a schedule
    expect((await s.timers.get('sla', s.tenantId, 'T-12'))?.scheduled).toBe(true);
    s.clock.set('2026-11-23T09:40:00Z');
    await s.post('T-12', 'agent.replied', '2026-11-23T09:40:00Z', { agentId: 'a', public: true });
    await s.look('T-12'); // the resolution clock still runs: moved, not removed
    expect(s.port.disarmed).toEqual([]);
    await s.post('T-12', 'ticket.status_changed', '2026-11-23T09:40:00Z', { status: 'solved' });
    await s.look('T-12');
    expect(s.port.disarmed).toEqual(['T-12']);
    expect(await s.timers.get('sla', s.tenantId, 'T-12')).toMatchObject({ status: 'idle', dueAt: null });
  });

  it('sends an early firing back to wait for its due time', async () => {
    const s = setup();
    await s.open('T-3');
    await s.look('T-3');
    const armed = s.port.last as TimerFiring;
    s.clock.set('2026-11-23T09:44:00Z');
    expect(await s.look('T-3', armed)).toBe('early');
    expect(s.port.last).toEqual(armed);
    expect(await s.announced('T-3')).toEqual([]);
  });

  it('writes nothing and arms nothing for an event that changes nothing, unless it is a retry', async () => {
    const s = setup();
    await s.open('T-4');
    await s.look('T-4');
    const before = await s.timers.get('sla', s.tenantId, 'T-4');
    s.clock.set('2026-11-23T09:10:00Z');
    await s.post('T-4', 'agent.replied', '2026-11-23T09:10:00Z', { agentId: 'a1', public: false });
    const arms = s.port.armed.length;
    expect(await s.look('T-4')).toBe('nothing');
    expect(s.port.armed).toHaveLength(arms);
    expect((await s.timers.get('sla', s.tenantId, 'T-4'))?.generation).toBe(before?.generation);
    // A retried message may follow a commit whose arming failed: it arms the same timer again.
    expect(await s.look('T-4', null, true)).toBe('nothing');
    expect(s.port.last).toMatchObject({ generation: before?.generation, dueAt: before?.dueAt });
  });

  it('arms the committed timer when a retried firing finds its own commit (a lost reply), once per retry only', async () => {
    const s = setup();
    await s.open('T-14');
    await s.look('T-14');
    const warning = s.port.last as TimerFiring;
    s.clock.set(warning.dueAt);
    // The first attempt commits the warning and the next timer, then loses the reply: nothing armed.
    s.port.failNext = 1;
    await expect(s.look('T-14', warning)).rejects.toThrow('Scheduler unavailable');
    const committed = await s.timers.get('sla', s.tenantId, 'T-14');
    expect(committed?.generation).not.toBe(warning.generation);
    const arms = s.port.armed.length;
    // A duplicate of the firing (first receive) is stale and arms nothing.
    expect(await s.look('T-14', warning)).toBe('stale');
    expect(s.port.armed).toHaveLength(arms);
    // The retry of the failed one is stale too, but arms what the commit left unarmed.
    expect(await s.look('T-14', warning, true)).toBe('stale');
    expect(s.port.last).toMatchObject({ generation: committed?.generation, dueAt: committed?.dueAt });
    expect(await s.announced('T-14')).toEqual(['SLA Warning@2026-11-23T09:45:00.000Z']);
  });

  it('resumes a long ticket from its checkpoint (reading the tail only), and re-folds the whole log for a late event', async () => {
    const s = setup();
    const reads = { log: 0, logFrom: 0 };
    const tickets = s.deps.tickets as DynamoTicketStore;
    const counting: SlaDeps = {
      ...s.deps,
      tickets: {
        record: tickets.record.bind(tickets),
        get: tickets.get.bind(tickets),
        log: (...a: Parameters<DynamoTicketStore['log']>) => {
          reads.log++;
          return tickets.log(...a);
        },
        logFrom: (...a: Parameters<DynamoTicketStore['logFrom']>) => {
          reads.logFrom++;
          return tickets.logFrom(...a);
        },
      },
    };
    const look = () => reconcileSla(s.tenantId, 'T-20', { firing: null, causationId: 'event' }, counting);
    await s.open('T-20');
    await look();
    let t = Date.parse('2026-11-23T09:00:00Z');
    for (let n = 1; n <= 44; n++) {
      t += 60_000;
      const at = new Date(t).toISOString();
      s.clock.set(at);
      if (n % 2 === 1) await s.post('T-20', 'agent.replied', at, { agentId: 'a1', public: true });
      else await s.post('T-20', 'customer.replied', at);
      await look();
    }
    const timer = await s.timers.get<Stored<SlaState>>('sla', s.tenantId, 'T-20');
    expect(timer?.state.resume?.folded).toBeGreaterThanOrEqual(20);
    // What it remembers does not grow with the ticket: keys of clocks stopped before the checkpoint go.
    expect(timer?.state.emitted.length).toBeLessThan(10);
    expect(await s.timers.checkpoint('sla', s.tenantId, 'T-20')).toMatchObject({
      v: 1,
      at: timer?.state.resume?.at,
    });
    // Once a checkpoint exists, looks read the tail, not the log.
    expect(reads.logFrom).toBeGreaterThan(15);
    expect(reads.log).toBeLessThanOrEqual(22);
    const met = (await s.announced('T-20')).filter((a) => a.startsWith('SLA Met'));
    expect(met).toHaveLength(22); // the first response, then every next response
    // A late customer message before the checkpoint: the whole log is folded again, and what
    // was announced is not announced again.
    const before = reads.log;
    await s.post('T-20', 'customer.replied', '2026-11-23T09:01:30Z');
    await look();
    expect(reads.log).toBe(before + 1);
    expect((await s.announced('T-20')).filter((a) => a.startsWith('SLA Met'))).toEqual(met);
  });

  it('announces each crossing once when five looks race (duplicate deliveries and an event at once)', async () => {
    const s = setup();
    await s.open('T-5');
    await s.look('T-5');
    s.clock.set('2026-11-23T10:05:00Z'); // the warning, the -10 step and the breach are all due
    const firing = s.port.last as TimerFiring;
    const outcomes = await Promise.all([
      s.look('T-5', firing),
      s.look('T-5', firing),
      s.look('T-5', firing),
      s.look('T-5'),
      s.look('T-5'),
    ]);
    expect(outcomes.filter((o) => o === 'done').length).toBeGreaterThanOrEqual(1);
    expect(await s.announced('T-5')).toEqual([
      'SLA Warning@2026-11-23T09:45:00.000Z late',
      'Ticket Escalated@2026-11-23T09:50:00.000Z late',
      'Delivery Requested@2026-11-23T10:05:00.000Z',
      'SLA Breached@2026-11-23T10:00:00.000Z late',
    ]);
  });

  it('announces a backfilled history once, each crossing at its true instant and marked late, in several commits', async () => {
    const s = setup('2026-11-30T12:00:00Z');
    // 25 rounds of customer question and late agent answer, a week ago: each next-response
    // clock warns, steps and breaches (3 crossings) and is met: 100, plus the first response.
    await s.open('T-6', '2026-11-23T00:00:00Z');
    await s.post('T-6', 'agent.replied', '2026-11-23T00:30:00Z', { agentId: 'a', public: true });
    for (let i = 0; i < 25; i++) {
      const base = Date.parse('2026-11-23T01:00:00Z') + i * 3 * 3600_000;
      await s.post('T-6', 'customer.replied', new Date(base).toISOString());
      await s.post('T-6', 'agent.replied', new Date(base + 90 * 60_000).toISOString(), {
        agentId: 'a',
        public: true,
      });
    }
    await s.post('T-6', 'ticket.status_changed', '2026-11-26T12:00:00Z', { status: 'solved' });
    expect(await s.look('T-6')).toBe('done');
    const announced = await s.announced('T-6');
    // 25 next responses and the resolution (480 minutes: due at 08:00) breached (a clock
    // answered after its breach stays breached); only the first response was met.
    expect(announced.filter((a) => a.startsWith('SLA Breached'))).toHaveLength(26);
    expect(announced.filter((a) => a.startsWith('SLA Met'))).toEqual([
      'SLA Met@2026-11-23T00:30:00.000Z late',
    ]);
    expect(announced).toContain('SLA Breached@2026-11-23T02:00:00.000Z late');
    expect(announced).toContain('SLA Breached@2026-11-23T08:00:00.000Z late');
    const ids = (await s.activities('T-6')).flatMap((a) =>
      (a.emits as DomainEvent[]).map((e) => e.detail.eventId),
    );
    expect(ids).toHaveLength(announced.length);
    expect(new Set(ids).size).toBe(ids.length);
    // 78 crossings (the first response met; 25 × warning, step and breach; the resolution's
    // warning and breach) are more than one transaction holds: two commits, two generations.
    expect(announced.filter((a) => !a.startsWith('Delivery'))).toHaveLength(78);
    expect((await s.timers.get('sla', s.tenantId, 'T-6'))?.generation).toBe(2);
    // Looking again announces nothing more.
    expect(await s.look('T-6')).toBe('nothing');
    expect(await s.announced('T-6')).toHaveLength(announced.length);
  });

  it('lets a history that is still arriving settle before announcing what only its missing part would prevent', async () => {
    const s = setup('2026-11-30T12:00:00Z');
    // Yesterday's history arrives in two parts; the second puts the ticket on hold before the
    // next-response clock would have warned (10:45) and breached (11:00).
    await s.open('T-10', '2026-11-29T09:00:00Z');
    await s.post('T-10', 'agent.replied', '2026-11-29T09:30:00Z', { agentId: 'a', public: true });
    await s.post('T-10', 'customer.replied', '2026-11-29T10:00:00Z');
    expect(await s.look('T-10')).toBe('done');
    expect(await s.announced('T-10')).toEqual(['SLA Met@2026-11-29T09:30:00.000Z late']);
    expect(s.port.last?.dueAt).toBe('2026-11-30T12:00:10.000Z'); // look again once it is quiet
    s.clock.set('2026-11-30T12:00:05Z');
    await s.post('T-10', 'ticket.status_changed', '2026-11-29T10:40:00Z', { status: 'on_hold' });
    expect(await s.look('T-10')).toBe('done');
    s.clock.set('2026-11-30T12:00:20Z');
    expect(await s.look('T-10', s.port.last ?? null)).toBe('stale');
    expect(await s.look('T-10')).toBe('nothing');
    expect(await s.announced('T-10')).toEqual(['SLA Met@2026-11-29T09:30:00.000Z late']);
  });

  it('tells nobody about a late escalation of a clock that has stopped, but still announces it', async () => {
    const s = setup('2026-11-30T12:00:00Z');
    await s.open('T-11', '2026-11-29T09:00:00Z');
    await s.post('T-11', 'agent.replied', '2026-11-29T10:45:00Z', { agentId: 'a', public: true });
    await s.post('T-11', 'ticket.status_changed', '2026-11-29T11:00:00Z', { status: 'solved' });
    s.clock.set('2026-11-30T12:01:00Z');
    expect(await s.look('T-11')).toBe('done');
    expect(await s.announced('T-11')).toEqual([
      'SLA Warning@2026-11-29T09:45:00.000Z late',
      'Ticket Escalated@2026-11-29T09:50:00.000Z late',
      'SLA Breached@2026-11-29T10:00:00.000Z late',
      'Ticket Escalated@2026-11-29T10:30:00.000Z late',
      'SLA Met@2026-11-29T11:00:00.000Z late',
    ]);
    const page = await s.reader.page(s.tenantId, 'T-11', { limit: 50 });
    expect(page?.deliveries.filter((d) => d.purpose === 'escalation')).toEqual([]);
    const escalations = (await s.activities('T-11')).filter((a) => a.type === 'escalation');
    expect(escalations.map((a) => a.notified)).toEqual([false, false]);
  });

  it('leaves nothing half-written when the commit fails, and the retry announces once', async () => {
    const s = setup();
    await s.open('T-7');
    await s.look('T-7');
    s.clock.set('2026-11-23T09:46:00Z');
    const firing = s.port.last as TimerFiring;
    const failing: SlaDeps = {
      ...s.deps,
      timers: {
        get: s.deps.timers.get.bind(s.deps.timers),
        checkpoint: s.deps.timers.checkpoint.bind(s.deps.timers),
        checkpointPut: s.deps.timers.checkpointPut.bind(s.deps.timers),
        settledPuts: s.deps.timers.settledPuts.bind(s.deps.timers),
        commit: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
      },
    };
    await expect(reconcileSla(s.tenantId, 'T-7', { firing, causationId: 'timer' }, failing)).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(await s.announced('T-7')).toEqual([]);
    expect((await s.timers.get('sla', s.tenantId, 'T-7'))?.generation).toBe(1);
    expect(await s.look('T-7', firing, true)).toBe('done');
    expect(await s.announced('T-7')).toEqual(['SLA Warning@2026-11-23T09:45:00.000Z']);
  });

  it('re-drives a timer whose arming failed through the sweeper, and a merely late one is a no-op', async () => {
    const s = setup();
    await s.open('T-8');
    s.port.failNext = 1;
    await expect(s.look('T-8')).rejects.toThrow('Scheduler unavailable');
    // Committed, in the sweeper's index, never armed. Three minutes after its due time:
    s.clock.set('2026-11-23T09:48:00Z');
    const redriven: TimerFiring[] = [];
    await sweep({
      timers: s.timers,
      redrive: { redrive: async (f) => void redriven.push(f) },
      clock: s.clock,
    });
    const mine = redriven.filter((f) => f.tenantId === s.tenantId);
    expect(mine).toEqual([
      expect.objectContaining({ ticketId: 'T-8', generation: 1, dueAt: '2026-11-23T09:45:00.000Z' }),
    ]);
    expect(await s.look('T-8', mine[0] ?? null)).toBe('done');
    expect(await s.announced('T-8')).toEqual(['SLA Warning@2026-11-23T09:45:00.000Z late']);
    // The same firing re-driven again (a second sweep racing) is stale.
    expect(await s.look('T-8', mine[0] ?? null)).toBe('stale');
  });

  it('marks a timer that failed every retry failed on the ticket, out of the sweeper, and a redrive of it still counts', async () => {
    const s = setup();
    await s.open('T-9');
    await s.look('T-9');
    const firing = s.port.last as TimerFiring;
    s.clock.set('2026-11-23T09:46:00Z');
    const broken = createSlaHandler({
      ...s.deps,
      configs: {
        configOf: async () => {
          throw new Error('config unreadable');
        },
      },
      timers: s.timers,
      failures: s.deliveries,
    });
    const record = (receives: number): SQSRecord =>
      ({
        messageId: `m${receives}`,
        body: JSON.stringify(firing),
        attributes: { ApproximateReceiveCount: String(receives) },
      }) as unknown as SQSRecord;
    const failed = await broken({ Records: [record(5)] }, lambdaContext('sla'));
    expect(failed?.batchItemFailures).toEqual([{ itemIdentifier: 'm5' }]);
    expect(await s.timers.get('sla', s.tenantId, 'T-9')).toMatchObject({ status: 'failed', generation: 1 });
    const timeline = await s.reader.page(s.tenantId, 'T-9', { limit: 10 });
    expect(
      timeline?.timeline.map((t) => (t.kind === 'activity' ? t.item.type : t.item.event.type)),
    ).toContain('processing.failed');
    const redriven: TimerFiring[] = [];
    s.clock.set('2026-11-23T12:00:00Z');
    await sweep({
      timers: s.timers,
      redrive: { redrive: async (f) => void redriven.push(f) },
      clock: s.clock,
    });
    expect(redriven.filter((f) => f.tenantId === s.tenantId)).toEqual([]);
    // An operator fixes the cause and redrives the DLQ: the firing is taken, late.
    expect(await s.look('T-9', firing, true)).toBe('done');
    expect(await s.announced('T-9')).toContain('SLA Breached@2026-11-23T10:00:00.000Z late');
  });
});
