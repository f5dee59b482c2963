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
  readonly tickets: Pick<DynamoTicketStore, 'log'>;
  readonly configs: ConfigSource;
  readonly timers: Pick<DynamoTimerStore, 'get' | 'commit'>;
  readonly port: TimerPort;
  readonly clock: Clock;
}

/** What an owner sees when it looks at a ticket: its whole ordered log, folded, and its own timer. */
export interface TicketLook<S> {
  readonly log: readonly LogItem[];
  readonly events: readonly LoggedEvent[];
  readonly ticket: TicketState;
  readonly config: TenantConfig;
  readonly current: TimerItem<S> | null;
  readonly now: Date;
}

/**
 * A timer owner's look at a ticket (DESIGN §6): reads the ticket's whole log (SQS keeps no order,
 * so a message only says which ticket), folds it, and lets the owner decide; nothing when the
 * ticket is not opened yet.
 */
export const lookAtTicket = <S>(
  owner: TimerOwner,
  tenantId: string,
  ticketId: string,
  trigger: { readonly firing: TimerFiring | null; readonly retry?: boolean },
  deps: TicketOwnerDeps,
  decide: (look: TicketLook<S>) => Promise<OwnerDecision<S> | null>,
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
      const log = await deps.tickets.log(tenantId, ticketId);
      if (log.length === 0) return null;
      const events: LoggedEvent[] = log.map((l) => ({ event: l.event, actor: l.actor ?? 'producer' }));
      const ticket = foldEvents(
        emptyTicket(tenantId, ticketId, ticketReference(tenantId, ticketId)),
        events.map((e) => e.event),
      );
      if (!ticket.opened) return null;
      const config = await deps.configs.configOf(tenantId);
      return decide({ log, events, ticket, config, current, now });
    },
  });
};
