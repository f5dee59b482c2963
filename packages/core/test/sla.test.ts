import type { InboundEvent, TenantConfig } from '@heed/contracts';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Crossing,
  DEFAULT_TENANT_CONFIG,
  type LoggedEvent,
  responsePromise,
  type SlaCheckpoint,
  type SlaSettled,
  slaFrom,
  slaOf,
  validateTenantConfig,
  withSettled,
} from '../src';
import { arrivalsOf, live } from './support/lived';
import { TicketLog } from './support/log';

const day: [string, string][] = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];
const weekdays = (d: [string, string][]) => ({ mon: d, tue: d, wed: d, thu: d, fri: d });

let config: TenantConfig;
/** The test configuration with its default ladder replaced (validated, so defaults apply). */
const withLadder = (
  escalation: readonly Record<string, unknown>[],
  urgentLadder?: readonly Record<string, unknown>[],
) => {
  const checked = validateTenantConfig({
    ...BASE,
    sla: {
      ...BASE.sla,
      rules: BASE.sla.rules.map((r) =>
        r.name === 'urgent' && urgentLadder ? { ...r, escalation: urgentLadder } : r,
      ),
      escalation,
    },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};
const BASE = {
  defaultTimeZone: 'Asia/Tokyo',
  calendars: {
    // 2026-11-23 (a Monday) is Labour Thanksgiving Day in Japan.
    tokyo: { timeZone: 'Asia/Tokyo', hours: weekdays(day), holidays: ['2026-11-23'] },
    ny: { timeZone: 'America/New_York', hours: weekdays([['09:00', '17:00']]) },
  },
  sla: {
    rules: [
      {
        name: 'urgent',
        match: { priority: ['urgent'] },
        calendar: 'tokyo',
        hours: 'calendar',
        targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
        escalation: [{ offset: 0, notify: ['group-lead'] }],
      },
      {
        name: 'high',
        match: { priority: ['high'] },
        calendar: 'tokyo',
        targets: { firstResponse: 240, nextResponse: 120, resolution: 1440 },
      },
      {
        name: 'phone',
        match: { channel: ['phone'] },
        calendar: 'ny',
        targets: { firstResponse: 120, nextResponse: 120, resolution: 960 },
        escalation: [],
      },
      {
        name: 'standard',
        calendar: 'tokyo',
        targets: { firstResponse: 480, nextResponse: 240, resolution: 2400 },
      },
    ],
    escalation: [
      { offset: -30, notify: ['assignee'], clocks: ['first_response', 'next_response'] },
      { offset: 60, notify: ['manager'], raisePriority: true, clocks: ['first_response', 'next_response'] },
    ],
  },
};
beforeAll(() => {
  const checked = validateTenantConfig(BASE);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  config = checked.value;
});

/** A ticket's log, written as a producer would post it (validated, so defaults apply). */
class SlaHistory extends TicketLog {
  opened(at: string, data: Record<string, unknown> = {}) {
    return this.add('ticket.opened', at, { channel: 'email', customer: { id: 'c' }, ...data });
  }
  customer(at: string) {
    return this.add('customer.replied', at);
  }
  agent(at: string, isPublic = true) {
    return this.add('agent.replied', at, { agentId: 'a', public: isPublic });
  }
  status(at: string, status: string) {
    return this.add('ticket.status_changed', at, { status });
  }
  priority(at: string, priority: string) {
    return this.add('ticket.priority_changed', at, { priority });
  }
  group(at: string, groupId: string) {
    return this.add('ticket.assigned', at, { groupId });
  }
  feedback(at: string, score: number, comment?: string) {
    return this.add('feedback.received', at, { score, ...(comment && { comment }) }, 'customer');
  }
}
const history = (ticketId = 'T-1') => new SlaHistory(ticketId);

const MINUTE = 60_000;
const jst = (local: string) => new Date(`${local}+09:00`).toISOString();
const at = (crossings: readonly Crossing[], key: string) => crossings.find((c) => c.key === key)?.at;
const keys = (crossings: readonly Crossing[]) => crossings.map((c) => `${c.key}@${c.at}`);

describe('slaOf', () => {
  it('counts from the next opening when opened outside hours, across a weekend and a holiday, and escalates step by step', () => {
    // Friday 18:30 in Tokyo; Saturday, Sunday and Monday (a holiday) are closed: it counts from
    // Tuesday 09:00. High: first response within 240 business minutes.
    const h = history().opened('2026-11-20T18:30:00+09:00', { priority: 'high' });
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T16:30:00')));
    const fr = model.crossings.filter((c) => c.key.startsWith('first_response'));
    expect(keys(fr)).toEqual([
      `first_response:1:warning@${jst('2026-11-24T12:00:00')}`, // 180 = 75 %: the morning ends
      `first_response:1:step:-30@${jst('2026-11-24T13:30:00')}`, // 210 after lunch
      `first_response:1:breach@${jst('2026-11-24T14:00:00')}`,
      // An hour late: the manager, and one priority level up (high → urgent)...
      `first_response:1:step:60@${jst('2026-11-24T15:00:00')}`,
      // ...which re-targets to the urgent rule: its ladder's breach step is long passed, so it fires at once.
      `first_response:1:step:0@${jst('2026-11-24T15:00:00')}`,
    ]);
    expect(model.actions.map((a) => [a.event.type, a.event.data, a.event.occurredAt])).toEqual([
      ['ticket.priority_changed', { priority: 'urgent' }, jst('2026-11-24T15:00:00')],
    ]);
    // The acknowledgement promised exactly the first-response due time.
    const promise = responsePromise(
      config,
      { priority: 'high', channel: 'email' },
      'first_response',
      new Date(jst('2026-11-20T18:30:00')),
    );
    expect(promise.dueAt.toISOString()).toBe(at(fr, 'first_response:1:breach'));
    // The resolution clock now runs on urgent's calendar hours: 300 business minutes by 15:00,
    // 480 calendar minutes are due at 18:00; warned at 360 (16:00).
    expect(keys(model.crossings.filter((c) => c.key.startsWith('resolution')))).toEqual([
      `resolution:1:warning@${jst('2026-11-24T16:00:00')}`,
    ]);
    expect(model.rule).toBe('urgent');
    expect(model.nextWakeUp).toBe(jst('2026-11-24T18:00:00'));
    const resolution = model.clocks.find((c) => c.kind === 'resolution');
    expect(resolution).toMatchObject({
      status: 'running',
      rule: 'urgent',
      hours: 'calendar',
      targetMinutes: 480,
      elapsedMinutes: 390,
    });
    expect(resolution?.dueAt).toBe(jst('2026-11-24T18:00:00'));
  });

  it('is met by a public reply, even one at exactly the due instant; an internal note is not a reply', () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00', { priority: 'high' })
      .agent('2026-11-24T10:00:00+09:00', false)
      .agent('2026-11-24T14:00:00+09:00');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T15:00:00')));
    const fr = model.clocks.find((c) => c.kind === 'first_response');
    expect(fr).toMatchObject({
      status: 'met',
      elapsedMinutes: 240,
      stoppedAt: jst('2026-11-24T14:00:00'),
      dueAt: null,
    });
    expect(fr?.breachedAt).toBeNull();
    expect(keys(model.crossings)).toEqual([
      `first_response:1:warning@${jst('2026-11-24T12:00:00')}`,
      `first_response:1:step:-30@${jst('2026-11-24T13:30:00')}`,
      `first_response:1:met@${jst('2026-11-24T14:00:00')}`,
    ]);
  });

  it('starts one next-response clock when the customer writes twice, stopped by the next public reply', () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00')
      .agent('2026-11-24T09:10:00+09:00')
      .customer('2026-11-24T10:00:00+09:00')
      .customer('2026-11-24T11:00:00+09:00')
      .agent('2026-11-24T13:30:00+09:00', false)
      .agent('2026-11-24T14:00:00+09:00');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T15:00:00')));
    const next = model.clocks.filter((c) => c.kind === 'next_response');
    expect(next).toHaveLength(1);
    // From the first message at 10:00, 240 minutes: 10-12 (120) + 13-14 (60) = 180 at 14:00.
    expect(next[0]).toMatchObject({
      cycle: 1,
      status: 'met',
      startedAt: jst('2026-11-24T10:00:00'),
      elapsedMinutes: 180,
    });
  });

  it('pauses while waiting on the customer, across a night, and the pause moves the due time', () => {
    // An agent answers and asks the customer something: pending from 11:00 until Wednesday 10:00.
    const h = history()
      .opened('2026-11-24T09:00:00+09:00', { priority: 'high' }) // resolution 1440 business minutes
      .agent('2026-11-24T10:00:00+09:00')
      .status('2026-11-24T11:00:00+09:00', 'pending')
      .status('2026-11-25T10:00:00+09:00', 'open');
    const paused = slaOf(h.log.slice(0, 3), config, new Date(jst('2026-11-25T09:30:00')));
    const during = paused.clocks.find((c) => c.kind === 'resolution');
    expect(during).toMatchObject({ status: 'paused', dueAt: null, elapsedMinutes: 120 });
    const resumed = slaOf(h.log, config, new Date(jst('2026-11-25T10:00:00')));
    const resolution = resumed.clocks.find((c) => c.kind === 'resolution');
    // 120 minutes counted before the pause; 1320 remain from Wednesday 10:00: Wed 10-12 (120),
    // 13-18 (300), Thu 480, Fri 420 of 480 → Friday 17:00.
    expect(resolution).toMatchObject({
      status: 'running',
      elapsedMinutes: 120,
      dueAt: jst('2026-11-27T17:00:00'),
    });
    // Without the pause it would be due Thursday 18:00: the pause moved it by its business time.
    const unpaused = slaOf(h.log.slice(0, 2), config, new Date(jst('2026-11-25T10:00:00')));
    expect(unpaused.clocks.find((c) => c.kind === 'resolution')?.dueAt).toBe(jst('2026-11-26T18:00:00'));
  });

  it('re-targets on a priority change, keeping elapsed time: past the new target it breaches at once', () => {
    // Standard (480) for 4 business hours, warned at... not yet (360); then raised to urgent (60).
    const h = history().opened('2026-11-24T09:00:00+09:00').priority('2026-11-24T15:00:00+09:00', 'urgent');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T15:30:00')));
    const fr = model.crossings.filter((c) => c.key.startsWith('first_response'));
    // 300 minutes elapsed (09-12, 13-15) > 60: breach at the change; the warning is implied, not sent.
    expect(keys(fr)).toEqual([
      `first_response:1:breach@${jst('2026-11-24T15:00:00')}`,
      `first_response:1:step:0@${jst('2026-11-24T15:00:00')}`,
    ]);
    expect(model.clocks.find((c) => c.kind === 'first_response')).toMatchObject({
      rule: 'urgent',
      status: 'breached',
      warnedAt: null,
      breachedAt: jst('2026-11-24T15:00:00'),
    });
  });

  it('raised after the warning, re-targets to a shorter target that is already past', () => {
    // High (240 → warn 180 at 12:00), raised to urgent at 13:10 (elapsed 190 > 60).
    const h = history()
      .opened('2026-11-24T09:00:00+09:00', { priority: 'high' })
      .priority('2026-11-24T13:10:00+09:00', 'urgent');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T13:20:00')));
    expect(keys(model.crossings.filter((c) => c.key.startsWith('first_response')))).toEqual([
      `first_response:1:warning@${jst('2026-11-24T12:00:00')}`,
      `first_response:1:breach@${jst('2026-11-24T13:10:00')}`,
      `first_response:1:step:0@${jst('2026-11-24T13:10:00')}`,
    ]);
  });

  it('cancels the reply clock when solved without a reply, meets the resolution, and reopens with new cycles', () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00')
      .status('2026-11-24T10:00:00+09:00', 'solved')
      .customer('2026-11-24T11:00:00+09:00') // reopens the solved ticket
      .agent('2026-11-24T11:30:00+09:00')
      .status('2026-11-24T12:00:00+09:00', 'solved');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T13:00:00')));
    const view = model.clocks.map((c) => [c.kind, c.cycle, c.status, c.startedAt, c.stoppedAt]);
    expect(view).toEqual([
      ['first_response', 1, 'cancelled', jst('2026-11-24T09:00:00'), jst('2026-11-24T10:00:00')],
      ['resolution', 1, 'met', jst('2026-11-24T09:00:00'), jst('2026-11-24T10:00:00')],
      ['resolution', 2, 'met', jst('2026-11-24T11:00:00'), jst('2026-11-24T12:00:00')],
      // The reopen's next-response promise, kept by the reply at 11:30.
      ['next_response', 1, 'met', jst('2026-11-24T11:00:00'), jst('2026-11-24T11:30:00')],
    ]);
    expect(model.crossings.filter((c) => c.type === 'met').map((c) => c.key)).toEqual([
      'resolution:1:met',
      'next_response:1:met',
      'resolution:2:met',
    ]);
    expect(model.nextWakeUp).toBeNull();
  });

  it("gives an agent-created ticket no first-response clock: the customer's first message starts a next-response one", () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00', { createdBy: 'agent' })
      .customer('2026-11-24T10:00:00+09:00');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T10:00:00')));
    expect(model.clocks.map((c) => [c.kind, c.cycle, c.startedAt])).toEqual([
      ['resolution', 1, jst('2026-11-24T09:00:00')],
      ['next_response', 1, jst('2026-11-24T10:00:00')],
    ]);
  });

  it('is DST-correct: a clock across New York falling back counts the real hours', () => {
    // Phone tickets: New York weekdays 09-17, first response in 120 business minutes. Friday 16:00
    // EDT before the switch (Sunday 2026-11-01); one hour Friday, one hour Monday in EST.
    const h = history().opened('2026-10-30T16:00:00-04:00', { channel: 'phone' });
    const model = slaOf(h.log, config, new Date('2026-11-02T10:30:00-05:00'));
    expect(at(model.crossings, 'first_response:1:breach')).toBe(
      new Date('2026-11-02T10:00:00-05:00').toISOString(),
    );
    expect(at(model.crossings, 'first_response:1:warning')).toBe(
      new Date('2026-11-02T09:30:00-05:00').toISOString(),
    );
  });

  it('applies the events of an instant before its crossings, and answers what is due at exactly now', () => {
    // Urgent: 60 calendar minutes. The reply at 10:00 is exactly due: met, no breach.
    const h = history()
      .opened('2026-11-24T09:00:00+09:00', { priority: 'urgent' })
      .agent('2026-11-24T10:00:00+09:00');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T10:00:00')));
    expect(model.crossings.find((c) => c.key === 'first_response:1:breach')).toBeUndefined();
    // Without the reply, the breach at exactly now has happened.
    const late = slaOf(h.log.slice(0, 1), config, new Date(jst('2026-11-24T10:00:00')));
    expect(at(late.crossings, 'first_response:1:breach')).toBe(jst('2026-11-24T10:00:00'));
  });

  it('escalates once when the group changes more often than sla.maxTransfers', () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00')
      .group('2026-11-24T09:05:00+09:00', 'g1')
      .group('2026-11-24T09:10:00+09:00', 'g2')
      .group('2026-11-24T09:15:00+09:00', 'g3')
      .group('2026-11-24T09:20:00+09:00', 'g4')
      .group('2026-11-24T09:25:00+09:00', 'g5');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T09:30:00')));
    expect(model.escalations).toEqual([
      {
        reason: 'transfers',
        at: jst('2026-11-24T09:20:00'),
        transfers: 3,
        actions: { notify: ['group-lead'], raisePriority: false, assignGroup: null },
      },
    ]);
  });

  it('records what a step did: a raise from high to urgent, none for an urgent ticket, a group move only when it moves', () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00', { priority: 'high' })
      .group('2026-11-24T09:01:00+09:00', 'tier2');
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T15:30:00')));
    const step = (m: typeof model, offset: number) =>
      m.escalations.find((e) => e.reason === 'sla' && e.clock === 'first_response' && e.offset === offset);
    expect(step(model, 60)).toMatchObject({
      applied: { priority: { from: 'high', to: 'urgent' }, group: null },
    });
    expect(step(model, -30)).toMatchObject({ applied: { priority: null, group: null } });
    // Already urgent: the raise does nothing, and says so; a move to the group it is in neither.
    const urgent = withLadder(
      [],
      [{ offset: 0, notify: ['manager'], raisePriority: true, assignGroup: 'tier2' }],
    );
    const u = history()
      .opened('2026-11-24T09:00:00+09:00', { priority: 'urgent' })
      .group('2026-11-24T09:01:00+09:00', 'tier2');
    const um = slaOf(u.log, urgent, new Date(jst('2026-11-24T10:30:00')));
    expect(um.actions).toEqual([]);
    expect(step(um, 0)).toMatchObject({ applied: { priority: null, group: null } });
    const moved = history().opened('2026-11-24T09:00:00+09:00', { priority: 'urgent' });
    expect(step(slaOf(moved.log, urgent, new Date(jst('2026-11-24T10:30:00'))), 0)).toMatchObject({
      applied: { priority: null, group: { from: null, to: 'tier2' } },
    });
  });

  it('lets a raising step keep the running clocks on their rule (retarget: false); clocks started later take the new one', () => {
    const keep = withLadder([
      { offset: 60, notify: ['manager'], raisePriority: true, retarget: false, clocks: ['first_response'] },
    ]);
    const h = history().opened('2026-11-24T09:00:00+09:00', { priority: 'high' });
    const at1530 = new Date(jst('2026-11-24T15:30:00'));
    const kept = slaOf(h.log, keep, at1530);
    expect(kept.rule).toBe('urgent');
    expect(kept.clocks.map((c) => [c.kind, c.rule])).toEqual([
      ['first_response', 'high'],
      ['resolution', 'high'],
    ]);
    // No urgent step fires on the first response: it is still on the high rule's ladder.
    expect(kept.crossings.map((c) => c.key)).not.toContain('first_response:1:step:0');
    // The default re-targets: the same history puts both clocks on the urgent rule.
    const moved = slaOf(
      h.log,
      withLadder([{ offset: 60, notify: ['manager'], raisePriority: true, clocks: ['first_response'] }]),
      at1530,
    );
    expect(moved.clocks.map((c) => c.rule)).toEqual(['urgent', 'urgent']);
    // A next response started after the raise runs on the new rule.
    h.agent('2026-11-24T15:40:00+09:00').customer('2026-11-24T15:50:00+09:00');
    const later = slaOf(h.log, keep, new Date(jst('2026-11-24T16:00:00')));
    expect(later.clocks.find((c) => c.kind === 'next_response')?.rule).toBe('urgent');
    expect(later.clocks.find((c) => c.kind === 'resolution')?.rule).toBe('high');
  });

  it('re-targets on a raise as the README says, with the default configuration, and not with retarget: false', () => {
    const h = history().opened('2026-11-23T09:00:00Z', { priority: 'high' });
    const now = new Date('2026-11-23T23:00:00Z');
    const lived = slaOf(h.log, DEFAULT_TENANT_CONFIG, now);
    expect(
      keys(
        lived.crossings.filter(
          (c) => c.key.includes('breach') || c.key.includes('step:60') || c.key.includes('step:240'),
        ),
      ),
    ).toEqual([
      'first_response:1:breach@2026-11-23T13:00:00.000Z',
      'first_response:1:step:60@2026-11-23T14:00:00.000Z',
      'first_response:1:step:240@2026-11-23T14:00:00.000Z',
      'resolution:1:breach@2026-11-23T17:00:00.000Z',
      'resolution:1:step:60@2026-11-23T18:00:00.000Z',
      'resolution:1:step:240@2026-11-23T21:00:00.000Z',
    ]);
    const ladder = DEFAULT_TENANT_CONFIG.sla.escalation.map((step) =>
      step.raisePriority ? { ...step, retarget: false } : step,
    );
    const kept = slaOf(
      h.log,
      { ...DEFAULT_TENANT_CONFIG, sla: { ...DEFAULT_TENANT_CONFIG.sla, escalation: ladder } },
      now,
    );
    expect(keys(kept.crossings).filter((k) => k.includes('T14:00'))).toEqual([
      'first_response:1:step:60@2026-11-23T14:00:00.000Z',
    ]);
    expect(kept.clocks.find((c) => c.kind === 'resolution')).toMatchObject({
      rule: 'high',
      status: 'running',
    });
  });

  it('gives minutes as people read them: whole, or to two decimals, never float noise', () => {
    const h = history().opened('2026-11-24T09:00:20+09:00', { priority: 'urgent' });
    const model = slaOf(h.log, config, new Date(jst('2026-11-24T09:30:00')));
    expect(model.clocks.map((c) => c.elapsedMinutes)).toEqual([29.67, 29.67]);
    expect(model.clocks.map((c) => c.targetMinutes)).toEqual([60, 480]);
  });

  it('re-folds history when a late event arrives: the truth changes, the log is the only input', () => {
    const h = history().opened('2026-11-24T09:00:00+09:00', { priority: 'urgent' });
    const before = slaOf(h.log, config, new Date(jst('2026-11-24T10:30:00')));
    expect(at(before.crossings, 'first_response:1:breach')).toBe(jst('2026-11-24T10:00:00'));
    // The helpdesk's reply at 09:50 reaches Heed only now.
    h.agent('2026-11-24T09:50:00+09:00');
    const after = slaOf(h.log, config, new Date(jst('2026-11-24T10:30:00')));
    expect(after.crossings.map((c) => c.key)).toEqual(['first_response:1:warning', 'first_response:1:met']);
    expect(after.clocks.find((c) => c.kind === 'first_response')?.status).toBe('met');
  });

  it('does not take an action again once it is in the log, and folds the same either way', () => {
    const h = history().opened('2026-11-24T09:00:00+09:00', { priority: 'high' });
    const now = new Date(jst('2026-11-24T16:00:00'));
    const first = slaOf(h.log, config, now);
    expect(first.actions).toHaveLength(1);
    const logged = [...h.log, { event: first.actions[0]?.event as InboundEvent, actor: 'heed' as const }];
    const second = slaOf(logged, config, now);
    expect(second.actions).toEqual([]);
    expect(second.crossings).toEqual(first.crossings);
    expect(second.clocks).toEqual(first.clocks);
  });

  it('wakes up at the earliest future crossing, and never for a paused or stopped clock', () => {
    const h = history().opened('2026-11-24T09:00:00+09:00');
    // Standard: the first-response warning (360 of 480 business minutes) comes first, at 16:00.
    expect(slaOf(h.log, config, new Date(jst('2026-11-24T09:00:00'))).nextWakeUp).toBe(
      jst('2026-11-24T16:00:00'),
    );
    const pending = h.status('2026-11-24T10:00:00+09:00', 'pending');
    expect(slaOf(pending.log, config, new Date(jst('2026-11-24T11:00:00'))).nextWakeUp).toBeNull();
    const solved = history()
      .opened('2026-11-24T09:00:00+09:00')
      .status('2026-11-24T10:00:00+09:00', 'solved');
    expect(slaOf(solved.log, config, new Date(jst('2026-11-24T11:00:00'))).nextWakeUp).toBeNull();
  });

  it('escalates a low score once per survey cycle, with the comment, to followUp.lowScoreNotify', () => {
    const h = history()
      .opened('2026-11-24T09:00:00+09:00')
      .status('2026-11-24T10:00:00+09:00', 'solved')
      .feedback('2026-11-25T10:00:00+09:00', 4)
      .feedback('2026-11-25T10:01:00+09:00', 1, 'still broken')
      .feedback('2026-11-25T10:02:00+09:00', 2);
    const model = slaOf(h.log, config, new Date(jst('2026-11-25T11:00:00')));
    expect(model.escalations).toEqual([
      {
        reason: 'low-csat',
        at: jst('2026-11-25T10:01:00'),
        score: 1,
        comment: 'still broken',
        actions: { notify: ['group-lead'], raisePriority: false, assignGroup: null },
      },
    ]);
    expect(keys(model.crossings)).toContain(`low-csat:1@${jst('2026-11-25T10:01:00')}`);
  });

  it('folds an event stamped ahead of now only when its instant comes, and wakes up for it', () => {
    // A producer's clock runs five minutes fast: its reopen is not history yet at 11:00.
    const h = history()
      .opened('2026-11-24T09:00:00+09:00')
      .status('2026-11-24T10:00:00+09:00', 'solved')
      .status('2026-11-24T11:05:00+09:00', 'open');
    const before = slaOf(h.log, config, new Date(jst('2026-11-24T11:00:00')));
    expect(before.clocks.filter((c) => c.kind === 'resolution')).toHaveLength(1);
    expect(before.nextWakeUp).toBe(jst('2026-11-24T11:05:00'));
    const after = slaOf(h.log, config, new Date(jst('2026-11-24T11:05:00')));
    expect(after.clocks.filter((c) => c.kind === 'resolution').map((c) => c.cycle)).toEqual([1, 2]);
  });
});

