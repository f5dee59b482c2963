import { createHash } from 'node:crypto';
import type { TenantConfig, TimerFiring, TimerOwner } from '@heed/contracts';
import {
  type Clock,
  emptyTicket,
  foldEvents,
  type LoggedEvent,
  type Resumable,
  type TicketState,
  ticketReference,
} from '@heed/core';
import { logger } from './powertools';
import { type LogMarks, marksOf } from './settle-history';
import type { ConfigSource } from './tenant-store';
import { type DynamoTicketStore, type LogItem, loggedEventsOf } from './ticket-store';
import { type OwnerDecision, type OwnerOutcome, runTimerOwner } from './timer-owner';
import type { TimerPort } from './timer-policy';
import type { DynamoTimerStore, TimerItem } from './timer-store';

export interface TicketOwnerDeps {
  readonly tickets: Pick<DynamoTicketStore, 'log' | 'logFrom' | 'get' | 'record'>;
  readonly configs: ConfigSource;
  readonly timers: Pick<DynamoTimerStore, 'get' | 'commit' | 'checkpoint' | 'checkpointPut' | 'settledPuts'>;
  readonly port: TimerPort;
  readonly clock: Clock;
}

/**
 * What an owner sees when it looks at a ticket: its ordered log (the whole of it, or from its
 * checkpoint on), the ticket, and its own timer.
 */
export interface TicketLook<S> {
  readonly log: readonly LogItem[];
  /** The stored checkpoint the look resumes from (`log` then holds the events from its instant on), or null. */
  readonly checkpoint: unknown;
  readonly events: readonly LoggedEvent[];
  readonly ticket: TicketState;
  readonly config: TenantConfig;
  readonly current: TimerItem<S> | null;
  readonly now: Date;
}

/**
 * A timer owner's look at a ticket (DESIGN §6). SQS keeps no order, so a message only says which
 * ticket. With a checkpoint (`resumeOf`), the look reads the ticket's state item and the log from
 * the checkpoint's instant on: the work does not grow with the ticket's length. When the log
 * holds more events than the checkpoint and that tail account for (an event arrived late, before
 * the checkpoint), it reads and folds the whole log instead. Nothing when the ticket is not
 * opened yet.
 */
export const lookAtTicket = <S>(
  owner: TimerOwner,
  tenantId: string,
  ticketId: string,
  trigger: { readonly firing: TimerFiring | null; readonly retry?: boolean },
  deps: TicketOwnerDeps,
  decide: (look: TicketLook<S>) => Promise<OwnerDecision<S> | null>,
  resumeOf: (current: TimerItem<S> | null) => Resumable | null = () => null,
): Promise<OwnerOutcome> => {
  const now = deps.clock.now();
  return runTimerOwner<S>({
    owner,
    tenantId,
    ticketId,
    firing: trigger.firing,
    retry: trigger.retry ?? false,
    now,
    timers: deps.timers,
    port: deps.port,
    record: async ({ event, createOnly }) => {
      const outcome = await deps.tickets.record(
        tenantId,
        { event, actor: 'heed', ...(createOnly && { createOnly }) },
        now,
      );
      if (createOnly && outcome.status === 'conflict')
        logger.error('a ticket Heed would open was opened already by another event; not opened again', {
          ticketId: event.ticketId,
        });
    },
    decide: async (current) => {
      const resume = resumeOf(current);
      if (resume) {
        // The state item first: whatever the tail then holds, it holds at least what the state counts.
        const [state, checkpoint] = await Promise.all([
          deps.tickets.get(tenantId, ticketId),
          deps.timers.checkpoint(owner, tenantId, ticketId),
        ]);
        if (!state?.opened) return null;
        const tail = checkpoint ? await deps.tickets.logFrom(tenantId, ticketId, resume.at) : [];
        if (checkpoint && accountsFor(resume, tail, state.eventCount)) {
          const events = loggedEventsOf(tail);
          const config = await deps.configs.configOf(tenantId);
          return decide({
            log: tail,
            checkpoint,
            events,
            ticket: state,
            config,
            current,
            now,
          });
        }
      }
      const log = await deps.tickets.log(tenantId, ticketId);
      if (log.length === 0) return null;
      const events = loggedEventsOf(log);
      const ticket = foldEvents(
        emptyTicket(tenantId, ticketId, ticketReference(tenantId, ticketId)),
        events.map((e) => e.event),
      );
      if (!ticket.opened) return null;
      const config = await deps.configs.configOf(tenantId);
      return decide({ log, checkpoint: null, events, ticket, config, current, now });
    },
  });
};

