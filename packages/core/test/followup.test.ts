import type { TenantConfig } from '@heed/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FollowUp,
  type FollowUpCheckpoint,
  type FollowUpModel,
  type FollowUpsSettled,
  followUpsFrom,
  followUpsOf,
  type LoggedEvent,
  linkedTicketId,
  validateTenantConfig,
  withSettledFollowUps,
} from '../src';
import { arrivalsOf, live } from './support/lived';
import { TicketLog } from './support/log';

const configOf = (followUp: Record<string, unknown> = {}): TenantConfig => {
  const checked = validateTenantConfig({
    defaultTimeZone: 'Asia/Tokyo',
    calendars: { default: { timeZone: 'Asia/Tokyo', hours: { mon: [['09:00', '18:00']] } } },
    sla: { rules: [{ name: 'standard', targets: { firstResponse: 60, nextResponse: 60, resolution: 480 } }] },
    followUp: {
      // Monday 2026-11-23 is a holiday (Labour Thanksgiving Day): read in each customer's zone.
      contactHours: {
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
        holidays: ['2026-11-23'],
      },
      ...followUp,
    },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};
const config = configOf();

/** A ticket's log as producers (and Heed) would write it. */
class FollowUpHistory extends TicketLog {
  constructor(
    readonly zone: string,
    ticketId: string,
  ) {
    super(ticketId);
  }
  opened(at: string) {
    return this.add('ticket.opened', at, {
      channel: 'email',
      priority: 'high',
      customer: { id: 'c', locale: 'ja-JP', timeZone: this.zone },
    });
  }
  status(at: string, status: string) {
    return this.add('ticket.status_changed', at, { status });
  }
  customer(at: string, data: Record<string, unknown> = {}) {
    return this.add('customer.replied', at, data);
  }
  feedback(at: string, score: number, surveyCycle?: number, comment?: string) {
    return this.add(
      'feedback.received',
      at,
      { score, ...(surveyCycle && { surveyCycle }), ...(comment && { comment }) },
      'customer',
    );
  }
}
const history = (zone = 'Asia/Tokyo', ticketId = 'T-1') => new FollowUpHistory(zone, ticketId);

const at = (model: { followUps: readonly FollowUp[] }, key: string) =>
  model.followUps.find((f) => f.key === key);
const summary = (followUps: readonly FollowUp[]) =>
  followUps.map((f) => `${f.key} ${f.status}${f.reason ? `(${f.reason})` : ''} @${f.dueAt}`);
const z = (local: string, offset: string) => new Date(`${local}${offset}`).toISOString();
const jst = (local: string) => z(local, '+09:00');

describe('followUpsOf', () => {
  it('surveys a ticket solved on Friday evening on Monday morning, inside contact hours in the customer zone', () => {
    const h = history().opened('2026-11-27T10:00:00+09:00').status('2026-11-27T19:30:00+09:00', 'solved');
    const model = followUpsOf(h.log, config, new Date(jst('2026-11-28T12:00:00')));
    // 24 h later is Saturday 19:30: the next contact hour is Monday 09:00. The solved window
    // closes four days after solving, contact hours or not (it is no message).
    expect(summary(model.followUps)).toEqual([
      `survey:1 scheduled @${jst('2026-11-30T09:00:00')}`,
      `closeSolved:1 scheduled @${jst('2026-12-01T19:30:00')}`,
    ]);
    expect(model.nextWakeUp).toBe(jst('2026-11-30T09:00:00'));
    const monday = followUpsOf(h.log, config, new Date(jst('2026-11-30T09:00:00')));
    expect(at(monday, 'survey:1')).toMatchObject({ status: 'due', at: jst('2026-11-30T09:00:00') });
  });

  it("reads contact hours in the customer's zone, not the tenant's", () => {
    // Friday 10:00 in New York is already Saturday in Tokyo: Monday 09:00 New York time.
    const h = history('America/New_York')
      .opened('2026-11-27T08:00:00-05:00')
      .status('2026-11-27T10:00:00-05:00', 'solved');
    const model = followUpsOf(h.log, config, new Date(z('2026-11-27T10:00:00', '-05:00')));
    expect(at(model, 'survey:1')?.dueAt).toBe(z('2026-11-30T09:00:00', '-05:00'));
  });

  it('skips a holiday in the contact hours', () => {
    const h = history().opened('2026-11-20T10:00:00+09:00').status('2026-11-20T17:00:00+09:00', 'solved');
    const model = followUpsOf(h.log, config, new Date(jst('2026-11-20T17:00:00')));
    expect(at(model, 'survey:1')?.dueAt).toBe(jst('2026-11-24T09:00:00')); // Monday the 23rd is a holiday
  });

  it('is DST-correct: Monday 09:00 in Berlin after the clocks went back is 08:00 UTC', () => {
    const h = history('Europe/Berlin')
      .opened('2026-10-23T10:00:00+02:00')
      .status('2026-10-23T20:00:00+02:00', 'solved');
    const model = followUpsOf(h.log, config, new Date('2026-10-23T18:00:00Z'));
    expect(at(model, 'survey:1')?.dueAt).toBe('2026-10-26T08:00:00.000Z');
  });

  it('reminds a customer it waits on, then closes after the last reminder', () => {
    const h = history().opened('2026-11-30T09:00:00+09:00').status('2026-11-30T10:00:00+09:00', 'pending');
    const start = followUpsOf(h.log, config, new Date(jst('2026-11-30T10:00:00')));
    expect(summary(start.followUps)).toEqual([
      `reminder:1:1 scheduled @${jst('2026-12-01T10:00:00')}`,
      `reminder:1:2 scheduled @${jst('2026-12-03T10:00:00')}`,
      `autoClose:1 scheduled @${jst('2026-12-07T10:00:00')}`,
    ]);
    expect(at(followUpsOf(h.log, config, new Date(jst('2026-12-01T10:00:00'))), 'reminder:1:1')?.status).toBe(
      'due',
    );
    const closed = followUpsOf(h.log, config, new Date(jst('2026-12-07T10:00:00')));
    expect(at(closed, 'autoClose:1')).toMatchObject({ status: 'done', at: jst('2026-12-07T10:00:00') });
    expect(closed.actions.map((a) => [a.event.type, a.event.data, a.event.occurredAt])).toEqual([
      ['ticket.status_changed', { status: 'closed' }, jst('2026-12-07T10:00:00')],
    ]);
  });

  it('never closes before the last reminder, however short autoClose is', () => {
    const short = configOf({ pending: { reminders: [24 * 60], autoClose: 60 } });
    // Pending on Friday 17:30: the reminder waits for Monday 09:00 (after the weekend).
    const h = history().opened('2026-11-27T09:00:00+09:00').status('2026-11-27T17:30:00+09:00', 'pending');
    const model = followUpsOf(h.log, short, new Date(jst('2026-11-27T17:30:00')));
    expect(at(model, 'autoClose:1')?.dueAt).toBe(jst('2026-11-30T09:00:00'));
  });

  it('cancels what is left when the customer writes, or the ticket leaves pending', () => {
    const replied = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T10:00:00+09:00', 'pending')
      .customer('2026-12-01T09:30:00+09:00');
    const model = followUpsOf(replied.log, config, new Date(jst('2026-12-10T00:00:00')));
    expect(summary(model.followUps)).toEqual([
      `reminder:1:1 cancelled(customer_replied) @${jst('2026-12-01T10:00:00')}`,
      `reminder:1:2 cancelled(customer_replied) @${jst('2026-12-03T10:00:00')}`,
      `autoClose:1 cancelled(customer_replied) @${jst('2026-12-07T10:00:00')}`,
    ]);
    expect(model.actions).toEqual([]);
    const reopened = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T10:00:00+09:00', 'pending')
      .status('2026-12-02T09:00:00+09:00', 'open');
    const second = followUpsOf(reopened.log, config, new Date(jst('2026-12-02T09:00:00')));
    // The first reminder was due on Tuesday; one not sent by now is no longer wanted (one that
    // was sent stays sent: the follow-up service keeps that).
    expect(at(second, 'reminder:1:1')).toMatchObject({ status: 'cancelled', reason: 'status_open' });
    expect(at(second, 'reminder:1:2')).toMatchObject({ status: 'cancelled', reason: 'status_open' });
    expect(at(second, 'autoClose:1')).toMatchObject({ status: 'cancelled', at: jst('2026-12-02T09:00:00') });
  });

  it('cancels the survey and the close when the ticket is reopened first', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .customer('2026-11-30T15:00:00+09:00');
    const model = followUpsOf(h.log, config, new Date(jst('2026-12-10T00:00:00')));
    expect(summary(model.followUps)).toEqual([
      `survey:1 cancelled(reopened) @${jst('2026-12-01T12:00:00')}`,
      `closeSolved:1 cancelled(reopened) @${jst('2026-12-04T12:00:00')}`,
    ]);
  });

  it('skips a message due long before now (a backfilled history), but still closes the ticket when it was due', () => {
    const h = history().opened('2026-11-02T09:00:00+09:00').status('2026-11-02T12:00:00+09:00', 'solved');
    const model = followUpsOf(h.log, config, new Date(jst('2026-11-30T12:00:00')));
    expect(at(model, 'survey:1')).toMatchObject({ status: 'skipped', reason: 'stale' });
    expect(at(model, 'closeSolved:1')).toMatchObject({ status: 'done', at: jst('2026-11-06T12:00:00') });
    expect(model.actions.map((a) => a.event.occurredAt)).toEqual([jst('2026-11-06T12:00:00')]);
  });

  it('reopens on a low score, once per survey; a second answer replaces the first', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .feedback('2026-12-01T13:00:00+09:00', 1, 1)
      .feedback('2026-12-01T13:05:00+09:00', 2, 1);
    const model = followUpsOf(h.log, config, new Date(jst('2026-12-01T14:00:00')));
    expect(model.answers).toEqual([
      expect.objectContaining({ cycle: 1, score: 2, at: jst('2026-12-01T13:05:00') }),
    ]);
    expect(model.actions.map((a) => [a.event.type, a.event.data, a.event.occurredAt])).toEqual([
      ['ticket.status_changed', { status: 'open' }, jst('2026-12-01T13:00:00')],
    ]);
    // The reopen cancels the solved window's close.
    expect(at(model, 'closeSolved:1')?.status).toBe('cancelled');
    // A comment after the escalating click is passed on; one with the first low score is not
    // (the escalation carried it), nor one on a cycle that was never low.
    const commented = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .feedback('2026-12-01T13:00:00+09:00', 1, 1, 'first')
      .feedback('2026-12-01T13:01:00+09:00', 1, 1, 'second');
    expect(followUpsOf(commented.log, config, new Date(jst('2026-12-01T14:00:00'))).lateComments).toEqual([
      { cycle: 1, score: 1, comment: 'second', at: jst('2026-12-01T13:01:00'), eventId: expect.any(String) },
    ]);
    const good = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .feedback('2026-12-01T13:00:00+09:00', 5, 1)
      .feedback('2026-12-01T13:01:00+09:00', 5, 1, 'great');
    const goodModel = followUpsOf(good.log, config, new Date(jst('2026-12-01T14:00:00')));
    expect(goodModel.actions).toEqual([]);
    expect(goodModel.lateComments).toEqual([]);
  });

  it('opens a linked ticket when the customer writes to a closed ticket, and sends later messages there', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'closed')
      .customer('2026-12-02T10:00:00+09:00')
      .customer('2026-12-02T11:00:00+09:00');
    const model = followUpsOf(h.log, config, new Date(jst('2026-12-02T12:00:00')));
    expect(model.linked).toEqual([
      {
        ticketId: 'heed:T-1~1',
        at: jst('2026-12-02T10:00:00'),
        reason: 'customer_replied',
        causationId: 'e003',
      },
    ]);
    expect(model.actions.map((a) => [a.event.ticketId, a.event.type])).toEqual([
      ['heed:T-1~1', 'ticket.opened'],
      ['heed:T-1~1', 'customer.replied'],
    ]);
    expect(model.actions[0]?.event.data).toMatchObject({
      linkedFrom: 'T-1',
      priority: 'high',
      channel: 'email',
      customer: { id: 'c', locale: 'ja-JP' },
    });
    // A low score on a closed ticket opens one too.
    const late = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'closed')
      .feedback('2026-12-02T10:00:00+09:00', 1, 1);
    expect(followUpsOf(late.log, config, new Date(jst('2026-12-02T12:00:00'))).linked).toEqual([
      expect.objectContaining({ ticketId: 'heed:T-1~1', reason: 'low_score' }),
    ]);
    expect(linkedTicketId('x'.repeat(128), 12).length).toBeLessThanOrEqual(128);
  });

  it('folds the same once its actions are logged, and asks for none again', () => {
    const h = history().opened('2026-11-30T09:00:00+09:00').status('2026-11-30T10:00:00+09:00', 'pending');
    const now = new Date(jst('2026-12-08T00:00:00'));
    const first = followUpsOf(h.log, config, now);
    const logged = [...h.log, ...first.actions.map((a) => ({ event: a.event, actor: 'heed' as const }))];
    const again = followUpsOf(logged, config, now);
    expect(again.actions).toEqual([]);
    expect(again.followUps).toEqual(first.followUps);
  });
});

