import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { listDeadLetters, redriveDeadLetters, type TracedCall } from '@heed/aws';
import type { TenantConfigInput } from '@heed/contracts';
import { expect } from 'vitest';
import type { FaultPlan } from '../../packages/local/src/faults';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { startReceiver } from './receiver';
import { apiClient, startConfiguredRuntime, type TestRuntime } from './runtime';

/**
 * Four whole lifecycles on the manual clock (acknowledgements, warnings, breaches, escalations
 * with a priority raise, transfers, surveys answered on their page, a low score that reopens,
 * reminders, auto-closes, a linked ticket), played by producers and customers that retry what
 * Heed answers 5xx. The fault suite plays them with and without faults; the IAM test traces the
 * AWS calls they make.
 */

const SECRET = 'test-webhook-secret-0123456789';
/** Berlin is UTC+1 through these weeks. */
const cet = (local: string) => new Date(`${local}+01:00`).toISOString();

const configFor = (customers: string, internal: string): TenantConfigInput => ({
  defaultTimeZone: 'Europe/Berlin',
  calendars: {
    default: {
      timeZone: 'Europe/Berlin',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
    },
  },
  sla: {
    rules: [
      {
        name: 'urgent',
        match: { priority: ['urgent'] },
        hours: 'calendar',
        targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
        escalation: [{ offset: 0, notify: ['group-lead'] }],
      },
      { name: 'standard', targets: { firstResponse: 120, nextResponse: 120, resolution: 2400 } },
    ],
    escalation: [
      { offset: -30, notify: ['assignee'] },
      { offset: 0, notify: ['group-lead'] },
      { offset: 60, notify: ['manager'], raisePriority: true, clocks: ['first_response', 'next_response'] },
    ],
  },
  delivery: {
    webhooks: [
      { id: 'customers', url: customers, secret: SECRET, audiences: ['customer'] },
      { id: 'internal', url: internal, secret: SECRET, audiences: ['internal'] },
    ],
  },
});

export interface Played {
  readonly tickets: Record<string, unknown>;
  /** The SLA report of the week, by priority, as the API answers it. */
  readonly report: unknown;
  readonly crossings: string[];
  readonly messages: string[];
  /** Deliveries seen more than once at a receiver (same delivery id). */
  readonly repeated: number;
  readonly deadLettered: number;
  readonly injected: Record<string, number> | null;
  /** Each function's distinct AWS calls, when traced. */
  readonly traced: readonly TracedCall[];
}

const TICKETS = ['A', 'B', 'C', 'D'];
const BUS_TYPES = new Set([
  'SLA Warning',
  'SLA Breached',
  'SLA Met',
  'Ticket Escalated',
  'Survey Requested',
  'Reminder Sent',
  'Ticket Auto-Closed',
  'Ticket Reopened',
  'Follow-up Due',
  'Acknowledgement Sent',
]);
/** What Heed did, as the timeline shows it (not how many attempts it took). */
const STORY = /^(sla\.|escalation|followup\.)/;

