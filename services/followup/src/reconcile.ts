import {
  type Announcement,
  announcementCommits,
  type ConfigSource,
  type DynamoDeliveryStore,
  type DynamoTicketStore,
  digestOf,
  lookAtTicket,
  type MacPort,
  MetricUnit,
  type OwnerDecision,
  type OwnerOutcome,
  type ResumeState,
  recordMetric,
  resumeFold,
  resumePointOf,
  settledView,
  type TicketOwnerDeps,
  type TimerPort,
  withLastItems,
} from '@heed/aws';
import type { TenantConfig, TimerFiring } from '@heed/contracts';
import {
  type Clock,
  type FollowUp,
  type FollowUpCheckpoint,
  type FollowUpModel,
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
export interface FollowUpState extends ResumeState {
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

export interface FollowUpDeps {
  readonly tickets: Pick<DynamoTicketStore, 'log' | 'logFrom' | 'get' | 'record'>;
  readonly configs: ConfigSource;
  readonly deliveries: Pick<DynamoDeliveryStore, 'activityPut' | 'deliveryPut'>;
  readonly timers: TicketOwnerDeps['timers'];
  readonly port: TimerPort;
  readonly mac: Pick<MacPort, 'sign'>;
  /** Base URL of the public API, for survey links (read when a survey is sent). */
  readonly publicUrl: () => string;
  readonly clock: Clock;
}

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
  deps: FollowUpDeps,
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

/**
 * Looks at a ticket again (on its status changes, customer messages and feedback, or when its
 * follow-up timer fires): re-folds the follow-ups from the ordered log, logs Heed's actions
 * (closes, reopens, linked tickets) through the ticket write path, sends each message that fell
 * due once, and moves the ticket's follow-up timer to the next one.
 */
export const reconcileFollowUps = async (
  tenantId: string,
  ticketId: string,
  trigger: { readonly firing: TimerFiring | null; readonly causationId: string; readonly retry?: boolean },
  deps: FollowUpDeps,
): Promise<OwnerOutcome> => {
  const { firing, causationId } = trigger;
  return lookAtTicket<FollowUpState>(
    'followup',
    tenantId,
    ticketId,
    trigger,
    deps,
    async (look): Promise<OwnerDecision<FollowUpState> | null> => {
      const { ticket, config, current, now } = look;
      const prior = current?.state ?? EMPTY;
      const fold = await resumeFold<FollowUpCheckpoint>('followup', look, deps, () =>
        deps.tickets.log(tenantId, ticketId),
      );
      const { model: folded, quietUntil } = settledView(
        fold.marks,
        now,
        (at) => followUpsFrom(fold.from, fold.events, config, at),
        (l) =>
          l.model.followUps.filter((f) => announceable(f) && !prior.seen[f.key]).map((f) => f.at ?? f.dueAt),
      );
      const { model, checkpoint, settled } = folded;
      // Heed's actions become events (same write path, deduped by id); those of other tickets
      // (a linked ticket's opening) are remembered, as this ticket's log never shows them.
      const logged = new Set(prior.logged);
      const heedEvents = model.actions
        .filter((a) => a.event.ticketId === ticketId || !logged.has(a.event.id))
        .map((a) => ({ event: a.event, ...(a.event.type === 'ticket.opened' && { createOnly: true }) }));
      for (const { event } of heedEvents) if (event.ticketId !== ticketId) logged.add(event.id);
      const ctx = { ticket, causationId, now };
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
          marked(await survey(f, config, deps, ctx), f.key, 'sent', now.toISOString());
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
      const changed =
        announcements.length > 0 ||
        fresh.length > 0 ||
        solvesNew > 0 ||
        reopensNew > 0 ||
        logged.size > prior.logged.length ||
        current?.state.shape !== shape;
      // Nothing new since the last look (a firing always commits: it must move its timer on).
      const stored = fold.after(checkpoint, now, settled);
      if (!firing && !changed && heedEvents.length === 0 && stored.items.length === 0) return null;
      const state: FollowUpState = {
        ...stored.state,
        seen: seenAfter(announcements.length),
        linked: model.linked.length,
        logged: [...logged],
        answered: [...prior.answered, ...fresh.map((x) => x.cycle)],
        solves: Math.max(prior.solves, model.solves),
        reopens: Math.max(prior.reopens, ticket.reopenCount),
        shape,
      };
      // An earlier commit of a long backfill records only what it announced.
      const commits = announcementCommits(
        deps.deliveries,
        tenantId,
        ticketId,
        announcements.map((x) => x.a),
        (count) =>
          count === announcements.length
            ? state
            : { ...prior, ...fold.kept, seen: seenAfter(count), logged: [...logged] },
      );
      return {
        heedEvents,
        commits: withLastItems(commits, stored.items),
        dueAt: quietUntil ?? (model.nextWakeUp ? new Date(model.nextWakeUp) : null),
        committed: () => {
          for (const { a } of announcements) {
            const type = a.activity.type;
            if (type === 'followup.survey' || type === 'followup.reminder') {
              const kind = type === 'followup.survey' ? 'survey' : 'reminder';
              recordMetric('FollowUpsSent', MetricUnit.Count, 1);
              recordMetric('FollowUpsSent', MetricUnit.Count, 1, { kind });
              if (kind === 'survey') recordMetric('SurveysSent', MetricUnit.Count, 1);
            }
            if (type === 'followup.closed') recordMetric('AutoClosed', MetricUnit.Count, 1);
            if (type === 'followup.linked') recordMetric('LinkedTicketsOpened', MetricUnit.Count, 1);
          }
          for (const x of fresh) {
            recordMetric('SurveysAnswered', MetricUnit.Count, 1);
            recordMetric('CsatScore', MetricUnit.Count, x.score);
            recordMetric('CsatResponses', MetricUnit.Count, 1, { score: String(x.score) });
          }
          if (solvesNew > 0) recordMetric('TicketsSolved', MetricUnit.Count, solvesNew);
          if (reopensNew > 0) recordMetric('Reopened', MetricUnit.Count, reopensNew);
        },
      };
    },
    resumePointOf,
  );
};
