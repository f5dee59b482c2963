import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DomainEvent,
  type InboundEvent,
  parseDomainEvent,
  parseTimerFiring,
  type TimerFiring,
  type TimerOwner,
} from '@heed/contracts';
import type { Activity, DynamoDeliveryStore, NewDelivery } from './delivery-store';
import { MetricUnit, recordMetric } from './powertools';
import type { TimerPort } from './timer-policy';
import { type DynamoTimerStore, TimerConflictError, type TimerItem } from './timer-store';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** One of Heed's own events an owner decided on: appended to a ticket's log (this one or a linked one). */
export interface HeedEventToRecord {
  readonly event: InboundEvent;
  /** Only if that ticket is not opened yet (a linked ticket's opening). */
  readonly createOnly?: boolean;
}

/**
 * What an owner decided after looking at a ticket again: Heed's events to log, its new state,
 * the writes, the next wake-up. The runner does the writing.
 */
export interface OwnerDecision<S> {
  /** Logged first, through the ticket write path (deduped by id, so a retry logs nothing twice). */
  readonly heedEvents?: readonly HeedEventToRecord[];
  /**
   * Commits in order, each with the owner's state as of that commit (a backfill may announce more
   * than one transaction can hold); the last one also sets the timer.
   */
  readonly commits: readonly { readonly state: S; readonly items: readonly TransactItem[] }[];
  readonly dueAt: Date | null;
  /** Runs after everything is committed (metrics: counted once, when the commit won). */
  readonly committed?: () => void;
}

export type OwnerOutcome = 'stale' | 'early' | 'done' | 'nothing';

/** What an owner writes to say what happened: a timeline activity with its domain events, maybe a message. */
export interface Announcement {
  readonly activity: Activity;
  readonly emits: readonly DomainEvent[];
  readonly delivery?: NewDelivery;
}

/** Announcements per commit: each is up to two items (activity with its outbox, a delivery) of a transaction's 100. */
const ANNOUNCEMENTS_PER_COMMIT = 40;

/**
 * The commits that write `announcements` (at least one, to move the timer): a backfill may
 * announce more than one transaction holds, so each commit carries the owner's state as of the
 * announcements written so far (`stateAfter(count)`), and a crash in between resumes from there.
 */
export const announcementCommits = <S>(
  deliveries: Pick<DynamoDeliveryStore, 'activityPut' | 'deliveryPut'>,
  tenantId: string,
  ticketId: string,
  announcements: readonly Announcement[],
  stateAfter: (count: number) => S,
): OwnerDecision<S>['commits'] => {
  const commits: OwnerDecision<S>['commits'][number][] = [];
  for (let i = 0; i < announcements.length || commits.length === 0; i += ANNOUNCEMENTS_PER_COMMIT) {
    const chunk = announcements.slice(i, i + ANNOUNCEMENTS_PER_COMMIT);
    commits.push({
      state: stateAfter(i + chunk.length),
      items: chunk.flatMap((a) => [
        deliveries.activityPut(tenantId, ticketId, a.activity, a.emits),
        ...(a.delivery ? [deliveries.deliveryPut(a.delivery)] : []),
      ]),
    });
  }
  return commits;
};

const firingOf = (
  timer: Pick<TimerItem<unknown>, 'owner' | 'tenantId' | 'ticketId'>,
  generation: number,
  dueAt: Date,
): TimerFiring => ({
  kind: 'timer',
  owner: timer.owner,
  tenantId: timer.tenantId,
  ticketId: timer.ticketId,
  generation,
  dueAt: dueAt.toISOString(),
});

/** Arms a pending timer again (arming replaces the one timer of its ticket and owner). */
const rearm = async (port: TimerPort, current: TimerItem<unknown> | null): Promise<void> => {
  if (current?.status === 'pending' && current.dueAt)
    await port.arm(firingOf(current, current.generation, new Date(current.dueAt)));
};

/** A firing this early is sent again for its due time (Scheduler may be up to a minute late, never early; SQS delays are whole seconds). */
const EARLY_TOLERANCE_MS = 1_000;
const MAX_ATTEMPTS = 8;

