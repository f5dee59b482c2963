import { ClockBackwardsError, type SteerableClock } from '@heed/core';
import type { LocalTimers } from './local-timers';

/**
 * Moves the local clock forward to `target` the way time would pass (DESIGN §9): it stops at
 * every timer due on the way, in due order, lets that timer fire at its own instant (so what it
 * sends is stamped with that time) and waits until the system settles, then goes on. Timers armed
 * on the way, due before the target, are reached too.
 */
export const advanceClock = async (
  clock: SteerableClock,
  timers: Pick<LocalTimers, 'nextDue' | 'fireDue'>,
  settle: () => Promise<void>,
  target: Date,
): Promise<Date> => {
  if (target.getTime() < clock.now().getTime())
    throw new ClockBackwardsError('the clock never goes backwards');
  for (let guard = 0; guard < 1_000_000; guard++) {
    await settle();
    const next = timers.nextDue();
    const now = clock.now().getTime();
    const step = next !== null && next <= target.getTime() ? next : target.getTime();
    if (step > now) clock.jumpTo(new Date(step));
    const fired = await timers.fireDue();
    if (fired === 0 && step >= target.getTime()) break;
  }
  await settle();
  return clock.now();
};
