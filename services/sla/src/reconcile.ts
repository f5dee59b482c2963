import {
  type Announcement,
  digestOf,
  type MetricPoint,
  type OwnerDecision,
  type OwnerDeps,
  type OwnerLook,
  type OwnerOutcome,
  type OwnerTrigger,
  runOwner,
  type TimerWorkflow,
} from '@heed/app';
import { MetricUnit } from '@heed/aws';
import type { MetricName } from '@heed/contracts';
import {
  type ClockView,
  type Crossing,
  type SlaCheckpoint,
  type SlaModel,
  type SlaSettled,
  slaFrom,
  type TicketState,
} from '@heed/core';
import { announce, resolveAnnouncement } from './announce';

/**
 * What the SLA service keeps on a ticket (in its timer item): what it announced, what it saw,
 * and where its next look resumes the fold.
 */
export interface SlaState {
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

export type SlaDeps = OwnerDeps;

/** Counted once per ticket, when its first public reply stops the first-response clock. */
const FIRST_RESPONSE_TIME = 'first_response:1:time';

const OUTCOME_METRIC = { warning: 'SlaWarnings', breach: 'SlaBreaches', met: 'SlaMet' } as const;

/**
 * Each count goes out twice: as a total (what alarms and rates read; an alarm cannot sum across
 * dimensions) and by clock or reason for the dashboard's breakdown. Rule names stay out of the
 * dimensions: each combination is a billed custom metric.
 */
const metricsOf = (crossings: readonly Crossing[], firstResponse: ClockView | null): MetricPoint[] => [
  ...crossings.flatMap((c): MetricPoint[] => {
    const [name, dimensions]: [MetricName, Record<string, string>] =
      c.type === 'escalation'
        ? ['Escalations', { reason: c.escalation.reason }]
        : [OUTCOME_METRIC[c.type], { clock: c.clock }];
    return [
      { name, unit: MetricUnit.Count, value: 1 },
      { name, unit: MetricUnit.Count, value: 1, dimensions },
    ];
  }),
  // In the clock's own hours (business time for a business-hours rule), met or not.
  ...(firstResponse
    ? [
        {
          name: 'FirstResponseTime' as const,
          unit: MetricUnit.Seconds,
          value: Math.round(firstResponse.elapsedMinutes * 60),
        },
      ]
    : []),
];

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
 * The SLA owner's decision over a look: logs the escalation ladder's actions through the ticket
 * write path, announces every crossing not announced yet with its true instant, and wakes at the
 * model's next instant.
 */
const decide = (look: OwnerLook<SlaState, SlaModel>): OwnerDecision<SlaState> => {
  const { ticket, config, prior, model, now, checkpointAt } = look;
  const emitted = new Set(prior?.emitted ?? []);
  const settledBefore = prior?.settledBefore ?? null;
  const settled = settledBefore === null ? new Set<string>() : stoppedBefore(model, settledBefore);
  const fresh = model.crossings.filter((c) => !emitted.has(c.key) && !settled.has(clockOfKey(c.key) ?? ''));
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
  const announcements: Announcement[] = fresh.map((crossing) =>
    announce({
      crossing,
      ticket,
      causationId: look.trigger.causationId,
      now,
      actionable: actionable(crossing, model, ticket),
      staleAfterMs: config.sla.staleAfter * 60_000,
      ...clockOf(crossing, model),
    }),
  );
  // An escalated clock that stopped: its page resolves (only where a PagerDuty webhook would take it).
  const resolved = config.delivery.webhooks.some((w) => w.format === 'pagerduty')
    ? model.clocks.flatMap((clock) => {
        const key = `${clock.kind}:${clock.cycle}`;
        if (clock.stoppedAt === null || emitted.has(`${key}:resolved`) || settled.has(key)) return [];
        const roles = model.crossings.flatMap((c) =>
          c.type === 'escalation' &&
          c.escalation.reason === 'sla' &&
          c.escalation.clock === clock.kind &&
          c.escalation.cycle === clock.cycle &&
          emitted.has(c.key)
            ? c.escalation.actions.notify
            : [],
        );
        return roles.length > 0 ? [{ clock, roles: [...new Set(roles)], key: `${key}:resolved` }] : [];
      })
    : [];
  for (const r of resolved)
    announcements.push(
      resolveAnnouncement({
        clock: r.clock,
        ticket,
        roles: r.roles,
        causationId: look.trigger.causationId,
        now,
      }),
    );
  const announcedKeys = [...fresh.map((c) => c.key), ...resolved.map((r) => r.key)];
  // With a new checkpoint, the keys of clocks stopped before it go (see `settledBefore`).
  const over = checkpointAt === null ? new Set<string>() : stoppedBefore(model, checkpointAt);
  return {
    // The ladder's actions become events of the ticket (same write path, deduped by id).
    heedEvents: model.actions.map((a) => ({ event: a.event })),
    announcements,
    stateAfter: (count) => {
      const done = count === announcements.length;
      const keys = [...emitted, ...announcedKeys.slice(0, count), ...(done ? extraKeys : [])];
      return {
        emitted: done && checkpointAt !== null ? keys.filter((k) => !over.has(clockOfKey(k) ?? '')) : keys,
        ...(done && checkpointAt !== null
          ? { settledBefore: checkpointAt }
          : settledBefore !== null && { settledBefore }),
        shape,
      };
    },
    changed: prior?.shape !== shape || firstResponse !== null,
    wakeAt: model.nextWakeUp ? new Date(model.nextWakeUp) : null,
    metrics: metricsOf(fresh, firstResponse),
  };
};

/**
 * The SLA owner (DESIGN §5, §6): folds the SLA model from its checkpoint and the events after it
 * (the whole ordered log when there is none, the configuration changed, or an event arrived
 * late) and decides what to announce and when to look again.
 */
export const slaWorkflow: TimerWorkflow<SlaState, SlaModel, SlaCheckpoint, SlaSettled> = {
  owner: 'sla',
  fold: slaFrom,
  unannounced: (model, prior) => {
    const emitted = new Set(prior?.emitted ?? []);
    return model.crossings.filter((c) => !emitted.has(c.key)).map((c) => c.at);
  },
  decide,
};

/** Looks at a ticket again (on any of its events, or when its SLA timer fires). */
export const reconcileSla = (
  tenantId: string,
  ticketId: string,
  trigger: Omit<OwnerTrigger, 'tenantId' | 'ticketId'>,
  deps: SlaDeps,
): Promise<OwnerOutcome> => runOwner(slaWorkflow, { tenantId, ticketId, ...trigger }, deps);
