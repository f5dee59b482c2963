import { createHash } from 'node:crypto';
import {
  type ConfigSource,
  type DynamoDeliveryStore,
  type DynamoTicketStore,
  type DynamoTimerStore,
  type LogItem,
  loggedEventsOf,
  logger,
  MetricUnit,
  recordMetric,
  TimerConflictError,
  type TimerItem,
  type TimerPort,
} from '@heed/aws';
import type { TimerFiring, TimerOwner } from '@heed/contracts';
import {
  type Clock,
  emptyTicket,
  foldEvents,
  type Resumable,
  type TicketState,
  ticketReference,
} from '@heed/core';
import { marksOf, settledView } from './settling';
import type { Announcement, OwnerDecision, OwnerLook, OwnerTrigger, TimerWorkflow } from './workflow';

/** What the runner needs: the ticket's log and state, the owner's timer, the scheduler. */
export interface OwnerDeps {
  readonly tickets: Pick<DynamoTicketStore, 'log' | 'logFrom' | 'get' | 'record'>;
  readonly configs: ConfigSource;
  readonly deliveries: Pick<DynamoDeliveryStore, 'activityPut' | 'deliveryPut'>;
  readonly timers: Pick<DynamoTimerStore, 'get' | 'commit' | 'checkpoint' | 'checkpointPut' | 'settledPuts'>;
  readonly port: TimerPort;
  readonly clock: Clock;
}

export type OwnerOutcome = 'stale' | 'early' | 'done' | 'nothing';

/**
 * What the runner keeps in an owner's timer item about its fold's checkpoint: where it resumes
 * and under which configuration. The checkpoint itself is an item of its own, written only every
 * few dozen events, so the timer item stays as small as it was.
 */
export interface ResumeState {
  readonly resume?: {
    readonly at: number;
    readonly folded: number;
    /** Digest of the configuration the checkpoint was folded under. */
    readonly configKey: string;
    /** The newest receipt among the events before the checkpoint (a history may still be arriving). */
    readonly receivedBefore: number;
    /**
     * The first checkpoint of this chain (the one a fold of the whole log stored): from it to
     * this one, the settled items hold everything the checkpoints left out of the model.
     * Absent on a chain stored before settled items existed (the read API then folds the log).
     */
    readonly settledFrom?: Resumable;
  } | null;
}

/** The state an owner's timer item holds: the workflow's own, and the runner's resume pointer. */
export type Stored<S> = S & ResumeState;

/**
 * A checkpoint is stored once this many events came after the stored one (or after the start):
 * short tickets never pay for one, and a long one re-reads at most this many events per look.
 */
const CHECKPOINT_AFTER_EVENTS = 20;

/** Announcements per commit: each is up to two items (activity with its outbox, a delivery) of a transaction's 100. */
const ANNOUNCEMENTS_PER_COMMIT = 40;

/** A firing this early is sent again for its due time (Scheduler may be up to a minute late, never early; SQS delays are whole seconds). */
const EARLY_TOLERANCE_MS = 1_000;
const MAX_ATTEMPTS = 8;

/** A short digest of a JSON value: what an owner stores to tell whether something changed. */
export const digestOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

/**
 * Does a checkpoint and the log read from its instant on hold the whole history the ticket
 * counts? Not when an event arrived late, before the checkpoint: then fold the whole log.
 */
export const accountsFor = (resume: Resumable, tail: readonly unknown[], eventCount: number): boolean =>
  resume.folded + tail.length >= eventCount;

type TransactItem = ReturnType<DynamoTimerStore['checkpointPut']>;

/** A look the runner prepared: what the workflow sees, and what its commit stores about the fold. */
interface Prepared<S, M> {
  readonly look: OwnerLook<S, M>;
  /** The resume pointer and checkpoint items of the last commit; `kept` for earlier ones. */
  readonly stored: { readonly state: ResumeState; readonly items: readonly TransactItem[] };
  readonly kept: ResumeState;
  readonly quietUntil: Date | null;
}

/** The ticket's history from where the owner's fold resumes, and the ticket as it stands. */
interface History<C> {
  readonly log: readonly LogItem[];
  readonly ticket: TicketState;
  /** The checkpoint to resume from (null: `log` is the whole log). */
  readonly from: C | null;
}

/**
 * Reads what a look folds. With a checkpoint folded under today's configuration, the ticket's
 * state item and the log from the checkpoint's instant on: the work does not grow with the
 * ticket's length. When that tail holds fewer events than the ticket counts (one arrived late,
 * before the checkpoint), or there is no usable checkpoint, the whole log. Null when the ticket
 * is not opened yet.
 */
