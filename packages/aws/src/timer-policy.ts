import type { TimerFiring, TimerOwner } from '@heed/contracts';

/**
 * The timer port (DESIGN §6): makes sure `firing` reaches its owner's queue at `dueAt`, not
 * before. Arming again for the same (ticket, owner) replaces the previous time: there is one
 * timer per ticket and owner, and a firing of an older generation is a no-op anyway.
 */
export interface TimerPort {
  arm(firing: TimerFiring): Promise<void>;
  /**
   * Removes the (ticket, owner) schedule that was armed for a later time, once nothing is due
   * any more (the ticket is settled): it would fire for nothing, and schedules count against a
   * regional quota. A timer that is gone already is fine.
   */
  disarm(owner: TimerOwner, tenantId: string, ticketId: string): Promise<void>;
}

/** Timers due within this long go straight to the queue with DelaySeconds (SQS allows 15 min). */
export const SHORT_TIMER_SECONDS = 900;

/** Is a timer due at `dueMs` armed as a schedule (not as a delayed message)? */
export const isScheduled = (dueMs: number, nowMs: number): boolean =>
  dueMs - nowMs > SHORT_TIMER_SECONDS * 1000;