/** Plays four lifecycles, with or without faults, and returns what the outside world saw. */
export const play = async (
  faults: { plan: FaultPlan; seed: number } | null,
  options: { traceCalls?: boolean } = {},
): Promise<Played> => {
  const begun = Date.now();
  const customers = await startReceiver();
  const internal = await startReceiver();
  const bus: BusEnvelope[] = [];
  const { rt, api } = await startConfiguredRuntime(
    configFor(customers.url, internal.url),
    cet('2026-11-23T08:00:00'),
    bus,
    {
      // Retries come back after 2 s: a batch slowed by a loaded machine is not received twice at once.
      ...(faults && { faults, visibilityTimeoutSeconds: 2 }),
      ...(options.traceCalls && { traceCalls: true }),
    },
  );
  let deadLettered = 0;
  try {
    /** Waits until all is done; with faults, what exhausted its retries is shown, then redriven. */
    const settle = async () => {
      await rt.settle(120_000);
      for (let round = 0; faults && round < 20; round++) {
        let found = 0;
        for (const [consumer, queue] of Object.entries(rt.queues)) {
          // Listing waits a second on an empty queue: ask for its depth first.
          const { Attributes } = await rt.clients.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queue.dlqUrl,
              AttributeNames: ['ApproximateNumberOfMessages'],
            }),
          );
          if (Number(Attributes?.ApproximateNumberOfMessages ?? 0) === 0) continue;
          const letters = await listDeadLetters(rt.clients.sqs, queue.dlqUrl, 100);
          for (const letter of letters) {
            found++;
            expect(letter.ticketId, `${consumer} dead letter names its ticket`).toBeTruthy();
            const shown = await visibleFailure(rt, consumer, letter.ticketId as string, letter.eventId);
            expect(shown, `${consumer}: ${JSON.stringify(letter)} is on its ticket`).toBe(true);
          }
        }
        if (found === 0) return;
        deadLettered += found;
        rt.faults?.pause(); // the operator redrives once the outage is over
        for (const queue of Object.values(rt.queues))
          await redriveDeadLetters(rt.clients.sqs, queue.dlqUrl, queue.url);
        await rt.settle(120_000);
        rt.faults?.resume();
      }
    };
    // Dead letters are redriven at every stop of the clock, so what they do happens on time.
    const advance = (local: string) => rt.advanceClock(new Date(cet(local)), settle);
    const at = async (local: string) => {
      await advance(local);
      await settle();
    };
    let seq = 0;
    /** A producer: retries what Heed answers 5xx (it says: retry, it is idempotent). */
    const post = async (
      ticketId: string,
      type: string,
      local: string,
      data: Record<string, unknown> = {},
    ) => {
      await advance(local);
      const event = { id: `f-${ticketId}-${++seq}`, type, ticketId, occurredAt: cet(local), data };
      for (let attempt = 0; ; attempt++) {
        const res = await api.post(event);
        if (res.status < 500) {
          expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
          break;
        }
        expect(attempt, 'the producer gave up retrying').toBeLessThan(40);
      }
      await settle();
    };
    const survey = (ticketId: string, nth: number) => {
      const urls = [
        ...new Map(
          customers
            .forTicket(ticketId)
            .filter((r) => r.json.purpose === 'survey')
            .map((r) => [r.json.id as string, (r.json.data as { url: string }).url]),
        ).values(),
      ];
      const url = urls[nth];
      if (!url) throw new Error(`no survey ${nth} for ${ticketId}`);
      return url;
    };
    /** A customer: opens the score link, then confirms on the page; retries a 5xx page. */
    const answer = async (ticketId: string, nth: number, local: string, score: number, comment?: string) => {
      await advance(local);
      const url = survey(ticketId, nth);
      for (const init of [
        { url: `${url}?score=${score}` },
        {
          url,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ score: String(score), ...(comment && { comment }) }).toString(),
        },
      ])
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(init.url, init);
          await res.arrayBuffer();
          if (res.status < 500) {
            expect(res.status).toBe(200);
            break;
          }
          expect(attempt).toBeLessThan(40);
        }
      await settle();
    };
    const customer = (id: string, locale: string) => ({ id, locale, timeZone: 'Europe/Berlin' });

    // Monday: four tickets.
    await post('A', 'ticket.opened', '2026-11-23T09:00:00', {
      channel: 'email',
      customer: customer('ca', 'de-DE'),
    });
    await post('B', 'ticket.opened', '2026-11-23T09:00:00', {
      channel: 'chat',
      priority: 'urgent',
      customer: customer('cb', 'en'),
    });
    await post('C', 'ticket.opened', '2026-11-23T09:00:00', {
      channel: 'email',
      createdBy: 'agent',
      customer: customer('cc', 'fr'),
    });
    await post('D', 'ticket.opened', '2026-11-23T09:00:00', {
      channel: 'web',
      customer: customer('cd', 'ja'),
    });
    await post('B', 'agent.replied', '2026-11-23T09:20:00', { agentId: 'a1' });
    for (const [n, group] of ['g1', 'g2', 'g3', 'g4'].entries())
      await post('D', 'ticket.assigned', `2026-11-23T09:${30 + n * 5}:00`, { groupId: group, agentId: 'a2' });
    await post('C', 'ticket.status_changed', '2026-11-23T10:00:00', { status: 'pending' });
    await post('D', 'agent.replied', '2026-11-23T10:30:00', { agentId: 'a2' });
    await post('D', 'ticket.status_changed', '2026-11-23T11:30:00', { status: 'solved' });
    // A waits: warned, breached, escalated, its priority raised, then answered late.
    await post('A', 'agent.replied', '2026-11-23T12:30:00', { agentId: 'a3' });
    await post('A', 'customer.replied', '2026-11-23T13:00:00');
    await post('A', 'agent.replied', '2026-11-23T14:00:00', { agentId: 'a3' });
    await post('B', 'ticket.status_changed', '2026-11-23T14:30:00', { status: 'solved' });
    await post('A', 'ticket.status_changed', '2026-11-23T15:00:00', { status: 'pending' });
    // Tuesday: surveys, a reminder, a low score that reopens.
    await answer('D', 0, '2026-11-24T12:00:00', 5);
    await answer('B', 0, '2026-11-24T15:00:00', 1, 'It came back');
    await post('B', 'agent.replied', '2026-11-24T15:10:00', { agentId: 'a1' });
    await post('B', 'ticket.status_changed', '2026-11-24T15:30:00', { status: 'solved' });
    await post('A', 'customer.replied', '2026-11-24T16:00:00');
    await post('A', 'agent.replied', '2026-11-24T16:30:00', { agentId: 'a3' });
    await post('A', 'ticket.status_changed', '2026-11-24T17:00:00', { status: 'solved' });
    await answer('A', 0, '2026-11-25T17:30:00', 4);
    // A week on: C closed after its reminders, the solved ones closed after four days.
    await at('2026-12-01T12:00:00');
    // The customer writes to closed C: a linked ticket in Heed's namespace takes it.
    await post('C', 'customer.replied', '2026-12-01T12:30:00');

    const tickets: Record<string, unknown> = {};
    for (const id of TICKETS) {
      let read = await api.ticket<Record<string, unknown>>(id, { limit: '200' });
      for (let attempt = 0; read.status >= 500 && attempt < 40; attempt++)
        read = await api.ticket<Record<string, unknown>>(id, { limit: '200' });
      expect(read.status).toBe(200);
      tickets[id] = story(read.body);
    }
    const period = { from: '2026-11-23', to: '2026-11-30', by: 'priority' };
    let report = await api.report(period);
    for (let attempt = 0; report.status >= 500 && attempt < 40; attempt++) report = await api.report(period);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const unique = <T>(items: T[], key: (t: T) => string) => [
      ...new Map(items.map((i) => [key(i), i])).values(),
    ];
    const crossings = unique(
      bus.filter((e) => BUS_TYPES.has(e['detail-type'])),
      (e) => (e.detail as { eventId: string }).eventId,
    )
      .map((e) => {
        const d = e.detail as { ticketId: string; occurredAt: string; data: Record<string, unknown> };
        const what = d.data.clock ?? d.data.reason ?? d.data.kind ?? '';
        return `${d.ticketId} ${e['detail-type']} ${String(what)} ${d.occurredAt}`;
      })
      .sort();
    const received = [...customers.received, ...internal.received];
    const messages = unique(received, (r) => r.json.id as string)
      .map((r) => `${r.json.ticketId} ${r.json.purpose} ${r.json.template} ${r.json.createdAt}`)
      .sort();
    console.log(`played ${faults ? `seed ${faults.seed}` : 'without faults'} in ${Date.now() - begun} ms`);
    return {
      tickets,
      report: report.body,
      crossings,
      messages,
      repeated: received.length - messages.length,
      deadLettered,
      injected: rt.faults ? { ...rt.faults.injected } : null,
      traced: [...rt.counter.traced.values()],
    };
  } finally {
    await rt.stop();
    await Promise.all([customers.close(), internal.close()]);
  }
};

