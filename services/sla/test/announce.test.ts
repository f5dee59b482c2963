import { validateInboundEvent } from '@heed/contracts';
import { emptyTicket, foldEvents, type LoggedEvent, slaOf, validateTenantConfig } from '@heed/core';
import { describe, expect, it } from 'vitest';
import { announce } from '../src/announce';

/** The texts of escalation messages come from what was recorded, also when announced late. */

const checked = validateTenantConfig({
  defaultTimeZone: 'Asia/Tokyo',
  calendars: {
    default: {
      timeZone: 'Asia/Tokyo',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [
          d,
          [
            ['09:00', '12:00'],
            ['13:00', '18:00'],
          ],
        ]),
      ),
    },
  },
  sla: {
    rules: [
      {
        name: 'urgent',
        match: { priority: ['urgent'] },
        hours: 'calendar',
        targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
      },
      {
        name: 'high',
        match: { priority: ['high'] },
        targets: { firstResponse: 240, nextResponse: 120, resolution: 1440 },
      },
      { name: 'standard', targets: { firstResponse: 480, nextResponse: 240, resolution: 2400 } },
    ],
    escalation: [
      { offset: -30, notify: ['assignee'], clocks: ['first_response'] },
      { offset: 60, notify: ['manager'], raisePriority: true, clocks: ['first_response'] },
    ],
  },
});
if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
const config = checked.value;
const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

const event = (id: string, type: string, at: string, data: Record<string, unknown>): LoggedEvent => {
  const result = validateInboundEvent(
    { id, type, ticketId: 'T-1', occurredAt: jst(at), data },
    { now: new Date('2030-01-01') },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { event: result.value, actor: 'producer' };
};

/** Announces the ticket's escalation at `offset` as the SLA service would at `now`. */
const messageOf = (log: LoggedEvent[], offset: number, now: string, priority = 'high') => {
  const model = slaOf(log, config, new Date(jst(now)));
  const crossing = model.crossings.find(
    (c) => c.type === 'escalation' && c.escalation.reason === 'sla' && c.escalation.offset === offset,
  );
  if (crossing?.type !== 'escalation' || crossing.escalation.reason !== 'sla')
    throw new Error('no such step');
  const { clock: kind, cycle } = crossing.escalation;
  const ticket = {
    ...foldEvents(
      emptyTicket('acme', 'T-1', 'HD-TEST0001'),
      log.map((e) => e.event),
    ),
    priority,
  } as never;
  const clock = model.clocks.find((c) => c.kind === kind && c.cycle === cycle);
  const out = announce({
    crossing,
    ticket,
    causationId: 'e1',
    now: new Date(jst(now)),
    actionable: true,
    staleAfterMs: 24 * 3600_000,
    ...(clock && { clock }),
  });
  return out.delivery?.message;
};

describe('escalation messages', () => {
  const opened = [
    event('e1', 'ticket.opened', '2026-11-24T09:00:00', {
      channel: 'email',
      priority: 'high',
      customer: { id: 'c' },
    }),
  ];

  it('says what the step meant when announced on time', () => {
    // High: 240 business minutes from Tuesday 09:00 → due 14:00; the -30 step at 13:30.
    expect(messageOf(opened, -30, '2026-11-24T13:30:00')).toMatchObject({
      subject: 'SLA escalation 1 on ticket HD-TEST0001: first response due in 30 minutes',
    });
  });

  it('announced late, it says when the step was reached and where the clock stands now, never "due in 30 minutes"', () => {
    const message = messageOf(opened, -30, '2026-11-24T16:00:00');
    expect(message?.subject).toBe(
      'SLA escalation 1 on ticket HD-TEST0001: first response, reached 2026-11-24 04:30 UTC (announced late)',
    );
    expect(message?.text).toContain('was reached at 2026-11-24 04:30 UTC, when it was due in 30 minutes');
    expect(message?.text).toContain('it is breached since 2026-11-24 05:00 UTC, still running');
    // Answered since: the clock stopped, and the text says so.
    const answered = [
      ...opened,
      event('e2', 'agent.replied', '2026-11-24T15:30:00', { agentId: 'a', public: true }),
    ];
    expect(messageOf(answered, -30, '2026-11-24T16:00:00')?.text).toContain(
      'the clock has since stopped (breached at 2026-11-24 06:30 UTC)',
    );
  });

  it('says a priority was raised only when it was, from what to what', () => {
    expect(messageOf(opened, 60, '2026-11-24T15:00:00')?.text).toContain(
      'Priority raised from high to urgent.',
    );
    const urgent = [
      event('e1', 'ticket.opened', '2026-11-24T09:00:00', {
        channel: 'email',
        priority: 'urgent',
        customer: { id: 'c' },
      }),
    ];
    // Urgent already (its own rule has no ladder here; the default one applies): nothing raised.
    const text = messageOf(urgent, 60, '2026-11-24T11:00:00', 'urgent')?.text ?? '';
    expect(text).toContain('Priority not raised: it was already the highest.');
    expect(text).not.toContain('Priority raised');
  });
});