const readHistory = async <C>(
  owner: TimerOwner,
  trigger: OwnerTrigger,
  pointer: ResumeState['resume'],
  configKey: string,
  deps: OwnerDeps,
): Promise<History<C> | null> => {
  const { tenantId, ticketId } = trigger;
  if (pointer && pointer.configKey === configKey) {
    // The state item first: whatever the tail then holds, it holds at least what the state counts.
    const [state, checkpoint] = await Promise.all([
      deps.tickets.get(tenantId, ticketId),
      deps.timers.checkpoint<C>(owner, tenantId, ticketId),
    ]);
    if (!state?.opened) return null;
    if (checkpoint) {
      const tail = await deps.tickets.logFrom(tenantId, ticketId, pointer.at);
      if (accountsFor(pointer, tail, state.eventCount)) return { log: tail, ticket: state, from: checkpoint };
    }
  }
  const log = await deps.tickets.log(tenantId, ticketId);
  if (log.length === 0) return null;
  const ticket = foldEvents(
    emptyTicket(tenantId, ticketId, ticketReference(tenantId, ticketId)),
    log.map((l) => l.event),
  );
  return ticket.opened ? { log, ticket, from: null } : null;
};

/** Reads and folds what a workflow decides from, and what the commit stores about the fold. */
const prepare = async <S, M, C extends Resumable, Settled>(
  workflow: TimerWorkflow<S, M, C, Settled>,
  trigger: OwnerTrigger,
  current: TimerItem<Stored<S>> | null,
  deps: OwnerDeps,
  now: Date,
): Promise<Prepared<S, M> | null> => {
  const { owner } = workflow;
  const config = await deps.configs.configOf(trigger.tenantId);
  const configKey = digestOf(config);
  const pointer = current?.state.resume ?? null;
  const history = await readHistory<C>(owner, trigger, pointer, configKey, deps);
  if (!history) return null;
  const { log, ticket, from } = history;
  const events = loggedEventsOf(log);
  const before = (from && pointer?.receivedBefore) || 0;
  const marks = marksOf(log);
  const prior = current?.state ?? null;
  const { model: folded, quietUntil } = settledView(
    { ...marks, received: Math.max(marks.received, before) },
    now,
    (at) => workflow.fold(from, events, config, at),
    (l) => workflow.unannounced(l.model, prior),
  );
  const kept: ResumeState = from ? { resume: pointer } : { resume: null };
  const { checkpoint, settled } = folded;
  const behind = events.filter((e) => Date.parse(e.event.occurredAt) >= (from?.at ?? 0)).length;
  // Not ahead of now (an event stamped ahead): a later look could not resume from it.
  const stores = checkpoint !== null && checkpoint.at <= now.getTime() && behind >= CHECKPOINT_AFTER_EVENTS;
  let stored: Prepared<S, M>['stored'] = { state: kept, items: [] };
  if (stores) {
    const receivedBefore = Math.max(
      before,
      ...log
        .filter((l) => Date.parse(l.event.occurredAt) < checkpoint.at)
        .map((l) => Date.parse(l.receivedAt)),
    );
    const here = { at: checkpoint.at, folded: checkpoint.folded };
    // A fold of the whole log starts a chain; a resumed one extends the chain it resumed.
    const settledFrom = from ? pointer?.settledFrom : here;
    const { tenantId, ticketId } = trigger;
    stored = {
      state: { resume: { ...here, configKey, receivedBefore, ...(settledFrom && { settledFrom }) } },
      items: [
        deps.timers.checkpointPut(owner, tenantId, ticketId, checkpoint),
        ...deps.timers.settledPuts(owner, tenantId, ticketId, checkpoint, settled),
      ],
    };
  }
  return {
    look: {
      ticket,
      config,
      prior,
      model: folded.model,
      trigger,
      now,
      checkpointAt: stores ? checkpoint.at : null,
    },
    stored,
    kept,
    quietUntil,
  };
};

/**
 * The commits that write a decision (at least one, to move the timer): a backfill may announce
 * more than one transaction holds, so each commit carries the owner's state as of the
 * announcements written so far, and a crash in between resumes from there. The last one also
 * stores the fold's checkpoint: it stands for everything the look announced.
 */
