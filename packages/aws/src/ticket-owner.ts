import type { TenantConfig, TimerFiring, TimerOwner } from '@heed/contracts';
import {
  type Clock,
  emptyTicket,
  foldEvents,
  type LoggedEvent,
  type TicketState,
  ticketReference,
} from '@heed/core';
import type { ConfigSource } from './tenant-store';
import type { DynamoTicketStore, LogItem } from './ticket-store';
import { type OwnerDecision, type OwnerOutcome, runTimerOwner } from './timer-owner';
import type { TimerPort } from './timer-policy';
import type { DynamoTimerStore, TimerItem } from './timer-store';

export interface TicketOwnerDeps {
  readonly tickets: Pick<DynamoTicketStore, 'log' | 'logFrom' | 'get'>;
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
