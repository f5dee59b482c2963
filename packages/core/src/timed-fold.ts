import { compareLogged, type LoggedEvent } from './projection';

/**
 * The time-driven fold both timer models are (DESIGN §5): a ticket's log in occurredAt order,
 * instant by instant, with what falls due between events crossed at its own instant. The SLA
 * model and the follow-up model each say what an instant means; this drives them the same way,
 * from the start or from a checkpoint.
 */
export interface TimedModel {
  /** Notes one of Heed's own actions found in the log, at its instant. */
  logged(id: string, t: number): void;
  /** Everything due strictly before `t`, each at its own instant. */
  advanceBefore(t: number): void;
  /** An instant's events (all of them together), and what they and the instant bring. */
  applyInstant(group: readonly LoggedEvent[], t: number): void;
  /** Everything due up to `now`, included. */
  finish(now: number): void;
  /** The next instant something falls due, absent new events. */
  nextDue(): number | null;
}

/** Where a fold resumes: its state at instant `at`, and how many of the log's events lie before it. */
export interface Resumable {
  readonly at: number;
  readonly folded: number;
}

/** A fold's model, and where the next fold may resume (null when there was nothing to fold). */
export interface FoldLook<M, C extends Resumable, S> {
  readonly model: M;
  readonly checkpoint: C | null;
  /** What a new checkpoint leaves out of the model (final, kept beside it); empty without one. */
  readonly settled: S;
}

export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';
}

/**
 * Folds `events` (all of the log, or from `from.at` on) into `model` up to `now`. The state is
 * captured at the newest instant, after every crossing before it and before its events (they
 * are folded again next time, with any that join them), as `capture(t, folded)` makes it.
 * Returns that checkpoint and when to look again (the next due instant, or an event stamped
 * ahead of now, whichever comes first).
 */
export const foldTimed = <C extends Resumable>(args: {
  readonly model: TimedModel;
  readonly from: C | null;
  readonly events: readonly LoggedEvent[];
  readonly now: number;
  readonly isAction: (e: LoggedEvent) => boolean;
  readonly capture: (t: number, folded: number) => C;
}): { checkpoint: C | null; nextWakeUp: number | null } => {
  const { model, from, now } = args;
  const sorted = args.events.filter((e) => Date.parse(e.event.occurredAt) <= now).sort(compareLogged);
  if (from && sorted.some((e) => Date.parse(e.event.occurredAt) < from.at))
    throw new CheckpointMismatchError('an event before the checkpoint was given');
  for (const e of sorted) if (args.isAction(e)) model.logged(e.event.id, Date.parse(e.event.occurredAt));
  let checkpoint: C | null = from;
  let folded = from?.folded ?? 0;
  for (let i = 0; i < sorted.length; ) {
    const t = Date.parse((sorted[i] as LoggedEvent).event.occurredAt);
    const group: LoggedEvent[] = [];
    while (i < sorted.length && Date.parse((sorted[i] as LoggedEvent).event.occurredAt) === t)
      group.push(sorted[i++] as LoggedEvent);
    model.advanceBefore(t);
    if (i === sorted.length && t > (checkpoint?.at ?? Number.NEGATIVE_INFINITY))
      checkpoint = args.capture(t, folded);
    folded += group.length;
    model.applyInstant(group, t);
  }
  model.finish(now);
  // An event stamped ahead of `now` is folded when its instant comes: wake up for it then.
  const ahead = args.events.reduce<number | null>((min, e) => {
    const at = Date.parse(e.event.occurredAt);
    return at > now && (min === null || at < min) ? at : min;
  }, null);
  const next = model.nextDue();
  return { checkpoint, nextWakeUp: next === null ? ahead : ahead === null ? next : Math.min(next, ahead) };
};
