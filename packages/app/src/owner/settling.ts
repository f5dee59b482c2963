import type { LogItem } from '@heed/aws';

/** Something announced later than this after it happened is marked `late` (a timer lags seconds). */
const LATE_AFTER_MS = 2 * 60_000;
export const isLate = (at: string, now: Date): boolean => now.getTime() - Date.parse(at) > LATE_AFTER_MS;

/**
 * A history that is still arriving (a backfill posted in several requests, or a batch the outbox
 * relays in parts) must not act on what only its missing part would have prevented: a breach of
 * a clock that a later event paused, a survey of a ticket a later event reopened. So while the
 * newest event was received less than this long ago, what falls after it and is already late
 * waits for the history to settle.
 */
export const SETTLE_MS = 10_000;

/** When the newest event of a log was received, and the newest instant in it (epoch ms). */
export interface LogMarks {
  readonly received: number;
  readonly newest: number;
}

export const marksOf = (log: readonly Pick<LogItem, 'receivedAt' | 'event'>[]): LogMarks => ({
  received: Math.max(...log.map((l) => Date.parse(l.receivedAt))),
  newest: Math.max(...log.map((l) => Date.parse(l.event.occurredAt))),
});

/**
 * Folds the ticket at `now`, unless something not yet announced (`unannounced` gives the
 * instants) lies after the newest event, is late, and the history may still be arriving: then
 * folds at the newest event and says when to look again.
 */
export const settledView = <M>(
  history: LogMarks,
  now: Date,
  fold: (at: Date) => M,
  unannounced: (model: M) => readonly string[],
): { model: M; quietUntil: Date | null } => {
  const model = fold(now);
  const { received, newest } = history;
  if (now.getTime() >= received + SETTLE_MS) return { model, quietUntil: null };
  const unsettled = unannounced(model).some((at) => Date.parse(at) > newest && isLate(at, now));
  if (!unsettled) return { model, quietUntil: null };
  return { model: fold(new Date(newest)), quietUntil: new Date(received + SETTLE_MS) };
};