/**
 * Does a checkpoint and the log read from its instant on hold the whole history the ticket
 * counts? Not when an event arrived late, before the checkpoint: then fold the whole log.
 */
export const accountsFor = (resume: Resumable, tail: readonly unknown[], eventCount: number): boolean =>
  resume.folded + tail.length >= eventCount;

/**
 * What an owner keeps in its timer item about its fold's checkpoint (`slaFrom`, `followUpsFrom`):
 * where it resumes and under which configuration. The checkpoint itself is an item of its own,
 * written only every few dozen events, so the timer item stays as small as it was.
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

/**
 * A checkpoint is stored once this many events came after the stored one (or after the start):
 * short tickets never pay for one, and a long one re-reads at most this many events per look.
 */
const CHECKPOINT_AFTER_EVENTS = 20;

/** A short digest of a JSON value: what an owner stores to tell whether something changed. */
export const digestOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

/** What to fold, from where, and what to store after. */
export interface ResumedFold<C> {
  /** The checkpoint to fold from (null: fold `events`, the whole log). */
  readonly from: C | null;
  readonly events: readonly LoggedEvent[];
  readonly marks: LogMarks;
  /**
   * What the last commit stores given the look's new checkpoint: the timer state's `resume`,
   * and the checkpoint's own write when it is stored now.
   */
  readonly after: (
    checkpoint: C | null,
    now: Date,
    settled: unknown,
  ) => { state: ResumeState; items: readonly TransactItem[] };
  /** The `resume` of an earlier commit of a long backfill: the stored one, still true. */
  readonly kept: ResumeState;
}

type TransactItem = ReturnType<DynamoTimerStore['checkpointPut']>;

/**
 * Where an owner's fold starts: its stored checkpoint and the tail `lookAtTicket` read, unless
 * the checkpoint was folded under another configuration (then the whole log, read here).
 */
export const resumeFold = async <C extends Resumable>(
  owner: TimerOwner,
  look: TicketLook<ResumeState>,
  deps: Pick<TicketOwnerDeps, 'timers'>,
  readAll: () => Promise<readonly LogItem[]>,
): Promise<ResumedFold<C>> => {
  const pointer = look.current?.state.resume ?? null;
  const configKey = digestOf(look.config);
  const stored = (look.checkpoint as C | null) ?? null;
  const valid = stored !== null && pointer?.configKey === configKey;
  const history = stored !== null && !valid ? await readAll() : look.log;
  const events = history === look.log ? look.events : loggedEventsOf(history);
  const from = valid ? stored : null;
  const before = (valid && pointer?.receivedBefore) || 0;
  const marks = marksOf(history);
  const kept: ResumeState = valid ? { resume: pointer } : { resume: null };
  const { tenantId, ticketId } = look.ticket;
  return {
    from,
    events,
    marks: { ...marks, received: Math.max(marks.received, before) },
    after: (checkpoint, now, settled) => {
      const behind = events.filter((e) => Date.parse(e.event.occurredAt) >= (from?.at ?? 0)).length;
      // Not ahead of now (an event stamped ahead): a later look could not resume from it.
      if (!checkpoint || checkpoint.at > now.getTime() || behind < CHECKPOINT_AFTER_EVENTS)
        return { state: kept, items: [] };
      const receivedBefore = Math.max(
        before,
        ...history
          .filter((l) => Date.parse(l.event.occurredAt) < checkpoint.at)
          .map((l) => Date.parse(l.receivedAt)),
      );
      const here = { at: checkpoint.at, folded: checkpoint.folded };
      // A fold of the whole log starts a chain; a resumed one extends the chain it resumed.
      const settledFrom = from ? pointer?.settledFrom : here;
      return {
        state: {
          resume: { ...here, configKey, receivedBefore, ...(settledFrom && { settledFrom }) },
        },
        items: [
          deps.timers.checkpointPut(owner, tenantId, ticketId, checkpoint),
          ...deps.timers.settledPuts(owner, tenantId, ticketId, checkpoint, settled),
        ],
      };
    },
    kept,
  };
};

/** Where `lookAtTicket` resumes an owner that keeps a checkpoint. */
export const resumePointOf = (current: TimerItem<ResumeState> | null): Resumable | null => {
  const resume = current?.state.resume;
  return resume ? { at: resume.at, folded: resume.folded } : null;
};

/** The commits with `items` added to the last (it stands for everything the look announced). */
export const withLastItems = <S>(
  commits: OwnerDecision<S>['commits'],
  items: readonly TransactItem[],
): OwnerDecision<S>['commits'] =>
  items.length === 0
    ? commits
    : commits.map((c, i) => (i === commits.length - 1 ? { ...c, items: [...c.items, ...items] } : c));