describe('followUpsOf, edges', () => {
  const always = configOf({
    contactHours: {
      hours: Object.fromEntries(
        ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]]),
      ),
    },
  });

  it('cancels only the close when an agent closes a solved ticket; the survey still goes', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .status('2026-11-30T13:00:00+09:00', 'closed');
    const model = followUpsOf(h.log, config, new Date(jst('2026-12-10T00:00:00')));
    expect(at(model, 'closeSolved:1')).toMatchObject({
      status: 'cancelled',
      reason: 'closed',
      at: jst('2026-11-30T13:00:00'),
    });
    expect(at(model, 'survey:1')?.status).toBe('skipped'); // due on 1 December, stale by the 10th
    expect(model.actions).toEqual([]);
    expect(model.solves).toBe(1);
  });

  it('schedules nothing that is switched off', () => {
    const off = configOf({
      survey: { enabled: false },
      closeSolvedAfter: null,
      pending: { reminders: [], autoClose: null },
    });
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T10:00:00+09:00', 'pending')
      .status('2026-11-30T11:00:00+09:00', 'solved');
    const model = followUpsOf(h.log, off, new Date(jst('2026-11-30T11:00:00')));
    expect(model.followUps).toEqual([]);
    expect(model.nextWakeUp).toBeNull();
  });

  it('sends a reminder due at the same instant as the auto-close before closing', () => {
    const same = configOf({ ...always.followUp, pending: { reminders: [60], autoClose: 60 } });
    const h = history().opened('2026-11-30T09:00:00+09:00').status('2026-11-30T10:00:00+09:00', 'pending');
    const model = followUpsOf(h.log, same, new Date(jst('2026-11-30T11:00:00')));
    expect(at(model, 'reminder:1:1')).toMatchObject({ status: 'due', at: jst('2026-11-30T11:00:00') });
    expect(at(model, 'autoClose:1')).toMatchObject({ status: 'done', at: jst('2026-11-30T11:00:00') });
  });

  it('calls a message stale only once more than staleAfter has passed', () => {
    const h = history().opened('2026-11-30T09:00:00+09:00').status('2026-11-30T12:00:00+09:00', 'solved');
    // The survey is due Tuesday 12:00; staleAfter is 24 h.
    expect(at(followUpsOf(h.log, config, new Date(jst('2026-12-02T12:00:00'))), 'survey:1')?.status).toBe(
      'due',
    );
    expect(at(followUpsOf(h.log, config, new Date(jst('2026-12-02T12:00:01'))), 'survey:1')).toMatchObject({
      status: 'skipped',
      reason: 'stale',
    });
  });

  it('reopens at a score equal to lowScore, not above it', () => {
    const scored = (score: number) =>
      followUpsOf(
        history()
          .opened('2026-11-30T09:00:00+09:00')
          .status('2026-11-30T12:00:00+09:00', 'solved')
          .feedback('2026-12-01T13:00:00+09:00', score).log,
        config,
        new Date(jst('2026-12-01T14:00:00')),
      );
    expect(scored(2).actions).toHaveLength(1);
    expect(scored(3).actions).toEqual([]);
  });

  it('reads an answer without a cycle as one about the latest solve, and keeps no comment as null', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .feedback('2026-11-30T09:30:00+09:00', 4)
      .status('2026-11-30T10:00:00+09:00', 'solved')
      .status('2026-11-30T11:00:00+09:00', 'open')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .feedback('2026-11-30T13:00:00+09:00', 5);
    const model = followUpsOf(h.log, config, new Date(jst('2026-11-30T14:00:00')));
    expect(model.answers.map((a) => [a.cycle, a.score, a.comment])).toEqual([
      [1, 4, null],
      [2, 5, null],
    ]);
    expect(model.solves).toBe(2);
  });

  it("opens a linked ticket on a low score of a closed ticket, with the old one's channel, priority, subject and customer", () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'closed')
      .feedback('2026-12-01T13:00:00+09:00', 1, 1);
    const model = followUpsOf(h.log, config, new Date(jst('2026-12-01T14:00:00')));
    expect(model.linked).toEqual([
      { ticketId: 'heed:T-1~1', at: jst('2026-12-01T13:00:00'), reason: 'low_score', causationId: 'e003' },
    ]);
    expect(model.actions.map((a) => [a.event.ticketId, a.event.type, a.event.data])).toEqual([
      [
        'heed:T-1~1',
        'ticket.opened',
        {
          channel: 'email',
          priority: 'high',
          createdBy: 'customer',
          customer: { id: 'c', locale: 'ja-JP', timeZone: 'Asia/Tokyo' },
          linkedFrom: 'T-1',
        },
      ],
    ]);
  });

  it('forwards a later message to the linked ticket with its data', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'closed')
      .customer('2026-12-01T13:00:00+09:00')
      .customer('2026-12-01T14:00:00+09:00', { messageId: 'm-2' });
    const model = followUpsOf(h.log, config, new Date(jst('2026-12-01T15:00:00')));
    expect(model.actions.map((a) => [a.event.ticketId, a.event.type, a.event.data])).toEqual([
      ['heed:T-1~1', 'ticket.opened', expect.objectContaining({ linkedFrom: 'T-1' })],
      ['heed:T-1~1', 'customer.replied', { messageId: 'm-2' }],
    ]);
  });

  it('folds nothing stamped after now, and wakes up for it if it comes before the next follow-up', () => {
    const h = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .customer('2026-11-30T15:00:00+09:00');
    const before = followUpsOf(h.log, config, new Date(jst('2026-11-30T13:00:00')));
    expect(at(before, 'survey:1')?.status).toBe('scheduled');
    expect(before.nextWakeUp).toBe(jst('2026-11-30T15:00:00'));
    const h2 = history()
      .opened('2026-11-30T09:00:00+09:00')
      .status('2026-11-30T12:00:00+09:00', 'solved')
      .customer('2026-12-05T15:00:00+09:00');
    expect(followUpsOf(h2.log, config, new Date(jst('2026-11-30T13:00:00'))).nextWakeUp).toBe(
      jst('2026-12-01T12:00:00'),
    );
    expect(followUpsOf([], config, new Date(jst('2026-11-30T13:00:00')))).toMatchObject({
      followUps: [],
      nextWakeUp: null,
    });
  });

  it("gives linked tickets ids in Heed's namespace, within 128 characters and never shared", () => {
    expect(linkedTicketId('T-7', 1)).toBe('heed:T-7~1');
    // A producer's own "T-7~1" is another ticket: Heed's never collides with it.
    expect(linkedTicketId('T-7', 1)).not.toBe('T-7~1');
    expect(linkedTicketId('a'.repeat(121), 1)).toBe(`heed:${'a'.repeat(121)}~1`);
    const [long1, long2] = [`${'a'.repeat(138)}1`, `${'a'.repeat(138)}2`];
    expect(linkedTicketId(long1, 1)).not.toBe(linkedTicketId(long2, 1));
    for (const id of [long1, 'b'.repeat(122), 'c'.repeat(128)])
      for (const n of [1, 12, 999]) {
        const linked = linkedTicketId(id, n);
        expect(linked.length).toBeLessThanOrEqual(128);
        expect(linked.startsWith('heed:')).toBe(true);
        expect(linked.endsWith(`~${n}`)).toBe(true);
      }
    // A linked ticket's own linked ticket is in the namespace too, and distinct.
    expect(linkedTicketId(linkedTicketId('T-7', 1), 1)).toBe('heed:heed:T-7~1~1');
  });
});

