import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { TenantConfigInput, TimerFiring } from '@heed/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { startReceiver } from '../support/receiver';
import { type apiClient, startConfiguredRuntime, type TestRuntime } from '../support/runtime';

/**
 * Follow-ups end to end on the local runtime with a manual clock: every message's language and
 * send time, survey links clicked through real HTTP requests, and the ticket's final state. The
 * expected instants are computed by hand from the default contact hours (Mon–Fri 09–18 in the
 * customer's own zone).
 */

const SECRET = 'test-webhook-secret-0123456789';
const customers = await startReceiver();
const helpdesk = await startReceiver();
const leads = await startReceiver();

const config: TenantConfigInput = {
  defaultTimeZone: 'Asia/Tokyo',
  calendars: { default: { timeZone: 'Asia/Tokyo', hours: { mon: [['09:00', '18:00']] } } },
  sla: {
    rules: [
      {
        name: 'all',
        hours: 'calendar',
        targets: { firstResponse: 60, nextResponse: 60, resolution: 10080 },
        escalation: [],
      },
    ],
  },
  delivery: {
    webhooks: [
      { id: 'customers', url: customers.url, secret: SECRET, audiences: ['customer'] },
      { id: 'helpdesk', url: helpdesk.url, secret: SECRET, audiences: ['internal'] },
      { id: 'leads', url: leads.url, secret: SECRET, audiences: ['internal'], roles: ['group-lead'] },
    ],
  },
};

let rt: TestRuntime;
let api: ReturnType<typeof apiClient>;
const bus: BusEnvelope[] = [];

/** Berlin is UTC+1 all through these weeks (CET); Riyadh UTC+3. */
const cet = (local: string) => new Date(`${local}+01:00`).toISOString();
const ast = (local: string) => new Date(`${local}+03:00`).toISOString();

beforeAll(async () => {
  ({ rt, api } = await startConfiguredRuntime(config, cet('2026-11-23T08:00:00'), bus));
});
afterAll(async () => {
  await rt?.stop();
  await Promise.all([customers.close(), helpdesk.close(), leads.close()]);
});

let seq = 0;
const post = async (ticketId: string, type: string, at: string, data: Record<string, unknown> = {}) => {
  await rt.advanceClock(new Date(at));
  const res = await api.post({ id: `f-${++seq}`, type, ticketId, occurredAt: at, data });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await rt.settle();
};
const reply = (ticketId: string, at: string) =>
  post(ticketId, 'agent.replied', at, { agentId: 'a1', public: true });
const status = (ticketId: string, at: string, to: string) =>
  post(ticketId, 'ticket.status_changed', at, { status: to });

type Message = { purpose: string; template: string; locale: string; at: string; text: string; url?: string };
/** What a ticket's customer was sent: purpose, template, language and when, in order. */
const sentTo = (ticketId: string): Message[] =>
  customers.forTicket(ticketId).map((r) => {
    const m = r.json.message as { locale: string; text: string };
    const data = r.json.data as { url?: string } | undefined;
    return {
      purpose: r.json.purpose as string,
      template: r.json.template as string,
      locale: m.locale,
      at: r.json.createdAt as string,
      text: m.text,
      ...(data?.url && { url: data.url }),
    };
  });

const click = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post$ = (url: string, fields: Record<string, string>) =>
  click(url, { method: 'POST', headers: FORM, body: new URLSearchParams(fields).toString() });
/**
 * What a person does with an e-mailed score link: opens it (the page shows that score, checked),
 * then confirms with one tap, which posts the page's form.
 */
const answerSurvey = async (url: string, score: number, comment?: string) => {
  const page = await click(`${url}?score=${score}`);
  expect(page.status).toBe(200);
  expect(page.html).toContain(`value="${score}" checked`);
  expect(page.html).toContain('<form method="post" action="">');
  return post$(url, { score: String(score), ...(comment && { comment }) });
};
const urlOf = (m: Message | undefined): string => {
  if (!m?.url) throw new Error('no survey url');
  return m.url;
};

