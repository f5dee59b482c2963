import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { TenantConfigInput, TimerFiring } from '@heed/contracts';
import { slaOf } from '@heed/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { startReceiver } from '../support/receiver';
import { type apiClient, startConfiguredRuntime, type TestRuntime } from '../support/runtime';

/**
 * The SLA service end to end on the local runtime: a manual clock moved the way time passes
 * (POST /local/clock semantics), so every timer fires at its own instant. Every expected
 * instant below is computed by hand from the calendar.
 */

const SECRET = 'test-webhook-secret-0123456789';
const day: [string, string][] = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];

const customers = await startReceiver();
const leads = await startReceiver();
const agents = await startReceiver();

const config: TenantConfigInput = {
  defaultTimeZone: 'Asia/Tokyo',
  calendars: {
    // Monday 2026-11-23 is a public holiday in Japan (Labour Thanksgiving Day).
    default: {
      timeZone: 'Asia/Tokyo',
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
      holidays: ['2026-11-23'],
    },
  },
  sla: {
    rules: [
      {
        name: 'urgent',
        match: { priority: ['urgent'] },
        hours: 'calendar',
        targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
        escalation: [
          { offset: 0, notify: ['group-lead'] },
          { offset: 60, notify: ['manager'], assignGroup: 'tier2' },
        ],
      },
      { name: 'standard', targets: { firstResponse: 240, nextResponse: 120, resolution: 2400 } },
    ],
    escalation: [
      { offset: -30, notify: ['assignee'], clocks: ['first_response', 'next_response'] },
      { offset: 60, notify: ['manager'], raisePriority: true, clocks: ['first_response', 'next_response'] },
    ],
  },
  delivery: {
    webhooks: [
      { id: 'customers', url: customers.url, secret: SECRET, audiences: ['customer'] },
      {
        id: 'leads',
        url: leads.url,
        secret: SECRET,
        audiences: ['internal'],
        roles: ['group-lead', 'manager'],
      },
      { id: 'agents', url: agents.url, secret: SECRET, audiences: ['internal'], roles: ['assignee'] },
    ],
  },
};

let rt: TestRuntime;
let api: ReturnType<typeof apiClient>;
const bus: BusEnvelope[] = [];

/** An instant given in Tokyo time. */
const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

beforeAll(async () => {
  ({ rt, api } = await startConfiguredRuntime(config, jst('2026-11-23T08:00:00'), bus));
});
afterAll(async () => {
  await rt?.stop();
  await Promise.all([customers.close(), leads.close(), agents.close()]);
});

type Detail = {
  ticketId: string;
  occurredAt: string;
  emittedAt: string;
  late: boolean;
  actor: string;
  data: Record<string, unknown>;
};
const SLA_TYPES = ['SLA Warning', 'SLA Breached', 'SLA Met', 'Ticket Escalated'];

/** The SLA events of a ticket on the bus: `<type> <clock or reason> @<occurredAt>`, in time order. */
const slaEvents = (ticketId: string) =>
  bus
    .filter((e) => SLA_TYPES.includes(e['detail-type']) && (e.detail as Detail).ticketId === ticketId)
    .map((e) => {
      const d = e.detail as Detail;
      const what = (e['detail-type'] === 'Ticket Escalated' ? d.data.reason : d.data.clock) as string;
      return {
        line: `${e['detail-type']} ${what}${d.data.step ? ` ${d.data.step}` : ''} @${d.occurredAt}`,
        d,
      };
    })
    .sort(
      (a, b) =>
        (a.line.split('@')[1] ?? '').localeCompare(b.line.split('@')[1] ?? '') ||
        a.line.localeCompare(b.line),
    );

let seq = 0;
const post = async (ticketId: string, type: string, local: string, data: Record<string, unknown> = {}) => {
  const occurredAt = jst(local);
  await rt.advanceClock(new Date(occurredAt));
  const res = await api.post({ id: `w-${++seq}`, type, ticketId, occurredAt, data });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await rt.settle();
};
const open = (ticketId: string, local: string, data: Record<string, unknown> = {}) =>
  post(ticketId, 'ticket.opened', local, {
    channel: 'email',
    priority: 'normal',
    customer: { id: `c-${ticketId}`, locale: 'ja-JP', timeZone: 'Asia/Tokyo' },
    ...data,
  });