describe('followUpsOf, property', () => {
  type Step = { minutes: number; kind: number };
  const KINDS = ['pending', 'open', 'solved', 'closed', 'reply', 'feedback'] as const;
  const arbitrary = fc.array(
    fc.record({
      minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
      kind: fc.integer({ min: 0, max: KINDS.length - 1 }),
    }),
    { minLength: 1, maxLength: 12 },
  );
  const build = (steps: Step[]) => {
    const h = history('Europe/Berlin').opened('2026-11-02T09:00:00+01:00');
    let t = Date.parse('2026-11-02T09:00:00+01:00');
    for (const s of steps) {
      t += s.minutes * 60_000;
      const when = new Date(t).toISOString();
      const kind = KINDS[s.kind];
      if (kind === 'reply') h.customer(when);
      else if (kind === 'feedback') h.feedback(when, 1 + (s.minutes % 5));
      else h.status(when, kind as string);
    }
    return { log: h.log, end: t };
  };

  it('lived step by step (logging each action when taken) or folded at once, ends with the same follow-ups', () => {
    fc.assert(
      fc.property(arbitrary, (steps) => {
        const { log, end } = build(steps);
        const now = new Date(end + 30 * 24 * 3600_000);
        // Live: look again at every event and every wake-up, logging what this ticket's actions are.
        const live: LoggedEvent[] = [];
        const pending = [...log].sort(
          (a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt),
        );
        let clock = Date.parse(pending[0]?.event.occurredAt ?? '');
        for (let guard = 0; guard < 500 && clock <= now.getTime(); guard++) {
          while (pending.length > 0 && Date.parse(pending[0]?.event.occurredAt ?? '') <= clock)
            live.push(pending.shift() as LoggedEvent);
          const model = followUpsOf(live, config, new Date(clock));
          for (const a of model.actions)
            if (a.event.ticketId === 'T-1') live.push({ event: a.event, actor: 'heed' });
          const wake = model.nextWakeUp ? Date.parse(model.nextWakeUp) : Number.POSITIVE_INFINITY;
          const nextEvent = pending[0] ? Date.parse(pending[0].event.occurredAt) : Number.POSITIVE_INFINITY;
          const next = Math.min(wake, nextEvent);
          if (!Number.isFinite(next)) break;
          clock = Math.max(clock + 1, next);
        }
        const lived = followUpsOf(live, config, now);
        const once = followUpsOf(log, config, now);
        const strip = (f: readonly FollowUp[]) =>
          f.map(({ key, status, dueAt, reason }) => ({ key, status, dueAt, reason }));
        expect(strip(lived.followUps)).toEqual(strip(once.followUps));
        expect(lived.linked).toEqual(once.linked);
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });

  it('folds from checkpoints as from the whole log: the same to announce at every look, in order or shuffled', () => {
    let resumed = 0;
    fc.assert(
      fc.property(arbitrary, fc.array(fc.nat(), { maxLength: 4 }), (steps, swaps) => {
        const { log: history, end } = build(steps);
        // What the follow-up service keeps: what it announced, and the actions it logged.
        const seen = new Set<string>();
        const logged = new Set<string>();
        const stop = end + 30 * 24 * 3600_000;
        let settled: FollowUpsSettled[] = [];
        resumed += live<FollowUpCheckpoint>(arrivalsOf(history, swaps), stop, (from, events, log, now) => {
          const look = followUpsFrom(from, events, config, new Date(now));
          const full = followUpsOf(log, config, new Date(now));
          if (!from) settled = [];
          // With what was settled before, every follow-up of the whole fold, in its order.
          const keys = (f: readonly FollowUp[]) => f.map(({ key, kind, dueAt }) => `${kind} ${key} ${dueAt}`);
          expect(keys(withSettledFollowUps(look.model, settled))).toEqual(keys(full.followUps));
          if (look.checkpoint !== from) settled.push(look.settled);
          // What fell due in this look, both ways. (A full fold judges "stale" by this look's now
          // also for what an earlier look decided: a reminder cancelled then can turn "skipped"
          // later. The checkpoint keeps the decision made when it fell due.)
          const since = from?.at ?? Number.NEGATIVE_INFINITY;
          const open = (m: FollowUpModel, decided: (at: number) => boolean) =>
            m.followUps
              .filter(
                (f) =>
                  ['due', 'done', 'skipped'].includes(f.status) &&
                  !seen.has(f.key) &&
                  decided(Date.parse(f.at ?? f.dueAt)),
              )
              .map(({ key, status, dueAt }) => ({ key, status, dueAt }));
          const toAnnounce = (m: FollowUpModel) => open(m, (at) => at >= since);
          expect(toAnnounce(look.model)).toEqual(toAnnounce(full));
          // And nothing decided earlier comes up again.
          expect(open(look.model, (at) => at < since)).toEqual([]);
          const fresh = (m: FollowUpModel) => m.actions.filter((a) => !logged.has(a.event.id));
          expect(fresh(look.model)).toEqual(fresh(full));
          expect(look.model.nextWakeUp).toEqual(full.nextWakeUp);
          expect(look.model.linked).toEqual(full.linked);
          expect(look.model.answers).toEqual(full.answers);
          expect(look.model.lateComments).toEqual(full.lateComments);
          expect(look.model.solves).toEqual(full.solves);
          for (const f of toAnnounce(full)) seen.add(f.key);
          const own = fresh(full).filter((a) => a.event.ticketId === 'T-1');
          for (const a of full.actions) logged.add(a.event.id);
          return {
            log: own.map((a) => ({ event: a.event, actor: 'heed' as const })),
            checkpoint: look.checkpoint,
            nextWakeUp: full.nextWakeUp,
          };
        });
      }),
      { numRuns: 200, seed: 20261203 },
    );
    expect(resumed).toBeGreaterThan(500);
  });
});
