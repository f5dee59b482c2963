import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followUpsOf, slaOf, validateTenantConfig } from '../src';
import { TicketLog } from './support/log';

/**
 * Random tenant configurations, hostile at the edges of validation (year-long targets, one-minute
 * weeks, holiday ranges of centuries, offsets past every target, bad times and dates): each is
 * either rejected with every problem named by its path, or runs a whole ticket lifecycle through
 * the SLA and follow-up models at many instants without an error. A configuration that passes
 * validation always works.
 */

const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
/** `n` in `weight` of the time, else `rare`: hostile values now and then, sound ones mostly. */
const mostly = <T>(sound: fc.Arbitrary<T>, rare: fc.Arbitrary<T>, weight = 40) =>
  fc.oneof({ weight, arbitrary: sound }, { weight: 1, arbitrary: rare });
/** A morning or afternoon interval. */
const half = (from: number, to: number) =>
  fc
    .tuple(fc.integer({ min: from, max: to - 1 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 1, 30))
    .map(([h, len, m]): [string, string] => [hhmm(h, m), hhmm(Math.min(h + len, to), 0)]);
const day = mostly(
  fc.oneof(
    fc.tuple(half(0, 12), half(12, 24)).map(([a, b]) => [a, b]),
    half(0, 24).map((a) => [a]),
    fc.constant<[string, string][]>([['09:00', '09:01']]), // one minute a day
  ),
  fc.constantFrom<[string, string][][]>([['25:00', '26:00']], [['10:00', '09:00']], [['09:00', '09:00']]),
);
const week = fc.dictionary(fc.constantFrom('sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'), day, {
  minKeys: 1,
  maxKeys: 7,
});
const date = mostly(
  fc
    .tuple(
      fc.integer({ min: 2026, max: 2035 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('1999-12-31', '2026-02-30', '2999-12-31', '3000-01-01', '9999-12-31'),
);
/** Forward ranges, some of years or centuries; now and then one that ends before it starts. */
const range = mostly(
  fc.tuple(date, fc.constantFrom(0, 3, 30, 400, 3_650, 40_000)).map(([from, days]) => {
    const to = new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000);
    return { from, to: Number.isNaN(to.getTime()) ? from : to.toISOString().slice(0, 10) };
  }),
  fc.record({ from: date, to: date }),
);
const holidays = fc.array(fc.oneof(date, range), { maxLength: 4 });
const zone = mostly(
  fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Kiritimati'),
  fc.constant('Nowhere/City'),
);
const minutes = mostly(
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 3_000 }) },
    fc.integer({ min: 1, max: 525_600 }),
  ),
  fc.constantFrom(0, -5, 525_601, 1e9),
);
const step = fc.record(
  {
    offset: mostly(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -10_080, max: 600 }) },
        fc.integer({ min: -10_080, max: 525_600 }),
      ),
      fc.integer({ min: -20_000, max: 600_000 }),
      20,
    ),
    notify: fc.constant(['assignee']),
    raisePriority: fc.boolean(),
  },
  { requiredKeys: ['offset', 'notify'] },
);
const ladder = fc.uniqueArray(step, { maxLength: 4, selector: (s) => s.offset });
const rule = fc.record({
  calendar: mostly(fc.constantFrom('default', 'other'), fc.constant('missing'), 20),
  hours: fc.constantFrom('business', 'calendar'),
  targets: fc.record({ firstResponse: minutes, nextResponse: minutes, resolution: minutes }),
  escalation: fc.option(ladder, { nil: undefined }),
});
const config = fc.record({
  defaultTimeZone: zone,
  calendars: fc.record({
    default: fc.record({ timeZone: zone, hours: week, holidays }),
    other: fc.record({ timeZone: zone, hours: week, holidays }),
  }),
  sla: fc.record({
    // A catch-all last rule, as a real configuration has.
    rules: fc.array(rule, { minLength: 1, maxLength: 3 }).map((rules) =>
      rules.map((r, i) => ({
        ...r,
        name: `r${i}`,
        ...(i < rules.length - 1 && { match: { priority: ['urgent'] } }),
      })),
    ),
    warnAt: mostly(fc.constantFrom(0.5, 0.6, 0.75, 0.9, 0.99), fc.constant(1.5), 20),
    escalation: ladder,
  }),
  followUp: fc.record({
    contactHours: fc.record({ hours: week, holidays }),
    survey: fc.record({ after: minutes }),
    pending: fc.record({
      reminders: fc.array(minutes, { maxLength: 3 }),
      autoClose: fc.option(minutes, { nil: null }),
    }),
    closeSolvedAfter: fc.option(minutes, { nil: null }),
    staleAfter: minutes,
  }),
});

/** A lifecycle: opened, answered, pending, customer back, solved, low score (reopen), solved, closed. */
const lifecycle = (customerZone: string) =>
  new TicketLog('T-1')
    .add('ticket.opened', '2026-11-23T09:15:00Z', {
      channel: 'email',
      priority: 'high',
      customer: { id: 'c1', timeZone: customerZone },
    })
    .add('agent.replied', '2026-11-23T10:00:00Z', { agentId: 'a1' })
    .add('ticket.status_changed', '2026-11-23T11:00:00Z', { status: 'pending' })
    .add('customer.replied', '2026-11-25T08:00:00Z')
    .add('ticket.priority_changed', '2026-11-25T09:00:00Z', { priority: 'urgent' })
    .add('ticket.assigned', '2026-11-25T09:30:00Z', { groupId: 'g1' })
    .add('ticket.status_changed', '2026-11-26T12:00:00Z', { status: 'solved' })
    .add('feedback.received', '2026-11-27T12:00:00Z', { score: 1, surveyCycle: 1 })
    .add('agent.replied', '2026-11-28T12:00:00Z', { agentId: 'a1' })
    .add('ticket.status_changed', '2026-11-29T12:00:00Z', { status: 'solved' })
    .add('ticket.status_changed', '2026-12-20T12:00:00Z', { status: 'closed' }).log;

const NOWS = [
  '2026-11-23T09:15:00Z',
  '2026-11-24T00:00:00Z',
  '2026-11-27T12:00:00Z',
  '2026-12-31T00:00:00Z',
  '2029-06-01T00:00:00Z',
].map((t) => new Date(t));

describe('tenant configuration, fuzzed', () => {
  it('is either refused with every problem named by its path, or runs a whole lifecycle (seeded)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(config, zone, (input, customerZone) => {
        const result = validateTenantConfig(input);
        if (!result.ok) {
          refused++;
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(issue.path).toMatch(/^[a-zA-Z]/);
            expect(issue.message.length).toBeGreaterThan(0);
          }
          return;
        }
        accepted++;
        const log = lifecycle(customerZone === 'Nowhere/City' ? 'UTC' : customerZone);
        for (const now of NOWS) {
          const sla = slaOf(log, result.value, now);
          const followUps = followUpsOf(log, result.value, now);
          for (const wake of [sla.nextWakeUp, followUps.nextWakeUp])
            if (wake !== null) expect(Date.parse(wake)).toBeGreaterThan(0);
          for (const c of sla.clocks) if (c.dueAt !== null) expect(Date.parse(c.dueAt)).toBeGreaterThan(0);
        }
      }),
      { seed: 5, numRuns: 600 },
    );
    // Both kinds are actually exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  }, 120_000);
});
