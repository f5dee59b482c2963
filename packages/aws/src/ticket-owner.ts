import { createHash } from 'node:crypto';
import type { TenantConfig, TimerFiring, TimerOwner } from '@heed/contracts';
import {
  type Clock,
  emptyTicket,
  foldEvents,
  type LoggedEvent,
  type TicketState,
  ticketReference,
} from '@heed/core';
import { logger } from './powertools';
import { type LogMarks, marksOf } from './settle-history';
import type { ConfigSource } from './tenant-store';
import type { DynamoTicketStore, LogItem } from './ticket-store';
import { type OwnerDecision, type OwnerOutcome, runTimerOwner } from './timer-owner';
import type { TimerPort } from './timer-policy';
import type { DynamoTimerStore, TimerItem } from './timer-store';

export interface TicketOwnerDeps {
  readonly tickets: Pick<DynamoTicketStore, 'log' | 'logFrom' | 'get' | 'record'>;
  readonly configs: ConfigSource;
  readonly timers: Pick<DynamoTimerStore, 'get' | 'commit'>;
  readonly port: TimerPort;
  readonly clock: Clock;
}

/**
 * What an owner sees when it looks at a ticket: its ordered log (the whole of it, or from its
 * checkpoint on when `resumed`), the ticket, and its own timer.
 */
export interface TicketLook<S> {
  readonly log: readonly LogItem[];
  /** True when `log` holds only the events from the checkpoint's instant on. */
  readonly resumed: boolean;
  readonly events: readonly LoggedEvent[];
  readonly ticket: TicketState;
  readonly config: TenantConfig;
  readonly current: TimerItem<S> | null;
  readonly now: Date;
}

/** Where an owner's fold can resume: the checkpoint's instant and how many events lie before it. */
export interface ResumePoint {
  readonly at: number;
  readonly folded: number;
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
  resumeOf: (current: TimerItem<S> | null) => ResumePoint | null = () => null,
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
        const state = await deps.tickets.get(tenantId, ticketId);
        if (!state?.opened) return null;
        const tail = await deps.tickets.logFrom(tenantId, ticketId, resume.at);
        if (resume.folded + tail.length >= state.eventCount) {
          const events = tail.map((l) => ({ event: l.event, actor: l.actor ?? 'producer' }));
          const config = await deps.configs.configOf(tenantId);
          return decide({ log: tail, resumed: true, events, ticket: state, config, current, now });
        }
      }
      const log = await deps.tickets.log(tenantId, ticketId);
      if (log.length === 0) return null;
      const events: LoggedEvent[] = log.map((l) => ({ event: l.event, actor: l.actor ?? 'producer' }));
      const ticket = foldEvents(
        emptyTicket(tenantId, ticketId, ticketReference(tenantId, ticketId)),
        events.map((e) => e.event),
      );
      if (!ticket.opened) return null;
      const config = await deps.configs.configOf(tenantId);
      return decide({ log, resumed: false, events, ticket, config, current, now });
    },
  });
};

/** What an owner keeps beside its own state to resume its fold (a checkpoint of `slaFrom` or `followUpsFrom`). */
export interface ResumeState<C> {
  readonly checkpoint?: C | null;
  /** Digest of the configuration the checkpoint was folded under. */
  readonly configKey?: string;
  /** The newest receipt among the events before the checkpoint (a history may still be arriving). */
  readonly receivedBefore?: number;
}

/**
 * A look that changes nothing still stores its checkpoint once this many events came after the
 * stored one: the events re-read per look stay few, and a quiet event still costs no write.
 */
const CHECKPOINT_AFTER_EVENTS = 20;

const configKeyOf = (config: TenantConfig): string =>
  createHash('sha256').update(JSON.stringify(config)).digest('base64url').slice(0, 22);

/** What to fold, from where, and what to store after. */
export interface ResumedFold<C> {
  /** The checkpoint to fold from (null: fold `events`, the whole log). */
  readonly from: C | null;
  readonly events: readonly LoggedEvent[];
  readonly marks: LogMarks;
  /** The resume fields of the last commit: the new checkpoint when a later look can resume from it. */
  readonly after: (checkpoint: C | null, now: Date) => ResumeState<C>;
  /** The resume fields of an earlier commit of a long backfill: the stored ones, still true. */
  readonly kept: ResumeState<C>;
  /** Does a look that changed nothing still commit, to store a checkpoint worth storing? */
  readonly worthStoring: (checkpoint: C | null, now: Date) => boolean;
}

/**
 * Where an owner's fold starts: its stored checkpoint and the tail `lookAtTicket` read, unless
 * the checkpoint was folded under another configuration (then the whole log, read here).
 */
export const resumeFold = async <C extends { readonly at: number }>(
  look: TicketLook<ResumeState<C>>,
  readAll: () => Promise<readonly LogItem[]>,
): Promise<ResumedFold<C>> => {
  const state = look.current?.state;
  const configKey = configKeyOf(look.config);
  const stored = state?.checkpoint ?? null;
  const valid = look.resumed && stored !== null && state?.configKey === configKey;
  const history = look.resumed && !valid ? await readAll() : look.log;
  const events =
    history === look.log
      ? look.events
      : history.map((l) => ({ event: l.event, actor: l.actor ?? 'producer' }));
  const from = valid ? stored : null;
  const before = (valid && state?.receivedBefore) || 0;
  const marks = marksOf(history);
  // A checkpoint ahead of now (an event stamped ahead) is not one a later look can resume from.
  const usable = (checkpoint: C | null, now: Date) =>
    checkpoint && checkpoint.at <= now.getTime() ? checkpoint : from;
  return {
    from,
    events,
    marks: { ...marks, received: Math.max(marks.received, before) },
    after: (checkpoint, now) => {
      const next = usable(checkpoint, now);
      const receivedBefore = Math.max(
        before,
        ...history
          .filter((l) => Date.parse(l.event.occurredAt) < (next?.at ?? 0))
          .map((l) => Date.parse(l.receivedAt)),
      );
      return { checkpoint: next, configKey, receivedBefore };
    },
    kept: valid ? { checkpoint: stored, configKey, receivedBefore: before } : {},
    worthStoring: (checkpoint, now) =>
      (!valid && usable(checkpoint, now) !== null) ||
      events.filter((e) => Date.parse(e.event.occurredAt) >= (from?.at ?? 0)).length >=
        CHECKPOINT_AFTER_EVENTS,
  };
};

/** Where `lookAtTicket` resumes an owner that keeps a checkpoint. */
export const resumePointOf = <C extends { readonly at: number; readonly folded: number }>(
  current: TimerItem<ResumeState<C>> | null,
): ResumePoint | null => {
  const cp = current?.state.checkpoint;
  return cp ? { at: cp.at, folded: cp.folded } : null;
};