/**
 * The loop every timer owner runs when something about a ticket may have changed (a bus event)
 * or its timer fired (DESIGN §6):
 * - a firing of another generation, or of a timer with nothing due, is stale: nothing happens;
 * - a firing that arrives early is re-delayed to its due time;
 * - otherwise the owner decides from the ticket's log, and its state, outbox and next timer are
 *   committed through a conditional write on the generation it read. A concurrent run (another
 *   event, a duplicate firing) makes one of them re-read and decide again, so every announcement
 *   is committed once. Then the next timer is armed; if arming fails the timer is still in the
 *   sweeper's index, and the error retries the message.
 */
export const runTimerOwner = async <S>(args: {
  readonly owner: TimerOwner;
  readonly tenantId: string;
  readonly ticketId: string;
  readonly firing: TimerFiring | null;
  /**
   * The message was received before (a retry): if nothing changed, or its firing is now stale,
   * the timer is armed again, in case the previous attempt committed and then failed to arm it
   * or lost the commit's reply.
   */
  readonly retry?: boolean;
  readonly now: Date;
  readonly timers: Pick<DynamoTimerStore, 'get' | 'commit'>;
  readonly port: TimerPort;
  /** Logs one of Heed's events (the ticket write path). */
  readonly record: (heed: HeedEventToRecord) => Promise<void>;
  readonly decide: (current: TimerItem<S> | null) => Promise<OwnerDecision<S> | null>;
}): Promise<OwnerOutcome> => {
  const { owner, tenantId, ticketId, firing, now } = args;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await args.timers.get<S>(owner, tenantId, ticketId);
    if (firing) {
      // A failed timer's firing counts when an operator redrives it from the DLQ.
      if (!current || current.generation !== firing.generation || current.status === 'idle') {
        // A retried firing may be the one whose commit won and lost its reply (so the commit's
        // generation makes it look stale): the timer it committed was never armed.
        if (args.retry) await rearm(args.port, current);
        return 'stale';
      }
      const dueMs = Date.parse(firing.dueAt);
      if (now.getTime() < dueMs - EARLY_TOLERANCE_MS) {
        await args.port.arm(firing);
        return 'early';
      }
      // The owner is the function's own `service` dimension.
      recordMetric('TimerLag', MetricUnit.Milliseconds, Math.max(0, now.getTime() - dueMs));
    }
    const decision = await args.decide(current);
    if (!decision) {
      if (args.retry) await rearm(args.port, current);
      return 'nothing';
    }
    // Logged before the commit that stands for them: a crash in between re-decides and logs nothing twice.
    for (const heed of decision.heedEvents ?? []) await args.record(heed);
    let generation = current?.generation ?? null;
    try {
      for (const [i, commit] of decision.commits.entries()) {
        const last = i === decision.commits.length - 1;
        generation = await args.timers.commit({
          owner,
          tenantId,
          ticketId,
          expected: generation,
          // Until the last commit the old timer stays as it was: a crash in between is resumed.
          dueAt: last ? decision.dueAt : current?.dueAt ? new Date(current.dueAt) : null,
          state: commit.state,
          now,
          items: commit.items,
        });
      }
    } catch (error) {
      if (error instanceof TimerConflictError) continue;
      throw error;
    }
    decision.committed?.();
    // Settled: a schedule armed for later would only fire for nothing.
    if (!decision.dueAt && current?.status === 'pending' && current.scheduled)
      await args.port.disarm(owner, tenantId, ticketId);
    if (decision.dueAt && generation !== null)
      await args.port.arm(firingOf({ owner, tenantId, ticketId }, generation, decision.dueAt));
    return 'done';
  }
  throw new TimerConflictError(`the ${owner} timer of ${ticketId} kept moving; retry`);
};

/** What a message on an owner's queue asks for: look at this ticket again, because of this. */
export interface OwnerTrigger {
  readonly tenantId: string;
  readonly ticketId: string;
  /** The timer firing, or null for a ticket event from the bus. */
  readonly firing: TimerFiring | null;
  readonly causationId: string;
}

/** Reads a message of an owner's queue: a timer firing or a domain event (throws if neither). */
export const ownerTrigger = (body: string): OwnerTrigger => {
  const firing = parseTimerFiring(body);
  if (firing)
    return {
      tenantId: firing.tenantId,
      ticketId: firing.ticketId,
      firing,
      causationId: `timer:${firing.owner}:${firing.generation}`,
    };
  const { detail } = parseDomainEvent(body);
  return { tenantId: detail.tenantId, ticketId: detail.ticketId, firing: null, causationId: detail.eventId };
};