const commitsOf = <S>(
  deps: Pick<OwnerDeps, 'deliveries'>,
  trigger: OwnerTrigger,
  decision: OwnerDecision<S>,
  prepared: Pick<Prepared<S, unknown>, 'stored' | 'kept'>,
): { state: Stored<S>; items: TransactItem[] }[] => {
  const { announcements } = decision;
  const commits: { state: Stored<S>; items: TransactItem[] }[] = [];
  for (let i = 0; i < announcements.length || commits.length === 0; i += ANNOUNCEMENTS_PER_COMMIT) {
    const chunk = announcements.slice(i, i + ANNOUNCEMENTS_PER_COMMIT);
    const count = i + chunk.length;
    const last = count === announcements.length;
    commits.push({
      state: { ...decision.stateAfter(count), ...(last ? prepared.stored.state : prepared.kept) },
      items: [
        ...chunk.flatMap((a: Announcement) => [
          deps.deliveries.activityPut(trigger.tenantId, trigger.ticketId, a.activity, a.emits),
          ...(a.delivery ? [deps.deliveries.deliveryPut(a.delivery)] : []),
        ]),
        ...(last ? prepared.stored.items : []),
      ],
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

/**
 * The one loop of every timer owner, when something about a ticket may have changed (a bus
 * event) or its timer fired (DESIGN §6):
 * - a firing of another generation, or of a timer with nothing due, is stale: nothing happens;
 * - a firing that arrives early is re-delayed to its due time;
 * - otherwise the workflow decides from a look at the ticket (`prepare`); Heed's events it
 *   decided on are logged, and its state, outbox and next timer are committed through a
 *   conditional write on the generation it read. A concurrent run (another event, a duplicate
 *   firing) makes one of them read and decide again, so every announcement is committed once.
 *   Then its metrics are counted and the next timer is armed; if arming fails the timer is still
 *   in the sweeper's index, and the error retries the message.
 * A retried message (`trigger.retry`) whose look finds nothing new, or whose firing is now stale,
 * arms the timer again, in case the previous attempt committed and then failed to arm it or
 * lost the commit's reply.
 */
export const runOwner = async <S, M, C extends Resumable, Settled>(
  workflow: TimerWorkflow<S, M, C, Settled>,
  trigger: OwnerTrigger,
  deps: OwnerDeps,
): Promise<OwnerOutcome> => {
  const { owner } = workflow;
  const { tenantId, ticketId, firing } = trigger;
  const retry = trigger.retry ?? false;
  const now = deps.clock.now();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.timers.get<Stored<S>>(owner, tenantId, ticketId);
    if (firing) {
      // A failed timer's firing counts when an operator redrives it from the DLQ.
      if (!current || current.generation !== firing.generation || current.status === 'idle') {
        // A retried firing may be the one whose commit won and lost its reply (so the commit's
        // generation makes it look stale): the timer it committed was never armed.
        if (retry) await rearm(deps.port, current);
        return 'stale';
      }
      const dueMs = Date.parse(firing.dueAt);
      if (now.getTime() < dueMs - EARLY_TOLERANCE_MS) {
        await deps.port.arm(firing);
        return 'early';
      }
      // The owner is the function's own `service` dimension.
      recordMetric('TimerLag', MetricUnit.Milliseconds, Math.max(0, now.getTime() - dueMs));
    }
    const prepared = await prepare(workflow, trigger, current, deps, now);
    const decision = prepared ? await workflow.decide(prepared.look) : null;
    // Nothing new since the last look (a firing always commits: it must move its timer on).
    const idle =
      !decision ||
      (!firing &&
        !decision.changed &&
        decision.announcements.length === 0 &&
        decision.heedEvents.length === 0 &&
        prepared?.stored.items.length === 0);
    if (!prepared || !decision || idle) {
      if (retry) await rearm(deps.port, current);
      return 'nothing';
    }
    // Logged before the commit that stands for them: a crash in between re-decides and logs nothing twice.
    for (const { event, createOnly } of decision.heedEvents) {
      const outcome = await deps.tickets.record(
        tenantId,
        { event, actor: 'heed', ...(createOnly && { createOnly }) },
        now,
      );
      if (createOnly && outcome.status === 'conflict')
        logger.error('a ticket Heed would open was opened already by another event; not opened again', {
          ticketId: event.ticketId,
        });
    }
    const wakeAt = prepared.quietUntil ?? decision.wakeAt;
    const commits = commitsOf(deps, trigger, decision, prepared);
    let generation = current?.generation ?? null;
    try {
      for (const [i, commit] of commits.entries()) {
        const last = i === commits.length - 1;
        generation = await deps.timers.commit({
          owner,
          tenantId,
          ticketId,
          expected: generation,
          // Until the last commit the old timer stays as it was: a crash in between is resumed.
          dueAt: last ? wakeAt : current?.dueAt ? new Date(current.dueAt) : null,
          state: commit.state,
          now,
          items: commit.items,
        });
      }
    } catch (error) {
      if (error instanceof TimerConflictError) continue;
      throw error;
    }
    // Counted once, when the commit won.
    for (const m of decision.metrics) recordMetric(m.name, m.unit, m.value, m.dimensions);
    // Settled: a schedule armed for later would only fire for nothing.
    if (!wakeAt && current?.status === 'pending' && current.scheduled)
      await deps.port.disarm(owner, tenantId, ticketId);
    if (wakeAt && generation !== null)
      await deps.port.arm(firingOf({ owner, tenantId, ticketId }, generation, wakeAt));
    return 'done';
  }
  throw new TimerConflictError(`the ${owner} timer of ${ticketId} kept moving; retry`);
};