describe('slaOf, lived in real time or backfilled', () => {
  type Step = { minutes: number; kind: number; value: number };
  const steps = fc.array(
    fc.record({
      minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
      kind: fc.integer({ min: 0, max: 7 }),
      value: fc.nat(),
    }),
    { minLength: 1, maxLength: 14 },
  );

  /** A plausible history from random steps, starting on a random instant of a week with a holiday. */
  const build = (startMinutes: number, opening: number, plan: readonly Step[]) => {
    const h = history(`T-${startMinutes}`);
    let t = Date.parse('2026-11-21T00:00:00+09:00') + startMinutes * MINUTE;
    const priorities = ['low', 'normal', 'high', 'urgent'];
    h.opened(new Date(t).toISOString(), {
      priority: priorities[opening % 4],
      channel: opening % 5 === 0 ? 'phone' : 'email',
      createdBy: opening % 7 === 0 ? 'agent' : 'customer',
    });
    for (const s of plan) {
      t += s.minutes * MINUTE;
      const when = new Date(t).toISOString();
      const statuses = ['open', 'pending', 'on_hold', 'solved', 'closed'];
      [
        () => h.customer(when),
        () => h.agent(when),
        () => h.agent(when, false),
        () => h.status(when, statuses[s.value % 5] as string),
        () => h.priority(when, priorities[s.value % 4] as string),
        () => h.group(when, `g${s.value % 4}`),
        () => h.customer(when),
        () => h.agent(when),
      ][s.kind]?.();
    }
    return { log: h.log, end: t + 5 * 24 * 60 * MINUTE };
  };

  it('announces the same crossings at the same instants, and ends in the same state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 24 * 60 }), fc.nat(), steps, (start, opening, plan) => {
        const { log: producerLog, end } = build(start, opening, plan);
        // Real time: look at every event's arrival and every wake-up, never at anything else.
        const log: LoggedEvent[] = [];
        const emitted = new Map<string, string>();
        let i = 0;
        let now = Date.parse(producerLog[0]?.event.occurredAt ?? '');
        for (let guard = 0; guard < 2000; guard++) {
          while (i < producerLog.length && Date.parse(producerLog[i]?.event.occurredAt ?? '') <= now)
            log.push(producerLog[i++] as LoggedEvent);
          const model = slaOf(log, config, new Date(now));
          for (const c of model.crossings) if (!emitted.has(c.key)) emitted.set(c.key, c.at);
          for (const a of model.actions) log.push({ event: a.event, actor: 'heed' });
          const wake = model.nextWakeUp === null ? Number.POSITIVE_INFINITY : Date.parse(model.nextWakeUp);
          const arrival =
            i < producerLog.length
              ? Date.parse(producerLog[i]?.event.occurredAt ?? '')
              : Number.POSITIVE_INFINITY;
          const next = Math.min(wake, arrival, end);
          if (next <= now && next === end) break;
          expect(next).toBeGreaterThan(now); // time always moves on
          now = next;
        }
        // Backfilled: the producer's whole history at once, at the end.
        const backfill = slaOf(producerLog, config, new Date(end));
        expect(new Map(backfill.crossings.map((c) => [c.key, c.at]))).toEqual(emitted);
        const lived = slaOf(log, config, new Date(end));
        expect(lived.clocks).toEqual(backfill.clocks);
        expect(lived.escalations).toEqual(backfill.escalations);
        expect(lived.actions).toEqual([]);
        expect(backfill.actions.map((a) => a.event.id).sort()).toEqual(
          log
            .filter((e) => e.actor === 'heed')
            .map((e) => e.event.id)
            .sort(),
        );
      }),
      { seed: 20261123, numRuns: 150 },
    );
  });

  it('folds from checkpoints exactly as from the whole log, events arriving in order or shuffled', () => {
    let resumed = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        fc.nat(),
        steps,
        fc.array(fc.nat(), { maxLength: 6 }),
        (start, opening, plan, swaps) => {
          const { log: history, end } = build(start, opening, plan);
          const emitted = new Set<string>();
          // What the SLA service stores beside each checkpoint of the chain it resumes along.
          let settled: SlaSettled[] = [];
          resumed += live<SlaCheckpoint>(arrivalsOf(history, swaps), end, (from, events, log, now) => {
            const look = slaFrom(from, events, config, new Date(now));
            const full = slaOf(log, config, new Date(now));
            if (!from) settled = [];
            // With what was settled before, the resumed model is the whole one: every clock, every escalation.
            expect(withSettled(look.model, settled)).toEqual({
              clocks: full.clocks,
              escalations: full.escalations,
            });
            if (look.checkpoint !== from) settled.push(look.settled);
            const fresh = (m: { crossings: readonly Crossing[] }) =>
              m.crossings.filter((c) => !emitted.has(c.key)).map((c) => `${c.key}@${c.at}`);
            expect(fresh(look.model)).toEqual(fresh(full));
            expect(look.model.actions).toEqual(full.actions);
            expect(look.model.nextWakeUp).toEqual(full.nextWakeUp);
            expect(look.model.rule).toEqual(full.rule);
            expect(look.model.clocks.filter((c) => c.stoppedAt === null)).toEqual(
              full.clocks.filter((c) => c.stoppedAt === null),
            );
            for (const c of full.crossings) emitted.add(c.key);
            return {
              log: full.actions.map((a) => ({ event: a.event, actor: 'heed' as const })),
              checkpoint: look.checkpoint,
              nextWakeUp: full.nextWakeUp,
            };
          });
        },
      ),
      { seed: 20261203, numRuns: 200 },
    );
    // Most looks resumed (the rest had a late event, or nothing to resume from).
    expect(resumed).toBeGreaterThan(1000);
  });

  it('never lets a stopped clock cross anything, and keeps elapsed time within what has passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 24 * 60 }), fc.nat(), steps, (start, opening, plan) => {
        const { log, end } = build(start, opening, plan);
        const model = slaOf(log, config, new Date(end));
        for (const c of model.clocks) {
          const span =
            (Date.parse(c.stoppedAt ?? new Date(end).toISOString()) - Date.parse(c.startedAt)) / MINUTE;
          expect(c.elapsedMinutes).toBeGreaterThanOrEqual(0);
          expect(c.elapsedMinutes).toBeLessThanOrEqual(span + 1e-9);
          for (const x of model.crossings)
            if ('clock' in x && x.clock === c.kind && x.cycle === c.cycle && c.stoppedAt)
              expect(Date.parse(x.at)).toBeLessThanOrEqual(Date.parse(c.stoppedAt));
          if (c.status === 'met') expect(c.elapsedMinutes).toBeLessThanOrEqual(c.targetMinutes);
          if (c.status === 'breached') expect(c.breachedAt).not.toBeNull();
        }
        const breaches = model.crossings.filter((c) => c.type === 'breach');
        expect(new Set(breaches.map((b) => b.key)).size).toBe(breaches.length); // each at most once
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