type Clock = { kind: string; cycle: number; status: string; dueAt: string | null; elapsedMinutes: number };
type TicketBody = { priority: string; sla: { rule: string; clocks: Clock[]; escalations: unknown[] } };
const clockOf = async (ticketId: string, kind: string) =>
  (await api.ticket<TicketBody>(ticketId)).body.sla.clocks.filter((c) => c.kind === kind).at(-1);

describe('SLA on the local runtime', () => {
  it('runs a working week of mixed tickets: every crossing at its exact instant, escalations to the right people', async () => {
    // W-1: opened on the holiday, counted from Tuesday 09:00: 240 business minutes.
    await open('W-1', '2026-11-23T10:00:00');
    // W-3 (below) is opened Wednesday; W-2 is urgent, on calendar hours, Tuesday evening.
    await post('W-1', 'agent.replied', '2026-11-24T16:00:00', { agentId: 'a1', public: true });
    await open('W-2', '2026-11-24T17:30:00', { priority: 'urgent', channel: 'chat' });
    await post('W-2', 'agent.replied', '2026-11-24T19:00:00', { agentId: 'a2', public: true });
    await post('W-2', 'ticket.status_changed', '2026-11-24T23:00:00', { status: 'solved' });
    // W-3: bounced between four groups, answered, then waiting on the customer overnight.
    await open('W-3', '2026-11-25T09:00:00');
    for (const [i, group] of ['g1', 'g2', 'g3', 'g4'].entries())
      await post('W-3', 'ticket.assigned', `2026-11-25T09:${i + 1}0:00`, { groupId: group });
    await post('W-3', 'agent.replied', '2026-11-25T10:00:00', { agentId: 'a3', public: true });
    await post('W-3', 'ticket.status_changed', '2026-11-25T10:00:00', { status: 'pending' });
    await rt.advanceClock(new Date(jst('2026-11-25T12:00:00')));
    // Paused: no due time, 60 minutes counted.
    expect(await clockOf('W-3', 'resolution')).toMatchObject({
      status: 'paused',
      dueAt: null,
      elapsedMinutes: 60,
    });
    await post('W-3', 'customer.replied', '2026-11-26T09:00:00');
    // Resumed: 2340 business minutes left from Thursday 09:00 → Wednesday 2 December 17:00.
    expect(await clockOf('W-3', 'resolution')).toMatchObject({
      status: 'running',
      dueAt: jst('2026-12-02T17:00:00'),
    });
    await rt.advanceClock(new Date(jst('2026-11-26T13:00:00')));

    expect(slaEvents('W-1').map((e) => e.line)).toEqual([
      `SLA Warning first_response @${jst('2026-11-24T12:00:00')}`, // 180 of 240: the morning ends
      `Ticket Escalated sla 1 @${jst('2026-11-24T13:30:00')}`, // 30 min before: the assignee
      `SLA Breached first_response @${jst('2026-11-24T14:00:00')}`,
      `Ticket Escalated sla 2 @${jst('2026-11-24T15:00:00')}`, // an hour late: manager, priority up
    ]);
    expect(slaEvents('W-2').map((e) => e.line)).toEqual([
      `SLA Warning first_response @${jst('2026-11-24T18:15:00')}`,
      `SLA Breached first_response @${jst('2026-11-24T18:30:00')}`,
      `Ticket Escalated sla 1 @${jst('2026-11-24T18:30:00')}`,
      // Answered at 19:00: the +60 step (tier2) is cancelled. Solved within 480 minutes.
      `SLA Met resolution @${jst('2026-11-24T23:00:00')}`,
    ]);
    expect(slaEvents('W-3').map((e) => e.line)).toEqual([
      `Ticket Escalated transfers @${jst('2026-11-25T09:40:00')}`, // the third transfer
      `SLA Met first_response @${jst('2026-11-25T10:00:00')}`,
      `SLA Warning next_response @${jst('2026-11-26T10:30:00')}`, // 90 of 120 after the customer's message
      `Ticket Escalated sla 1 @${jst('2026-11-26T10:30:00')}`, // and 30 before the target
      `SLA Breached next_response @${jst('2026-11-26T11:00:00')}`,
      `Ticket Escalated sla 2 @${jst('2026-11-26T12:00:00')}`,
    ]);
    // Each announced when it happened (the clock stopped at every timer), by Heed.
    for (const { d } of ['W-1', 'W-2', 'W-3'].flatMap(slaEvents)) {
      expect(d.emittedAt).toBe(d.occurredAt);
      expect(d).toMatchObject({ late: false, actor: 'heed' });
    }
    // The escalation ladder raised the priority through the ticket's own log, as actor heed.
    const raised = bus.filter(
      (e) =>
        e['detail-type'] === 'Ticket Priority Changed' &&
        ['W-1', 'W-3'].includes((e.detail as Detail).ticketId),
    );
    expect(
      raised.map((e) => [
        (e.detail as Detail).ticketId,
        (e.detail as Detail).actor,
        (e.detail as Detail).occurredAt,
      ]),
    ).toEqual([
      ['W-1', 'heed', jst('2026-11-24T15:00:00')],
      ['W-3', 'heed', jst('2026-11-26T12:00:00')],
    ]);
    expect((await api.ticket<TicketBody>('W-1')).body.priority).toBe('high');
    // Internal messages went only to the endpoints that take their roles.
    const byTicket = (r: typeof leads) =>
      r.received
        .filter((m) => m.json.purpose === 'escalation')
        .map((m) => `${m.json.ticketId} ${(m.json.roles as string[]).join()}`);
    expect(byTicket(agents).sort()).toEqual(['W-1 assignee', 'W-3 assignee']);
    expect(byTicket(leads).sort()).toEqual([
      'W-1 manager',
      'W-2 group-lead',
      'W-3 group-lead',
      'W-3 manager',
    ]);
    expect(byTicket(customers)).toEqual([]);
    const message = leads.received.find((m) => m.json.ticketId === 'W-2' && m.json.purpose === 'escalation');
    expect(message?.json).toMatchObject({
      audience: 'internal',
      template: 'escalation.sla',
      data: { clock: 'first_response', step: 1, offset: 0, notify: ['group-lead'] },
    });
  });

  it('shows the SLA in the read API: rule, clocks up to now, escalations', async () => {
    const body = (await api.ticket<TicketBody>('W-1')).body;
    expect(body.sla.rule).toBe('standard');
    const fr = body.sla.clocks.find((c) => c.kind === 'first_response');
    expect(fr).toMatchObject({
      status: 'breached',
      targetMinutes: 240,
      elapsedMinutes: 360, // from Tuesday 09:00 to the reply at 16:00, lunch excluded
      breachedAt: jst('2026-11-24T14:00:00'),
      stoppedAt: jst('2026-11-24T16:00:00'),
      dueAt: null,
    });
    // The acknowledgement promised exactly the instant the first-response clock breached.
    const ack = (body as unknown as { acknowledgements: { promisedBy?: string }[] }).acknowledgements[0];
    expect(ack?.promisedBy).toBe(jst('2026-11-24T14:00:00'));
    // The resolution clock runs: its elapsed time is counted up to now (Thursday 13:00).
    const resolution = body.sla.clocks.find((c) => c.kind === 'resolution');
    expect(resolution).toMatchObject({ status: 'running', elapsedMinutes: 480 + 480 + 180 });
    expect(body.sla.escalations).toHaveLength(2);
    // The timeline tells the story with Heed's SLA events between the producer's.
    const timeline = (body as unknown as { timeline: { source: string; type: string; at: string }[] })
      .timeline;
    expect(
      timeline
        .filter((t) => t.source === 'heed' && t.type.match(/^sla\.|^escalation$/))
        .map((t) => `${t.type}@${t.at}`),
    ).toEqual([
      `sla.warning@${jst('2026-11-24T12:00:00')}`,
      `escalation@${jst('2026-11-24T13:30:00')}`,
      `sla.breached@${jst('2026-11-24T14:00:00')}`,
      `escalation@${jst('2026-11-24T15:00:00')}`,
    ]);
    expect(timeline.find((t) => t.type === 'ticket.priority_changed')).toMatchObject({ source: 'heed' });
  });

  it('takes a duplicated firing once and a stale one not at all', async () => {
    await open('D-1', '2026-11-26T13:00:00');
    const timer = (await rt.timers.pendingOf('sla', 'acme', 'D-1')) as TimerFiring;
    expect(timer.dueAt).toBe(jst('2026-11-26T16:00:00')); // 180 business minutes: the warning
    // The same firing delivered three times at its due time (Scheduler and SQS are at-least-once).
    rt.clock.set(timer.dueAt);
    for (let i = 0; i < 3; i++)
      await rt.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: rt.queues.sla.url, MessageBody: JSON.stringify(timer) }),
      );
    await rt.settle();
    expect(slaEvents('D-1').map((e) => e.line)).toEqual([
      `SLA Warning first_response @${jst('2026-11-26T16:00:00')}`,
    ]);
    // Answered; the old firing of the step at 16:30 arrives anyway: it is stale.
    const step = (await rt.timers.pendingOf('sla', 'acme', 'D-1')) as TimerFiring;
    await post('D-1', 'agent.replied', '2026-11-26T16:10:00', { agentId: 'a1', public: true });
    rt.clock.set(jst('2026-11-26T16:30:00'));
    await rt.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: rt.queues.sla.url, MessageBody: JSON.stringify(step) }),
    );
    await rt.settle();
    expect(slaEvents('D-1').map((e) => e.line)).toEqual([
      `SLA Warning first_response @${jst('2026-11-26T16:00:00')}`,
      `SLA Met first_response @${jst('2026-11-26T16:10:00')}`,
    ]);
  });

  it('re-targets on a priority change, keeping the elapsed time', async () => {
    // Standard: 240 business minutes. After 50, it becomes urgent (60 calendar minutes): it
    // warned at 45 already (at the change) and breaches 10 minutes later.
    await open('P-1', '2026-11-27T09:00:00');
    await post('P-1', 'ticket.priority_changed', '2026-11-27T09:50:00', { priority: 'urgent' });
    await rt.advanceClock(new Date(jst('2026-11-27T10:30:00')));
    expect(slaEvents('P-1').map((e) => e.line)).toEqual([
      `SLA Warning first_response @${jst('2026-11-27T09:50:00')}`,
      `SLA Breached first_response @${jst('2026-11-27T10:00:00')}`,
      `Ticket Escalated sla 1 @${jst('2026-11-27T10:00:00')}`,
    ]);
  });

  it('announces a history posted late exactly like the one that happened live, each crossing once and marked late', async () => {
    // P-2 lives through Friday; then the same history arrives for B-2 on Monday, all at once.
    const history = (ticketId: string) => [
      {
        id: `${ticketId}-1`,
        type: 'ticket.opened',
        ticketId,
        occurredAt: jst('2026-11-27T11:00:00'),
        data: { channel: 'email', customer: { id: 'c9' } },
      },
      {
        id: `${ticketId}-2`,
        type: 'agent.replied',
        ticketId,
        occurredAt: jst('2026-11-27T13:30:00'),
        data: { agentId: 'a', public: true },
      },
      {
        id: `${ticketId}-3`,
        type: 'customer.replied',
        ticketId,
        occurredAt: jst('2026-11-27T14:00:00'),
        data: {},
      },
      {
        id: `${ticketId}-4`,
        type: 'ticket.status_changed',
        ticketId,
        occurredAt: jst('2026-11-27T16:45:00'),
        data: { status: 'on_hold' },
      },
    ];
    for (const event of history('P-2')) {
      await rt.advanceClock(new Date(event.occurredAt));
      expect((await api.post(event)).status).toBe(202);
      await rt.settle();
    }
    await rt.advanceClock(new Date(jst('2026-11-30T10:00:00')));
    expect((await api.post({ events: history('B-2') })).status).toBe(202);
    await rt.settle();
    // Had the relay published the batch in parts, the SLA service would have seen a partial
    // history: crossings after its newest event wait until it has been quiet for SETTLE_MS.
    await rt.advanceClock(new Date(jst('2026-11-30T10:01:00')));
    const live = slaEvents('P-2');
    const backfilled = slaEvents('B-2');
    expect(live.map((e) => e.line)).toEqual([
      `SLA Met first_response @${jst('2026-11-27T13:30:00')}`,
      `SLA Warning next_response @${jst('2026-11-27T15:30:00')}`,
      `Ticket Escalated sla 1 @${jst('2026-11-27T15:30:00')}`,
      `SLA Breached next_response @${jst('2026-11-27T16:00:00')}`,
      // On hold from 16:45: the +60 step (at 180 minutes) never comes.
    ]);
    expect(backfilled.map((e) => e.line)).toEqual(live.map((e) => e.line));
    expect(backfilled.every((e) => e.d.late)).toBe(true);
    expect(backfilled.every((e) => e.d.emittedAt <= jst('2026-11-30T10:00:10'))).toBe(true);
    expect(live.every((e) => !e.d.late)).toBe(true);
  });

  it('moves the clock over HTTP: GET /local/clock, POST forward (firing what is due), never backwards', async () => {
    const now = await fetch(`${rt.url}/local/clock`).then((r) => r.json());
    expect(now).toMatchObject({ now: rt.clock.now().toISOString(), speed: 0 });
    await open('H-1', '2026-11-30T10:05:00', { priority: 'urgent' });
    const json = { 'content-type': 'application/json' };
    const res = await fetch(`${rt.url}/local/clock`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ advanceMinutes: 61 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ now: jst('2026-11-30T11:06:00') });
    expect(slaEvents('H-1').map((e) => e.line)).toEqual([
      `SLA Warning first_response @${jst('2026-11-30T10:50:00')}`,
      `SLA Breached first_response @${jst('2026-11-30T11:05:00')}`,
      `Ticket Escalated sla 1 @${jst('2026-11-30T11:05:00')}`,
    ]);
    const to = await fetch(`${rt.url}/local/clock`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ to: jst('2026-11-30T11:30:00') }),
    });
    expect(await to.json()).toMatchObject({ now: jst('2026-11-30T11:30:00') });
    const back = await fetch(`${rt.url}/local/clock`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ to: jst('2026-11-30T09:00:00') }),
    });
    expect(back.status).toBe(409);
    for (const bad of [
      '{',
      '{"advanceMinutes":-5}',
      '{"advanceMinutes":1e20}',
      '{"to":"tomorrow"}',
      '{"to":"+275760-09-14T00:00:00Z"}',
      '{}',
      'null',
      '[]',
      '"x"',
      '',
    ]) {
      const r = await fetch(`${rt.url}/local/clock`, { method: 'POST', headers: json, body: bad });
      expect(r.status, bad).toBe(400);
    }
    // What any web page may post cross-site without a preflight moves nothing.
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])
      expect(
        (
          await fetch(`${rt.url}/local/clock`, {
            method: 'POST',
            ...(type && { headers: { 'content-type': type } }),
            body: '{"advanceMinutes":1}',
          })
        ).status,
        type,
      ).toBe(415);
    const after = (await fetch(`${rt.url}/local/clock`).then((r) => r.json())) as { now: string };
    expect(after.now).toBe(jst('2026-11-30T11:30:00'));
  });

  it("reads a long ticket's SLA from the owners' checkpoints and settled items: the whole log's models, reading what it answers", async () => {
    const read = async (ticketId: string) => {
      const before = rt.counter.units.get('RRU') ?? 0;
      const body = (await api.ticket<TicketBody & { followUps: unknown[] }>(ticketId, { limit: '1' })).body;
      return { body, rru: (rt.counter.units.get('RRU') ?? 0) - before };
    };
    const start = Date.parse(jst('2026-11-30T12:00:00'));
    const minute = (n: number) => new Date(start + n * 60_000).toISOString();
    await rt.advanceClock(new Date(minute(400)));
    const opening = (ticketId: string) => ({
      id: `${ticketId}-o`,
      type: 'ticket.opened',
      ticketId,
      occurredAt: minute(0),
      data: { channel: 'chat', priority: 'normal', customer: { id: `c-${ticketId}` } },
    });
    const message = (ticketId: string, n: number) => ({
      id: `${ticketId}-${n}`,
      type: n % 2 ? 'agent.replied' : 'customer.replied',
      ticketId,
      occurredAt: minute(n),
      data: n % 2 ? { agentId: 'a1' } : {},
    });
    expect((await api.post({ events: [opening('W-short'), message('W-short', 1)] })).status).toBe(202);
    const long = [opening('W-long'), ...Array.from({ length: 299 }, (_, i) => message('W-long', i + 1))];
    for (let i = 0; i < long.length; i += 100)
      expect((await api.post({ events: long.slice(i, i + 100) })).status).toBe(202);
    await rt.settle();
    const short = await read('W-short');
    const { body, rru } = await read('W-long');
    const log = await rt.tickets.log('acme', 'W-long');
    const events = log.map((l) => ({ event: l.event, actor: l.actor ?? 'producer' }));
    const whole = slaOf(events, await rt.tenants.configOf('acme'), rt.clock.now());
    expect(body.sla).toEqual({ rule: whole.rule, clocks: whole.clocks, escalations: whole.escalations });
    expect(body.sla.clocks.filter((c) => c.kind === 'next_response')).toHaveLength(149);
    const before = rt.counter.units.get('RRU') ?? 0;
    await rt.tickets.log('acme', 'W-long');
    const wholeLog = (rt.counter.units.get('RRU') ?? 0) - before; // read consistently, as owners do
    // Beyond what a two-event ticket's read costs, it reads about what it answers (150 clocks,
    // read eventually consistent: 8 KB per RRU), not the 300 events of its log.
    const answered = Buffer.byteLength(JSON.stringify(body.sla));
    expect(rru - short.rru).toBeLessThanOrEqual(Math.ceil(answered / 8192) + 2);
    expect(rru).toBeLessThan(wholeLog / 2);
    // A late event before the checkpoints: read before the owners look, and after, still the whole truth.
    const late = { ...message('W-long', 2.5), id: 'W-long-late', type: 'ticket.priority_changed' };
    expect((await api.post({ ...late, data: { priority: 'urgent' } })).status).toBe(202);
    for (const settled of [false, true]) {
      if (settled) await rt.settle();
      const again = (await api.ticket<TicketBody>('W-long', { limit: '1' })).body;
      const relog = (await rt.tickets.log('acme', 'W-long')).map((l) => ({
        event: l.event,
        actor: l.actor ?? 'producer',
      }));
      const model = slaOf(relog, await rt.tenants.configOf('acme'), rt.clock.now());
      expect(again.sla).toEqual({ rule: model.rule, clocks: model.clocks, escalations: model.escalations });
    }
  });

  it('imports history quietly: crossings older than sla.staleAfter are recorded and shown, nobody is messaged', async () => {
    const before = { leads: leads.forTicket('W-import').length, agents: agents.forTicket('W-import').length };
    // Opened four days ago, never answered: its first-response steps are long past.
    const target = Date.parse(jst('2026-11-30T19:00:00'));
    await rt.advanceClock(new Date(Math.max(target, rt.clock.now().getTime())));
    const res = await api.post({
      events: [
        {
          id: 'W-import-o',
          type: 'ticket.opened',
          ticketId: 'W-import',
          occurredAt: jst('2026-11-26T09:00:00'),
          data: { channel: 'email', priority: 'normal', customer: { id: 'c-import' } },
        },
        {
          id: 'W-import-a',
          type: 'ticket.assigned',
          ticketId: 'W-import',
          occurredAt: jst('2026-11-26T09:05:00'),
          data: { agentId: 'a-1', groupId: 'support' },
        },
      ],
    });
    expect(res.status).toBe(202);
    await rt.settle();
    // Past the quiet moment a history still arriving gets (SETTLE_MS), then everything is announced.
    await rt.advanceClock(new Date(rt.clock.now().getTime() + 60_000));
    type Entry = { source: string; type: string; notified?: boolean; why?: string };
    const body = (await api.ticket<TicketBody & { timeline: Entry[] }>('W-import')).body;
    expect(body.sla.escalations.length).toBeGreaterThanOrEqual(2);
    const escalations = body.timeline.filter((t) => t.source === 'heed' && t.type === 'escalation');
    expect(escalations.length).toBe(body.sla.escalations.length);
    for (const e of escalations) {
      expect(e.notified).toBe(false);
      expect(e.why).toMatch(/sla.staleAfter/);
    }
    await rt.settle();
    expect(leads.forTicket('W-import').length).toBe(before.leads);
    expect(agents.forTicket('W-import').length).toBe(before.agents);
  });
});
