import type { TenantConfig } from '@heed/contracts';
import { describe, expect, it } from 'vitest';
import {
  accumulate,
  changesOf,
  DEFAULT_TENANT_CONFIG,
  emptyPartial,
  finishReport,
  isoWeek,
  type LoggedEvent,
  mergePartials,
  percentile,
  reportCsv,
  reportTable,
  slaOf,
  type TicketFacts,
  ticketFacts,
  validateTenantConfig,
} from '../src';
import { TicketLog } from './support/log';

/** One calendar-hours rule per priority; `normal` answers in `normalTarget` minutes. */
const configWith = (normalTarget: number, ladder: Record<string, unknown>[] = []): TenantConfig => {
  const rule = (name: string, priority: string, firstResponse: number) => ({
    name,
    match: { priority: [priority] },
    hours: 'calendar',
    targets: { firstResponse, nextResponse: 240, resolution: 2880 },
    escalation: ladder,
  });
  const checked = validateTenantConfig({
    ...DEFAULT_TENANT_CONFIG,
    sla: {
      ...DEFAULT_TENANT_CONFIG.sla,
      rules: [
        rule('high', 'high', 30),
        rule('urgent', 'urgent', 15),
        { ...rule('normal', 'normal', normalTarget), match: {} },
      ],
      escalation: [],
    },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};

const ticket = (id: string, answerAfterMinutes: number | null, data: Record<string, unknown> = {}) => {
  const log = new TicketLog(id).add('ticket.opened', '2026-11-23T09:00:00Z', {
    channel: 'email',
    customer: { id: `c-${id}`, tier: 'gold' },
    ...data,
  });
  log.add('ticket.assigned', '2026-11-23T09:01:00Z', { agentId: 'ana', groupId: 'billing' });
  if (answerAfterMinutes !== null)
    log.add(
      'agent.replied',
      new Date(Date.parse('2026-11-23T09:00:00Z') + answerAfterMinutes * 60_000).toISOString(),
      {
        agentId: 'ana',
      },
    );
  return log.log;
};

const NOW = new Date('2026-11-24T12:00:00Z');
const facts = (log: readonly LoggedEvent[], config: TenantConfig, rederive = false) =>
  ticketFacts(log, config, NOW, { rederive }) as TicketFacts;

describe('SLA report', () => {
  it('counts clocks met, breached and running with breach minutes, per group and for the whole period', () => {
    const config = configWith(60);
    const partial = emptyPartial();
    for (const [id, answer] of [
      ['T1', 30],
      ['T2', 90],
      ['T3', 150],
      ['T4', null],
    ] as const)
      accumulate(partial, facts(ticket(id, answer), config), ['priority']);
    const report = finishReport(partial, { from: '2026-11-23', to: '2026-11-24', by: ['priority'] });
    expect(report.groups.map((g) => g.key)).toEqual([{}, { priority: 'normal' }]);
    const whole = report.groups[0];
    expect(whole?.tickets).toBe(4);
    expect(whole?.clocks.first_response).toEqual({
      started: 4,
      met: 1,
      breached: 3,
      running: 0,
      cancelled: 0,
      metPercent: 25,
      // T2 30 min late, T3 90, T4 still unanswered 27 hours on: 1560.
      breachMinutes: { p50: 90, p90: 1560 },
    });
    expect(whole?.firstResponse).toEqual({
      answered: 3,
      businessMinutes: { p50: 90, p90: 150 },
      calendarMinutes: { p50: 90, p90: 150 },
    });
    expect(report.groups[1]).toEqual({ ...whole, key: { priority: 'normal' } });
  });

  it('groups by agent with the assignee when the clock stopped, and merges partials exactly', () => {
    const config = configWith(60);
    const moved = [
      ...ticket('T5', 45),
      // Reassigned after the answer: the first response stays Ana's, the ticket is Bo's.
      ...new TicketLog('T5')
        .add('ticket.assigned', '2026-11-23T10:00:00Z', { agentId: 'bo' })
        .log.map((e) => ({
          ...e,
          event: { ...e.event, id: 'e-move' },
        })),
    ];
    const a = emptyPartial();
    const b = emptyPartial();
    accumulate(a, facts(moved, config), ['agent']);
    accumulate(b, facts(ticket('T6', 90), config), ['agent']);
    const report = finishReport(mergePartials(a, b), { from: 'x', to: 'y', by: ['agent'] });
    const byKey = Object.fromEntries(report.groups.map((g) => [JSON.stringify(g.key), g]));
    expect(byKey['{"agent":"ana"}']?.clocks.first_response).toMatchObject({
      started: 2,
      met: 1,
      breached: 1,
    });
    expect(byKey['{"agent":"ana"}']?.tickets).toBe(1);
    expect(byKey['{"agent":"bo"}']?.tickets).toBe(1);
    expect(byKey['{"agent":"bo"}']?.clocks.first_response).toBeUndefined();
    const one = emptyPartial();
    accumulate(one, facts(moved, config), ['agent']);
    accumulate(one, facts(ticket('T6', 90), config), ['agent']);
    expect(finishReport(one, { from: 'x', to: 'y', by: ['agent'] })).toEqual(report);
  });

  it('counts escalations by reason, satisfaction and reopens; names weeks as ISO weeks', () => {
    const config = configWith(60, [{ offset: 0, notify: ['group-lead'] }]);
    const log = new TicketLog('T7')
      .add('ticket.opened', '2026-11-23T09:00:00Z', { channel: 'chat', customer: { id: 'c' } })
      .add('agent.replied', '2026-11-23T11:00:00Z', { agentId: 'ana' })
      .add('ticket.status_changed', '2026-11-23T11:05:00Z', { status: 'solved' })
      .add('feedback.received', '2026-11-23T12:00:00Z', { score: 4 })
      .add('customer.replied', '2026-11-23T13:00:00Z').log;
    const f = facts(log, config);
    // Answered late; reopened by the customer at 13:00 and not answered within 240 minutes.
    expect(f.escalations.map((e) => [e.reason, e.clock])).toEqual([
      ['sla', 'first_response'],
      ['sla', 'next_response'],
    ]);
    expect([f.scores, f.reopened, f.dims.week, f.dims.channel, f.dims.group]).toEqual([
      [4],
      true,
      '2026-W48',
      'chat',
      '(none)',
    ]);
    const p = emptyPartial();
    accumulate(p, f, []);
    const [whole] = finishReport(p, { from: 'a', to: 'b', by: [] }).groups;
    expect([whole?.escalations, whole?.csat, whole?.reopened, whole?.reopenRate]).toEqual([
      { sla: 2 },
      // Reopened before its survey was due: no survey went out; the score came another way.
      { answered: 1, average: 4, surveyed: 0, answerRate: null },
      1,
      100,
    ]);
    // Solved and left alone: the survey goes out the next day; one answered of two surveyed.
    const solved = (id: string, score?: number) => {
      const l = new TicketLog(id)
        .add('ticket.opened', '2026-11-23T09:00:00Z', { channel: 'email', customer: { id: 'c' } })
        .add('agent.replied', '2026-11-23T09:10:00Z', { agentId: 'ana' })
        .add('ticket.status_changed', '2026-11-23T09:15:00Z', { status: 'solved' });
      if (score) l.add('feedback.received', '2026-11-24T11:00:00Z', { score, surveyCycle: 1 });
      return l.log;
    };
    const q = emptyPartial();
    accumulate(q, facts(solved('S1', 5), config), []);
    accumulate(q, facts(solved('S2'), config), []);
    expect(finishReport(q, { from: 'a', to: 'b', by: [] }).groups[0]?.csat).toEqual({
      answered: 1,
      average: 5,
      surveyed: 2,
      answerRate: 50,
    });
    expect(isoWeek('2027-01-01T00:00:00Z')).toBe('2026-W53');
    expect(percentile({}, 50)).toBeNull();
    expect(percentile({ '1': 1, '2': 1, '10': 2 }, 50)).toBe(2);
  });
});

describe('what-if', () => {
  it('re-folds under the proposed targets and names each clock whose outcome changes', () => {
    const now = configWith(60);
    const proposed = configWith(120);
    const log = ticket('T2', 90);
    const before = facts(log, now, true);
    const after = facts(log, proposed, true);
    expect(changesOf(before, after)).toEqual([
      { ticketId: 'T2', clock: 'first_response', cycle: 1, before: 'breached', after: 'met' },
    ]);
    expect(changesOf(after, after)).toEqual([]);
  });

  it("re-derives Heed's own raises under the proposed ladder instead of replaying the old ones", () => {
    // Today's ladder raises an unanswered normal ticket at its target; the proposal does not.
    const today = configWith(60, [{ offset: 0, raisePriority: true }]);
    const proposed = configWith(60, [{ offset: 0, notify: ['group-lead'] }]);
    const opened = ticket('T8', 100);
    const raises = slaOf(opened, today, NOW).actions.map((a) => ({ event: a.event, actor: 'heed' as const }));
    expect(raises.map((r) => r.event.type)).toEqual(['ticket.priority_changed']);
    const log = [...opened, ...raises];
    // As it happened: raised to high at 10:00, so the first response was judged by the high rule.
    expect(facts(log, today).dims.priority).toBe('high');
    // Replayed under the proposal, the old raise would still count; re-derived, it never happens.
    expect(facts(log, proposed, false).dims.priority).toBe('high');
    const rederived = facts(log, proposed, true);
    expect(rederived.dims.priority).toBe('normal');
    expect(rederived.clocks[0]).toMatchObject({ rule: 'normal', status: 'breached', breachMinutes: 40 });
    // Under today's ladder the re-derived fold equals what happened.
    expect(facts(log, today, true)).toEqual(facts(log, today));
  });
});

describe('report forms', () => {
  it('writes CSV with one quoted cell per column for every group, and a table a terminal can read', () => {
    const config = configWith(60);
    const p = emptyPartial();
    accumulate(p, facts(ticket('C1', 30, { customer: { id: 'c', tier: 'gold, "vip"' } }), config), ['tier']);
    accumulate(p, facts(ticket('C2', 90), config), ['tier']);
    const report = finishReport(p, { from: '2026-11-23', to: '2026-11-24', by: ['tier'] });
    const lines = reportCsv(report).trimEnd().split('\n');
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(0, 3)).toEqual(['group', 'tickets', 'first_response met']);
    expect(lines).toHaveLength(4); // the header, the whole period, each tier (C2 has none)
    expect(lines[1]).toMatch(/^whole period,2,1,1,0,50,/);
    // A value with a comma and quotes stays one cell (RFC 4180).
    expect(lines.some((l) => l.startsWith('"tier=gold, ""vip""",1,'))).toBe(true);
    const table = reportTable(report);
    expect(table).toContain('by tier');
    expect(table).toMatch(/whole period\s+2\s+50 \(1\/2\)\s+30\/30 min/);
  });
});
