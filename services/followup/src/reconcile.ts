import {
  type Announcement,
  digestOf,
  type MetricPoint,
  type OwnerConsumerDeps,
  type OwnerDecision,
  type OwnerDeps,
  type OwnerLook,
  type OwnerOutcome,
  type OwnerTrigger,
  runOwner,
  type TimerWorkflow,
} from '@heed/app';
import { type MacPort, MetricUnit } from '@heed/aws';
import type { TenantConfig } from '@heed/contracts';
import {
  type FollowUp,
  type FollowUpCheckpoint,
  type FollowUpModel,
  type FollowUpsSettled,
  feedbackPayload,
  feedbackToken,
  followUpLocale,
  followUpsFrom,
  renderFollowUp,
  type TicketState,
} from '@heed/core';
import { autoClosed, lateComment, linkedOpened, reminderSent, skipped, surveySent } from './announce';

/** What was announced of one follow-up: a message sent, a close done, a skip; when, and the message. */
interface Seen {
  readonly status: 'sent' | 'done' | 'skipped';
  readonly at: string;
  readonly deliveryId?: string;
}

/** What the follow-up service keeps on a ticket (in its timer item), and where its next look resumes the fold. */
export interface FollowUpState {
  /** Follow-ups (and late comments) announced, by key. */
  readonly seen: Readonly<Record<string, Seen>>;
  /** Linked tickets announced (their number) and events logged on other tickets (ids). */
  readonly linked: number;
  readonly logged: readonly string[];
  /** Survey cycles whose answer was counted (CsatScore counts each survey's first answer). */
  readonly answered: readonly number[];
  /** Solves and reopens counted so far (for the reopen rate). */
  readonly solves: number;
  readonly reopens: number;
  /** A digest of the schedule the last time it changed: an unchanged look costs no write. */
  readonly shape: string;
}

const EMPTY: FollowUpState = {
  seen: {},
  linked: 0,
  logged: [],
  answered: [],
  solves: 0,
  reopens: 0,
  shape: '',
};

/** What the follow-up owner needs besides the runner's: the survey links' signer and address. */
export interface FollowUpPorts {
  readonly mac: Pick<MacPort, 'sign'>;
  /** Base URL of the public API, for survey links (read when a survey is sent). */
  readonly publicUrl: () => string;
}

export type FollowUpDeps = OwnerDeps & FollowUpPorts;

const MINUTE = 60_000;

/** Announced once: a message due (sent), an action done, a message skipped. */
const announceable = (f: FollowUp): boolean =>
  f.status === 'due' || f.status === 'done' || f.status === 'skipped';

const shapeOf = (model: FollowUpModel): string =>
  digestOf([model.nextWakeUp, model.followUps, model.linked.length]);

/** Renders and signs a survey; its links work until `survey.expiresAfter` from now. */
const survey = async (
  f: FollowUp,
  config: TenantConfig,
  deps: FollowUpPorts,
  ctx: { ticket: TicketState; causationId: string; now: Date },
): Promise<Announcement> => {
  const { ticket } = ctx;
  const expiresAt = new Date(ctx.now.getTime() + config.followUp.survey.expiresAfter * MINUTE);
  const payload = feedbackPayload({
    tenantId: ticket.tenantId,
    ticketId: ticket.ticketId,
    cycle: f.cycle,
    expiresAt,
    locale: followUpLocale(config, ticket.customer),
    brand: config.branding,
  });
  const token = feedbackToken(payload, await deps.mac.sign(payload));
  const pageUrl = `${deps.publicUrl().replace(/\/+$/, '')}/v1/feedback/${token}`;
  const message = renderFollowUp({
    kind: 'survey',
    config,
    reference: ticket.reference,
    channel: ticket.channel,
    customer: ticket.customer,
    pageUrl,
    scoreUrl: (n) => `${pageUrl}?score=${n}`,
  });
  return surveySent(ctx, f, message, { pageUrl, expiresAt });
};

const reminder = (
  f: FollowUp,
  model: FollowUpModel,
  config: TenantConfig,
  ctx: { ticket: TicketState; causationId: string; now: Date },
): Announcement => {
  const { ticket } = ctx;
  const close = model.followUps.find(
    (c) => c.kind === 'autoClose' && c.round === f.round && c.status === 'scheduled',
  );
  const message = renderFollowUp({
    kind: 'reminder',
    config,
    reference: ticket.reference,
    channel: ticket.channel,
    customer: ticket.customer,
    closeAt: close ? new Date(close.dueAt) : null,
  });
  return reminderSent(ctx, f, message, close?.dueAt ?? null);
};

/** What the follow-up owner counts once its commit won. */
const metricsOf = (
  announcements: readonly Announcement[],
  answers: FollowUpModel['answers'],
  solves: number,
  reopens: number,
): MetricPoint[] => {
  const count = (name: MetricPoint['name'], value = 1, dimensions?: Record<string, string>): MetricPoint => ({
    name,
    unit: MetricUnit.Count,
    value,
    ...(dimensions && { dimensions }),
  });
  const points: MetricPoint[] = [];
  for (const a of announcements) {
    const type = a.activity.type;
    if (type === 'followup.survey' || type === 'followup.reminder') {
      const kind = type === 'followup.survey' ? 'survey' : 'reminder';
      points.push(count('FollowUpsSent'), count('FollowUpsSent', 1, { kind }));
      if (kind === 'survey') points.push(count('SurveysSent'));
    }
    if (type === 'followup.closed') points.push(count('AutoClosed'));
    if (type === 'followup.linked') points.push(count('LinkedTicketsOpened'));
  }
  for (const x of answers)
    points.push(
      count('SurveysAnswered'),
      count('CsatScore', x.score),
      count('CsatResponses', 1, { score: String(x.score) }),
    );
  if (solves > 0) points.push(count('TicketsSolved', solves));
  if (reopens > 0) points.push(count('Reopened', reopens));
  return points;
};

