import type { LoggedEvent, Resumable } from '../../src';

/** A history's arrival order: occurredAt order, with a few neighbours swapped (those arrive late). */
export const arrivalsOf = (history: readonly LoggedEvent[], swaps: readonly number[]): LoggedEvent[] => {
  const arrivals = [...history].sort(
    (a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt),
  );
  for (const n of swaps) {
    const i = n % arrivals.length;
    const j = Math.min(arrivals.length - 1, i + 1 + (n % 3));
    [arrivals[i], arrivals[j]] = [arrivals[j] as LoggedEvent, arrivals[i] as LoggedEvent];
  }
  return arrivals;
};

/**
 * Lives a history as an owner service does: a look at each arrival (at its instant, or later if
 * time has passed it), then at each wake-up until `stop`. Each look resumes from the last
 * checkpoint unless the log holds an event it missed (the services' rule); `look` compares and
 * returns the actions to log, the checkpoint and the next wake-up. Returns how many looks resumed.
 */
export const live = <C extends Resumable>(
  arrivals: readonly LoggedEvent[],
  stop: number,
  look: (
    from: C | null,
    tail: readonly LoggedEvent[],
    log: readonly LoggedEvent[],
    now: number,
  ) => { log: readonly LoggedEvent[]; checkpoint: C | null; nextWakeUp: string | null },
): number => {
  const log: LoggedEvent[] = [];
  let checkpoint: C | null = null;
  let resumed = 0;
  let now = Date.parse(arrivals[0]?.event.occurredAt ?? '');
  for (let i = 0, guard = 0; guard < 2000; guard++) {
    const arrival = arrivals[i];
    if (arrival) {
      log.push(arrival);
      i++;
      now = Math.max(now, Date.parse(arrival.event.occurredAt));
    }
    const at = checkpoint?.at ?? Number.NEGATIVE_INFINITY;
    const tail = log.filter((e) => Date.parse(e.event.occurredAt) >= at);
    const from = checkpoint && checkpoint.folded + tail.length >= log.length ? checkpoint : null;
    if (from) resumed++;
    const out = look(from, from ? tail : log, log, now);
    log.push(...out.log);
    checkpoint = out.checkpoint;
    if (i < arrivals.length) continue;
    const wake = out.nextWakeUp === null ? stop : Math.min(stop, Date.parse(out.nextWakeUp));
    if (wake <= now) break;
    now = wake;
  }
  return resumed;
};
