import {
  announcementCommits,
  type ConfigSource,
  type DynamoDeliveryStore,
  type DynamoTicketStore,
  digestOf,
  lookAtTicket,
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
import type { MetricName, TimerFiring } from '@heed/contracts';
import {
  type Clock,
  type ClockView,
  type Crossing,
  type SlaCheckpoint,
  type SlaModel,
  slaFrom,
  type TicketState,
} from '@heed/core';
import { announce } from './announce';

/**
 * What the SLA service keeps on a ticket (in its timer item): what it announced, what it saw,
 * and where its next look resumes the fold.
 */
export interface SlaState extends ResumeState {
  /** Keys of the crossings already announced: each is announced once. */
  readonly emitted: readonly string[];
  /**
   * A digest of the model the last time it changed (rule, running clocks but their elapsed
   * time, next wake-up): an event that leaves it unchanged (an internal note, a second customer
   * message) costs no write and no timer call.
   */
  readonly shape: string;
  /**
   * The checkpoint instant `emitted` was last pruned at: the keys of clocks that had stopped
   * before it were dropped (they cannot cross anything again), so that the list does not grow
   * with the ticket. A crossing of such a clock, found again by a whole-log fold (after a late
   * event), counts as announced: the read API shows the corrected clock, nobody is told again.
   */
  readonly settledBefore?: number;
}

const CLOCK_KINDS: readonly string[] = ['first_response', 'next_response', 'resolution'];

/** The clock (`kind:cycle`) an announced key belongs to, or null for transfers, low scores and metrics. */
const clockOfKey = (key: string): string | null => {
  if (key === FIRST_RESPONSE_TIME) return null;
  const [kind, cycle] = key.split(':');
  return kind && CLOCK_KINDS.includes(kind) ? `${kind}:${cycle}` : null;
};

/** Clocks of the model that stopped before `at`, as `kind:cycle`. */
const stoppedBefore = (model: SlaModel, at: number): Set<string> =>
  new Set(
    model.clocks
      .filter((c) => c.stoppedAt !== null && Date.parse(c.stoppedAt) < at)
      .map((c) => `${c.kind}:${c.cycle}`),
  );

export interface SlaDeps {
  readonly tickets: Pick<DynamoTicketStore, 'log' | 'logFrom' | 'get' | 'record'>;
  readonly configs: ConfigSource;
  readonly deliveries: Pick<DynamoDeliveryStore, 'activityPut' | 'deliveryPut'>;
  readonly timers: TicketOwnerDeps['timers'];
  readonly port: TimerPort;
  readonly clock: Clock;
}

/** Counted once per ticket, when its first public reply stops the first-response clock. */
const FIRST_RESPONSE_TIME = 'first_response:1:time';

const OUTCOME_METRIC = { warning: 'SlaWarnings', breach: 'SlaBreaches', met: 'SlaMet' } as const;

/**
 * Each count goes out twice: as a total (what alarms and rates read; an alarm cannot sum across
 * dimensions) and by clock or reason for the dashboard's breakdown. Rule names stay out of the
 * dimensions: each combination is a billed custom metric.
 */
const metricsOf = (crossings: readonly Crossing[], firstResponse: ClockView | null) => () => {
  for (const c of crossings) {
    const [name, dimensions]: [MetricName, Record<string, string>] =
      c.type === 'escalation'
        ? ['Escalations', { reason: c.escalation.reason }]
        : [OUTCOME_METRIC[c.type], { clock: c.clock }];
    recordMetric(name, MetricUnit.Count, 1);
    recordMetric(name, MetricUnit.Count, 1, dimensions);
  }
  // In the clock's own hours (business time for a business-hours rule), met or not.
  if (firstResponse)
    recordMetric('FirstResponseTime', MetricUnit.Seconds, Math.round(firstResponse.elapsedMinutes * 60));
};

/**
 * Is an escalation still worth telling people about? Always when announced on time. Announced
 * late (a backfill, an outage), only while it can still be acted on: its clock still running,
 * or for a transfer or low-score escalation, the ticket not solved or closed.
 */
/** The clock an SLA escalation is about, as the model has it now. */
const clockOf = (crossing: Crossing, model: SlaModel): { clock?: ClockView } => {
  if (crossing.type !== 'escalation' || crossing.escalation.reason !== 'sla') return {};
  const e = crossing.escalation;
  const clock = model.clocks.find((c) => c.kind === e.clock && c.cycle === e.cycle);
  return clock ? { clock } : {};
};

const actionable = (crossing: Crossing, model: SlaModel, ticket: TicketState): boolean => {
  if (crossing.type !== 'escalation') return false;
  const e = crossing.escalation;
  if (e.reason === 'sla')
    return model.clocks.some((c) => c.kind === e.clock && c.cycle === e.cycle && c.stoppedAt === null);
  return ticket.status !== 'solved' && ticket.status !== 'closed';
};

/**
 * What of the model, if it changed, must be written (the read API re-folds; this only detects
 * change). Crossings are announced when they happen, and stopped clocks leave the fold's
 * checkpoint, so the running clocks say what matters.
 */
const shapeOf = (model: SlaModel): string =>
  digestOf([
    model.rule,
    model.nextWakeUp,
    model.clocks.filter((c) => c.stoppedAt === null).map((c) => ({ ...c, elapsedMinutes: null })),
  ]);

/**
 * Looks at a ticket again (on any of its events, or when its SLA timer fires): folds the SLA
 * model from its checkpoint and the events after it (the whole ordered log when there is none,
 * the configuration changed, or an event arrived late), logs the escalation ladder's actions
 * through the ticket write path, announces every crossing not announced yet with its true
 * instant, and moves the ticket's SLA timer to the next one.
 */
export const reconcileSla = async (
  tenantId: string,
  ticketId: string,
  trigger: { readonly firing: TimerFiring | null; readonly causationId: string; readonly retry?: boolean },
  deps: SlaDeps,
): Promise<OwnerOutcome> => {
  const { firing, causationId } = trigger;
  return lookAtTicket<SlaState>(
    'sla',
    tenantId,
    ticketId,
    trigger,
    deps,
    async (look): Promise<OwnerDecision<SlaState> | null> => {
      const { ticket, config, current, now } = look;
      const emitted = new Set(current?.state.emitted ?? []);
      const settledBefore = current?.state.settledBefore ?? null;
      const fold = await resumeFold<SlaCheckpoint>('sla', look, deps, () =>
        deps.tickets.log(tenantId, ticketId),
      );
      const { model: folded, quietUntil } = settledView(
        fold.marks,
        now,
        (at) => slaFrom(fold.from, fold.events, config, at),
        (l) => l.model.crossings.filter((c) => !emitted.has(c.key)).map((c) => c.at),
      );
      const { model, checkpoint, settled: left } = folded;
      const settled = settledBefore === null ? new Set<string>() : stoppedBefore(model, settledBefore);
      const fresh = model.crossings.filter(
        (c) => !emitted.has(c.key) && !settled.has(clockOfKey(c.key) ?? ''),
      );
      const answered = model.clocks.find(
        (c) =>
          c.kind === 'first_response' &&
          c.cycle === 1 &&
          (c.status === 'met' || c.status === 'breached') &&
          c.stoppedAt,
      );
      const firstResponse = answered && !emitted.has(FIRST_RESPONSE_TIME) ? answered : null;
      const extraKeys = firstResponse ? [FIRST_RESPONSE_TIME] : [];
      const shape = shapeOf(model);
      const stored = fold.after(checkpoint, now, left);
      // Nothing new since the last look (a firing always commits: it must move its timer on).
      if (
        !firing &&
        current?.state.shape === shape &&
        fresh.length === 0 &&
        !firstResponse &&
        model.actions.length === 0 &&
        stored.items.length === 0
      )
        return null;
      const announced = fresh.map((crossing) =>
        announce({
          crossing,
          ticket,
          causationId,
          now,
          actionable: actionable(crossing, model, ticket),
          staleAfterMs: config.sla.staleAfter * 60_000,
          ...clockOf(crossing, model),
        }),
      );
      // With a new checkpoint, the keys of clocks stopped before it go (see `settledBefore`).
      const pruneAt = stored.items.length > 0 ? (stored.state.resume?.at ?? null) : null;
      const over = pruneAt === null ? new Set<string>() : stoppedBefore(model, pruneAt);
      const commits = announcementCommits(deps.deliveries, tenantId, ticketId, announced, (count) => {
        const done = count === fresh.length;
        const keys = [...emitted, ...fresh.slice(0, count).map((c) => c.key), ...(done ? extraKeys : [])];
        return {
          emitted: done && pruneAt !== null ? keys.filter((k) => !over.has(clockOfKey(k) ?? '')) : keys,
          ...(done && pruneAt !== null
            ? { settledBefore: pruneAt }
            : settledBefore !== null && { settledBefore }),
          shape,
          // The new checkpoint only with the last commit: it stands for every crossing announced.
          ...(done ? stored.state : fold.kept),
        };
      });
      return {
        // The ladder's actions become events of the ticket (same write path, deduped by id).
        heedEvents: model.actions.map((a) => ({ event: a.event })),
        commits: withLastItems(commits, stored.items),
        dueAt: quietUntil ?? (model.nextWakeUp ? new Date(model.nextWakeUp) : null),
        committed: metricsOf(fresh, firstResponse),
      };
    },
    resumePointOf,
  );
};