/** Does the ticket show that something about it failed for good (before a redrive)? */
const visibleFailure = async (
  rt: TestRuntime,
  consumer: string,
  ticketId: string,
  eventId: string | null,
): Promise<boolean> => {
  const api = apiClient(rt, rt.apiKey);
  for (let attempt = 0; attempt < 40; attempt++) {
    rt.faults?.pause();
    const read = await api.ticket<{
      timeline: { type: string }[];
      deliveries: { deliveryId: string; status: string }[];
      acknowledgements: { status: string }[];
    }>(ticketId, { limit: '200' });
    rt.faults?.resume();
    // A failed look, delivery or acknowledgement; or, for an acknowledgement whose last attempt
    // committed and lost its reply, the acknowledgement itself (nothing was lost).
    if (read.status === 200)
      return (
        read.body.timeline.some((t) => t.type === 'processing.failed') ||
        read.body.deliveries.some((d) => d.status === 'failed') ||
        (consumer === 'acknowledger' && read.body.acknowledgements.length > 0) ||
        // A delivery whose last receive delivered it and lost the reply: done, not pending.
        (consumer === 'notifier' &&
          read.body.deliveries.some(
            (d) => eventId === `delivery-requested:${d.deliveryId}` && d.status === 'delivered',
          ))
      );
  }
  return false;
};

/** A ticket as the read API shows it, without what depends on how many attempts things took. */
const story = (body: Record<string, unknown>) => {
  const {
    timeline,
    deliveries,
    acknowledgements,
    timelineCursor: _c,
    ...rest
  } = body as {
    timeline: Record<string, unknown>[];
    deliveries: Record<string, unknown>[];
    acknowledgements: Record<string, unknown>[];
    timelineCursor: unknown;
  };
  return {
    ...rest,
    acknowledgements: acknowledgements.map(({ opening, status, promisedBy }) => ({
      opening,
      status,
      promisedBy,
    })),
    deliveries: deliveries
      .map(({ purpose, status, createdAt }) => `${purpose} ${status} ${createdAt}`)
      .sort(),
    events: timeline
      .filter((t) => typeof t.occurredAt === 'string')
      .map((t) => `${t.id} ${t.type} ${(t.emitted as string[]).join('+')}${t.late ? ' late' : ''}`),
    did: timeline
      .filter((t) => typeof t.type === 'string' && STORY.test(t.type))
      .map((t) => `${t.type} ${t.at} ${t.clock ?? t.kind ?? ''}`)
      .sort(),
  };
};