/**
 * The follow-up owner's decision over a look: logs Heed's actions (closes, reopens, linked
 * tickets) through the ticket write path, sends each message that fell due once, and wakes at
 * the next follow-up.
 */
const decideWith =
  (ports: FollowUpPorts) =>
  async (look: OwnerLook<FollowUpState, FollowUpModel>): Promise<OwnerDecision<FollowUpState>> => {
    const { ticket, config, model, now } = look;
    const { ticketId } = ticket;
    const prior = look.prior ?? EMPTY;
    // Heed's actions become events (same write path, deduped by id); those of other tickets
    // (a linked ticket's opening) are remembered, as this ticket's log never shows them.
    const logged = new Set(prior.logged);
    const heedEvents = model.actions
      .filter((a) => a.event.ticketId === ticketId || !logged.has(a.event.id))
      .map((a) => ({ event: a.event, ...(a.event.type === 'ticket.opened' && { createOnly: true }) }));
    for (const { event } of heedEvents) if (event.ticketId !== ticketId) logged.add(event.id);
    const ctx = { ticket, causationId: look.trigger.causationId, now };
    // Each announcement with what it marks as seen (linked tickets are counted instead).
    const announcements: { a: Announcement; mark?: [string, Seen] }[] = [];
    const marked = (a: Announcement, key: string, status: Seen['status'], at: string) =>
      announcements.push({
        a,
        mark: [key, { status, at, ...(a.delivery && { deliveryId: a.delivery.deliveryId }) }],
      });
    const seenAfter = (count: number): Record<string, Seen> => ({
      ...prior.seen,
      ...Object.fromEntries(announcements.slice(0, count).flatMap((x) => (x.mark ? [x.mark] : []))),
    });
    const sentReminders = (round: number) => {
      const seen = seenAfter(announcements.length);
      return model.followUps.filter(
        (r) => r.kind === 'reminder' && r.round === round && seen[r.key]?.status === 'sent',
      ).length;
    };
    for (const f of model.followUps) {
      if (!announceable(f) || prior.seen[f.key]) continue;
      const at = f.at ?? f.dueAt;
      if (f.status === 'skipped') marked(skipped(ctx, f), f.key, 'skipped', at);
      else if (f.status === 'done')
        marked(autoClosed(ctx, f, f.kind === 'autoClose' ? sentReminders(f.round) : 0), f.key, 'done', at);
      else if (f.kind === 'survey')
        marked(await survey(f, config, ports, ctx), f.key, 'sent', now.toISOString());
      else marked(reminder(f, model, config, ctx), f.key, 'sent', now.toISOString());
    }
    for (const c of model.lateComments) {
      const key = `comment:${c.cycle}`;
      if (!prior.seen[key])
        marked(lateComment(ctx, c, config.followUp.lowScoreNotify), key, 'sent', now.toISOString());
    }
    model.linked.forEach((l, i) => {
      if (i >= prior.linked) announcements.push({ a: linkedOpened(ctx, l, i + 1) });
    });
    const fresh = model.answers.filter((x) => !prior.answered.includes(x.cycle));
    const solvesNew = Math.max(0, model.solves - prior.solves);
    const reopensNew = Math.max(0, ticket.reopenCount - prior.reopens);
    const shape = shapeOf(model);
    const final: FollowUpState = {
      seen: seenAfter(announcements.length),
      linked: model.linked.length,
      logged: [...logged],
      answered: [...prior.answered, ...fresh.map((x) => x.cycle)],
      solves: Math.max(prior.solves, model.solves),
      reopens: Math.max(prior.reopens, ticket.reopenCount),
      shape,
    };
    return {
      heedEvents,
      announcements: announcements.map((x) => x.a),
      // An earlier commit of a long backfill records only what it announced.
      stateAfter: (count) =>
        count === announcements.length ? final : { ...prior, seen: seenAfter(count), logged: [...logged] },
      changed:
        fresh.length > 0 ||
        solvesNew > 0 ||
        reopensNew > 0 ||
        logged.size > prior.logged.length ||
        look.prior?.shape !== shape,
      wakeAt: model.nextWakeUp ? new Date(model.nextWakeUp) : null,
      metrics: metricsOf(
        announcements.map((x) => x.a),
        fresh,
        solvesNew,
        reopensNew,
      ),
    };
  };

/**
 * The follow-up owner (DESIGN §7): folds the follow-ups from its checkpoint and the events after
 * it (or the whole ordered log) and decides what to send, log and close.
 */
export const followUpWorkflow = (
  ports: FollowUpPorts,
): TimerWorkflow<FollowUpState, FollowUpModel, FollowUpCheckpoint, FollowUpsSettled> => ({
  owner: 'followup',
  fold: followUpsFrom,
  unannounced: (model, prior) =>
    model.followUps.filter((f) => announceable(f) && !prior?.seen[f.key]).map((f) => f.at ?? f.dueAt),
  decide: decideWith(ports),
});

/**
 * Looks at a ticket again (on its status changes, customer messages and feedback, or when its
 * follow-up timer fires).
 */
export const reconcileFollowUps = (
  tenantId: string,
  ticketId: string,
  trigger: Omit<OwnerTrigger, 'tenantId' | 'ticketId'>,
  deps: FollowUpDeps,
): Promise<OwnerOutcome> => runOwner(followUpWorkflow(deps), { tenantId, ticketId, ...trigger }, deps);

export type FollowUpHandlerDeps = OwnerConsumerDeps & FollowUpPorts;