type FollowUpView = {
  kind: string;
  cycle: number;
  dueAt: string;
  status: string;
  sentAt: string | null;
  reason: string | null;
};
type TicketBody = {
  status: string;
  linkedFrom?: string;
  followUps: FollowUpView[];
  survey: { cycle: number; score: number; comment: string | null } | null;
  linkedTickets: { ticketId: string; reason: string }[];
  sla: { clocks: { kind: string; status: string }[] };
  timeline: { type: string; source: string }[];
};
const read = async (ticketId: string) => (await api.ticket<TicketBody>(ticketId, { limit: '200' })).body;
const busOf = (ticketId: string, type: string) =>
  bus.filter((e) => e['detail-type'] === type && (e.detail as { ticketId: string }).ticketId === ticketId);

describe('follow-ups on the local runtime', () => {
  it('lives a whole lifecycle: reminder, reply, survey at a decent hour, low score, reopen, good score, close', async () => {
    const T = 'L-1';
    await post(T, 'ticket.opened', cet('2026-11-23T10:00:00'), {
      channel: 'email',
      priority: 'normal',
      customer: { id: 'c-l1', name: 'Jonas Weber', locale: 'de-DE', timeZone: 'Europe/Berlin' },
    });
    await reply(T, cet('2026-11-23T10:30:00'));
    await status(T, cet('2026-11-23T10:31:00'), 'pending');
    // Reminder 1 a day later (inside contact hours already).
    await rt.advanceClock(new Date(cet('2026-11-24T11:00:00')));
    await post(T, 'customer.replied', cet('2026-11-24T12:00:00'));
    await reply(T, cet('2026-11-24T12:30:00'));
    // Solved on Friday evening: the survey waits for Monday 09:00 in Berlin.
    await status(T, cet('2026-11-27T19:00:00'), 'solved');
    await rt.advanceClock(new Date(cet('2026-11-30T10:00:00')));
    const firstSurvey = sentTo(T).find((m) => m.purpose === 'survey');
    // A low score through the link: reopened, re-acknowledged, escalated to the group lead.
    const low = await answerSurvey(urlOf(firstSurvey), 1);
    expect(low.status).toBe(200);
    expect(low.type).toContain('text/html');
    expect(low.html).toContain('lang="de"');
    expect(low.html).toContain('Vielen Dank! Wir haben Ihre Bewertung erfasst: 1 von 5.');
    await rt.settle();
    // The comment form posts back to the same link.
    rt.clock.set(cet('2026-11-30T10:01:00'));
    const commented = await post$(urlOf(firstSurvey), {
      score: '1',
      comment: 'Still broken after the update',
    });
    expect(commented.status).toBe(200);
    expect(commented.html).toContain('Vielen Dank, wir haben Ihren Kommentar erhalten.');
    await rt.settle();
    expect((await read(T)).status).toBe('open');
    await reply(T, cet('2026-11-30T10:45:00'));
    await status(T, cet('2026-11-30T11:30:00'), 'solved');
    await rt.advanceClock(new Date(cet('2026-12-01T12:00:00')));
    const secondSurvey = sentTo(T).filter((m) => m.purpose === 'survey')[1];
    const good = await answerSurvey(urlOf(secondSurvey), 5);
    expect(good.status).toBe(200);
    await rt.settle();
    // Solved for four days: closed by Heed on Friday.
    await rt.advanceClock(new Date(cet('2026-12-05T12:00:00')));

    expect(sentTo(T).map(({ purpose, template, locale, at }) => ({ purpose, template, locale, at }))).toEqual(
      [
        {
          purpose: 'acknowledgement',
          template: 'acknowledgement',
          locale: 'de',
          at: cet('2026-11-23T10:00:00'),
        },
        { purpose: 'reminder', template: 'followup.reminder', locale: 'de', at: cet('2026-11-24T10:31:00') },
        { purpose: 'survey', template: 'followup.survey', locale: 'de', at: cet('2026-11-30T09:00:00') },
        {
          purpose: 'acknowledgement',
          template: 'acknowledgement.reopen',
          locale: 'de',
          at: cet('2026-11-30T10:00:00'),
        },
        { purpose: 'survey', template: 'followup.survey', locale: 'de', at: cet('2026-12-01T11:30:00') },
      ],
    );
    const [, reminder, survey] = sentTo(T);
    expect(reminder?.text).toContain('wir warten noch auf Ihre Antwort zu Ihrer Anfrage');
    // The close the reminder announces: 7 days after pending, in the customer's zone.
    expect(reminder?.text).toContain('30. November 2026 um 10:31');
    expect(survey?.text).toContain('1 – Sehr unzufrieden: http://');
    // One escalation, to the group lead, with reason low-csat; the comment that came after the
    // click follows it to the same people.
    expect(leads.forTicket(T).map((r) => r.json.template)).toEqual([
      'escalation.low-csat',
      'escalation.low-csat.comment',
    ]);
    expect(JSON.stringify(leads.forTicket(T)[1]?.json.message)).toContain('Still broken after the update');
    expect(busOf(T, 'Ticket Escalated').map((e) => (e.detail as { data: unknown }).data)).toMatchObject([
      { reason: 'low-csat', score: 1, notify: ['group-lead'] },
    ]);
    // The first response was met (answered after 30 of 60 minutes), before any follow-up.
    expect(
      busOf(T, 'SLA Met').map((e) => [
        (e.detail as { data: { clock: string } }).data.clock,
        (e.detail as { occurredAt: string }).occurredAt,
      ]),
    ).toContainEqual(['first_response', cet('2026-11-23T10:30:00')]);
    expect(busOf(T, 'Ticket Reopened')).toHaveLength(1);
    expect(
      busOf(T, 'Ticket Auto-Closed').map((e) => e.detail as { occurredAt: string; data: unknown }),
    ).toEqual([
      expect.objectContaining({
        occurredAt: cet('2026-12-04T11:30:00'),
        data: { reason: 'solved', reminders: 0 },
      }),
    ]);
    expect(busOf(T, 'Survey Requested')).toHaveLength(2);
    expect(busOf(T, 'Reminder Sent')).toHaveLength(1);

    const ticket = await read(T);
    expect(ticket.status).toBe('closed');
    expect(ticket.survey).toMatchObject({ cycle: 2, score: 5, comment: null });
    expect(
      ticket.followUps.map(({ kind, cycle, dueAt, status, sentAt, reason }) => ({
        kind,
        cycle,
        dueAt,
        status,
        sentAt,
        reason,
      })),
    ).toEqual([
      {
        kind: 'reminder',
        cycle: 1,
        dueAt: cet('2026-11-24T10:31:00'),
        status: 'sent',
        sentAt: cet('2026-11-24T10:31:00'),
        reason: null,
      },
      {
        kind: 'reminder',
        cycle: 2,
        dueAt: cet('2026-11-26T10:31:00'),
        status: 'cancelled',
        sentAt: null,
        reason: 'customer_replied',
      },
      {
        kind: 'survey',
        cycle: 1,
        dueAt: cet('2026-11-30T09:00:00'),
        status: 'sent',
        sentAt: cet('2026-11-30T09:00:00'),
        reason: null,
      },
      {
        kind: 'autoClose',
        cycle: 1,
        dueAt: cet('2026-11-30T10:31:00'),
        status: 'cancelled',
        sentAt: null,
        reason: 'customer_replied',
      },
      {
        kind: 'survey',
        cycle: 2,
        dueAt: cet('2026-12-01T11:30:00'),
        status: 'sent',
        sentAt: cet('2026-12-01T11:30:00'),
        reason: null,
      },
      {
        kind: 'closeSolved',
        cycle: 1,
        dueAt: cet('2026-12-01T19:00:00'),
        status: 'cancelled',
        sentAt: null,
        reason: 'reopened',
      },
      {
        kind: 'closeSolved',
        cycle: 2,
        dueAt: cet('2026-12-04T11:30:00'),
        status: 'done',
        sentAt: null,
        reason: null,
      },
    ]);
    const types = ticket.timeline.map((t) => t.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'followup.reminder',
        'followup.survey',
        'followup.closed',
        'feedback.received',
      ]),
    );
    expect(
      ticket.timeline.filter((t) => t.type === 'feedback.received').every((t) => t.source === 'customer'),
    ).toBe(true);
  });

  it('opens a linked ticket when the customer writes to a closed one, acknowledged and SLA-tracked', async () => {
    const T = 'K-1';
    // A producer's own ticket named like the old scheme of linked ids: never touched.
    await post('K-1~1', 'ticket.opened', ast('2026-12-07T09:00:00'), {
      channel: 'email',
      priority: 'low',
      customer: { id: 'someone-else' },
    });
    await post(T, 'ticket.opened', ast('2026-12-07T10:00:00'), {
      channel: 'chat',
      priority: 'high',
      customer: { id: 'c-k1', locale: 'ar-SA', timeZone: 'Asia/Riyadh' },
    });
    await reply(T, ast('2026-12-07T10:10:00'));
    await status(T, ast('2026-12-07T11:00:00'), 'closed');
    await post(T, 'customer.replied', ast('2026-12-07T12:00:00'));
    await post(T, 'customer.replied', ast('2026-12-07T12:05:00'));

    const linked = `heed:${T}~1`;
    expect(busOf(T, 'Linked Ticket Opened').map((e) => (e.detail as { data: unknown }).data)).toEqual([
      expect.objectContaining({ linkedTicketId: linked, reason: 'customer_replied' }),
    ]);
    expect(
      helpdesk
        .forTicket(T)
        .map((r) => [r.json.purpose, (r.json.data as { linkedTicketId: string }).linkedTicketId]),
    ).toEqual([['linked-ticket', linked]]);
    const opened = await read(linked);
    expect(opened).toMatchObject({ status: 'open', linkedFrom: T });
    expect(opened.sla.clocks.find((c) => c.kind === 'first_response')).toMatchObject({ status: 'running' });
    // The second message went to the linked ticket, not to a third one.
    expect(opened.timeline.filter((t) => t.type === 'customer.replied')).toEqual([
      expect.objectContaining({ source: 'heed' }),
    ]);
    expect(sentTo(linked).map((m) => [m.purpose, m.locale, m.at])).toEqual([
      ['acknowledgement', 'ar', ast('2026-12-07T12:00:00')],
    ]);
    expect((await read(T)).linkedTickets).toEqual([expect.objectContaining({ ticketId: linked })]);
    const producers = await read('K-1~1');
    expect(producers).toMatchObject({ priority: 'low', customer: { id: 'someone-else' }, linkedFrom: null });
    expect(producers.timeline.filter((t) => t.source !== 'heed').map((t) => t.type)).toEqual([
      'ticket.opened',
    ]);
    // The helpdesk answers the linked ticket like any other; it may not open one in Heed's namespace.
    await reply(linked, ast('2026-12-07T12:30:00'));
    expect((await read(linked)).sla.clocks.find((c) => c.kind === 'first_response')).toMatchObject({
      status: 'met',
    });
    const forged = await api.post({
      id: `f-${++seq}`,
      type: 'ticket.opened',
      ticketId: 'heed:K-2~1',
      occurredAt: ast('2026-12-07T12:30:00'),
      data: { channel: 'chat', customer: { id: 'c-x' } },
    });
    expect(forged).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ path: 'ticketId' })] },
    });
  });

  it('refuses tampered, foreign, malformed and expired survey links with a page, recording nothing; the last answer counts', async () => {
    const T = 'S-1';
    await post(T, 'ticket.opened', ast('2026-12-08T09:00:00'), {
      channel: 'email',
      customer: { id: 'c-s1', locale: 'ar', timeZone: 'Asia/Riyadh' },
    });
    await reply(T, ast('2026-12-08T09:10:00'));
    await status(T, ast('2026-12-08T10:00:00'), 'solved');
    await rt.advanceClock(new Date(ast('2026-12-09T10:00:00')));
    const url = urlOf(sentTo(T).find((m) => m.purpose === 'survey'));
    const other = urlOf(sentTo('L-1').find((m) => m.purpose === 'survey'));
    const [base, token] = url.split('/v1/feedback/') as [string, string];
    const [payload, mac] = token.split('.') as [string, string];
    const otherMac = (other.split('/v1/feedback/')[1] ?? '').split('.')[1];
    const flipped = `${payload.slice(0, 5)}${payload[5] === 'A' ? 'B' : 'A'}${payload.slice(6)}`;
    const logBefore = (await read(T)).timeline.length;

    const page = await click(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('dir="rtl"');
    for (const bad of [
      `${base}/v1/feedback/${flipped}.${mac}?score=5`,
      `${base}/v1/feedback/${payload}.${otherMac}?score=5`,
      `${base}/v1/feedback/${payload}?score=5`,
      `${base}/v1/feedback/not-a-token?score=5`,
    ]) {
      const res = await click(bad, { headers: { 'accept-language': 'fr-CH, en;q=0.5' } });
      expect(res.status, bad).toBe(400);
      expect(res.html).toContain('Ce lien n&#39;est pas valide');
    }
    expect((await click(`${url}?score=6`)).status).toBe(400);
    expect((await click(`${url}?score=2.5`)).status).toBe(400);
    const notForm = await click(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"score":5}',
    });
    expect(notForm.status).toBe(415);
    await rt.settle();
    expect((await read(T)).timeline.length).toBe(logBefore);

    // Answered twice: the last score counts; a good score reopens nothing.
    expect((await answerSurvey(url, 3)).status).toBe(200);
    rt.clock.set(ast('2026-12-09T10:05:00'));
    expect((await answerSurvey(url, 4)).status).toBe(200);
    await rt.settle();
    expect(await read(T)).toMatchObject({ status: 'solved', survey: { cycle: 1, score: 4 } });

    // Thirty days on, the link has expired: 410, in the survey's language, nothing recorded.
    await rt.advanceClock(new Date(ast('2027-01-09T10:00:01')));
    const before = (await read(T)).timeline.length;
    const expired = await click(`${url}?score=1`);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('dir="rtl"');
    await rt.settle();
    expect((await read(T)).timeline.length).toBe(before);
  });

  it('takes a duplicated reminder firing once and a stale one not at all', async () => {
    const T = 'D-1';
    await post(T, 'ticket.opened', cet('2027-01-11T10:00:00'), {
      channel: 'email',
      customer: { id: 'c-d1', locale: 'en', timeZone: 'Europe/Berlin' },
    });
    await reply(T, cet('2027-01-11T10:10:00'));
    await status(T, cet('2027-01-11T10:20:00'), 'pending');
    const first = rt.timers.pendingOf('followup', 'acme', T) as TimerFiring;
    expect(first.dueAt).toBe(cet('2027-01-12T10:20:00'));
    rt.clock.set(first.dueAt);
    for (let i = 0; i < 3; i++)
      await rt.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: rt.queues.followup.url, MessageBody: JSON.stringify(first) }),
      );
    await rt.settle();
    expect(sentTo(T).filter((m) => m.purpose === 'reminder')).toHaveLength(1);
    // The customer answers; the second reminder's firing arrives anyway: stale.
    const second = rt.timers.pendingOf('followup', 'acme', T) as TimerFiring;
    await post(T, 'customer.replied', cet('2027-01-12T11:00:00'));
    rt.clock.set(second.dueAt);
    await rt.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: rt.queues.followup.url, MessageBody: JSON.stringify(second) }),
    );
    await rt.settle();
    expect(sentTo(T).filter((m) => m.purpose === 'reminder')).toHaveLength(1);
    expect((await read(T)).status).toBe('open');
  });

  it('skips what a backfilled history made due long ago, and closes what is due', async () => {
    const T = 'B-1';
    rt.clock.set(cet('2027-02-01T12:00:00'));
    const history = [
      [
        'ticket.opened',
        '2027-01-18T10:00:00',
        { channel: 'email', customer: { id: 'c-b1', timeZone: 'Europe/Berlin' } },
      ],
      ['agent.replied', '2027-01-18T10:05:00', { agentId: 'a1', public: true }],
      ['ticket.status_changed', '2027-01-18T11:00:00', { status: 'solved' }],
    ] as const;
    const res = await api.post({
      events: history.map(([type, at, data], i) => ({
        id: `b-${i}`,
        type,
        ticketId: T,
        occurredAt: cet(at),
        data,
      })),
    });
    expect(res.status).toBe(202);
    await rt.settle();
    await rt.advanceClock(new Date(cet('2027-02-01T12:01:00')));
    expect(sentTo(T).filter((m) => m.purpose === 'survey')).toEqual([]);
    const ticket = await read(T);
    expect(ticket.status).toBe('closed');
    expect(ticket.followUps.map((f) => [f.kind, f.status, f.reason])).toEqual([
      ['survey', 'skipped', 'stale'],
      ['closeSolved', 'done', null],
    ]);
    expect(
      busOf(T, 'Follow-up Due')
        .map((e) => (e.detail as { data: { status: string } }).data.status)
        .sort(),
    ).toEqual(['done', 'skipped']);
  });
  it('lets a mail scanner fetch every link and records nothing; a person answers once; replays change nothing', async () => {
    const T = 'M-1';
    await post(T, 'ticket.opened', ast('2027-02-02T09:00:00'), {
      channel: 'email',
      customer: { id: 'c-m1', locale: 'en', timeZone: 'Asia/Riyadh' },
    });
    await reply(T, ast('2027-02-02T09:10:00'));
    await status(T, ast('2027-02-02T10:00:00'), 'solved');
    await rt.advanceClock(new Date(ast('2027-02-03T10:00:00')));
    const survey = customers.forTicket(T).find((r) => r.json.purpose === 'survey');
    const html = (survey?.json.message as { html: string } | undefined)?.html ?? '';
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
    expect(links).toHaveLength(5);
    const url = links[0]?.split('?')[0] ?? '';
    const before = (await read(T)).timeline.length;

    // A Safe Links / Proofpoint style scanner: every link of the message, GET and HEAD.
    const scanner = { 'user-agent': 'Mozilla/5.0 (compatible; ScannerBot)' };
    for (const link of [url, ...links]) {
      expect((await click(link, { headers: scanner })).status).toBe(200);
      await click(link, { method: 'HEAD', headers: scanner });
    }
    await rt.settle();
    const scanned = await read(T);
    expect(scanned).toMatchObject({ status: 'solved', survey: null });
    expect(scanned.timeline.length).toBe(before);
    expect(busOf(T, 'Ticket Escalated')).toEqual([]);
    expect(leads.forTicket(T)).toEqual([]);

    // A person: clicks "1" in the e-mail and confirms on the page, with a comment.
    const answered = await answerSurvey(url, 1, 'It broke again');
    expect(answered.status).toBe(200);
    expect(answered.html).toContain('Thank you, we have your comment.');
    // The same post replayed (a double click, a retried request, a hostile client) twenty times.
    for (let i = 0; i < 20; i++)
      expect((await post$(url, { score: '1', comment: 'It broke again' })).status).toBe(200);
    await rt.settle();
    const once = await read(T);
    expect(once).toMatchObject({ status: 'open', survey: { cycle: 1, score: 1, comment: 'It broke again' } });
    expect(once.timeline.filter((t) => t.type === 'feedback.received')).toHaveLength(1);
    expect(busOf(T, 'Ticket Escalated')).toHaveLength(1);
    expect(leads.forTicket(T).map((r) => r.json.template)).toEqual(['escalation.low-csat']);

    // Changed answers: the last counts, one comment notice at most, five answers at most.
    rt.clock.set(ast('2027-02-03T11:00:00'));
    for (const [score, comment] of [
      ['1', 'Still broken'],
      ['2', 'A bit better'],
      ['2', 'Now it works'],
      ['4', ''],
    ] as const)
      expect((await post$(url, { score, comment })).status).toBe(200);
    const sixth = await post$(url, { score: '5' });
    expect(sixth.html).toContain('we already have your answer');
    await rt.settle();
    const changed = await read(T);
    expect(changed.survey).toMatchObject({ cycle: 1, score: 4, comment: null });
    expect(changed.timeline.filter((t) => t.type === 'feedback.received')).toHaveLength(5);
    expect(busOf(T, 'Ticket Escalated')).toHaveLength(1);
    expect(leads.forTicket(T).map((r) => r.json.template)).toEqual([
      'escalation.low-csat',
      'escalation.low-csat.comment',
    ]);

    // A link serves 30 requests an hour; then a 429 page, and nothing is read or recorded.
    rt.clock.set(ast('2027-02-03T12:00:00'));
    for (let i = 0; i < 30; i++) expect((await click(`${url}?score=3`)).status).toBe(200);
    const limited = await post$(url, { score: '1' });
    expect(limited.status).toBe(429);
    expect(limited.html).toContain('try again in an hour');
    rt.clock.set(ast('2027-02-03T13:00:00'));
    expect((await click(url)).status).toBe(200);
    await rt.settle();
    expect((await read(T)).timeline.filter((t) => t.type === 'feedback.received')).toHaveLength(5);
  });
});
