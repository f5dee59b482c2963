/** The only source of "now" in Heed's code: handlers receive it, the core never calls Date.now(). */
export interface Clock {
  now(): Date;
}

/** A clock the local runtime may move forward (never backwards): POST /local/clock. */
export interface SteerableClock extends Clock {
  /** Real-time speed factor; 0 when the clock only moves when told. */
  readonly speed: number;
  jumpTo(instant: Date): void;
}

export class ClockBackwardsError extends Error {
  override readonly name = 'ClockBackwardsError';
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand: deterministic, no sleeps. */
export class ManualClock implements SteerableClock {
  readonly speed = 0;
  #ms: number;
  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
  }
  jumpTo(instant: Date): void {
    if (instant.getTime() < this.#ms) throw new ClockBackwardsError('the clock never goes backwards');
    this.#ms = instant.getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/**
 * A clock that runs `speed` times faster than real time from `start`, so the local runtime can
 * live through days of SLA time in minutes; it can also be moved forward at once.
 */
export class ScaledClock implements SteerableClock {
  #originMs: number;
  #realOriginMs: number;
  constructor(
    readonly speed: number,
    start: Date = new Date(),
    private readonly real: () => number = Date.now,
  ) {
    if (!(speed > 0)) throw new RangeError(`clock speed must be > 0, got ${speed}`);
    this.#originMs = start.getTime();
    this.#realOriginMs = real();
  }
  now(): Date {
    return new Date(this.#originMs + (this.real() - this.#realOriginMs) * this.speed);
  }
  jumpTo(instant: Date): void {
    if (instant.getTime() < this.now().getTime())
      throw new ClockBackwardsError('the clock never goes backwards');
    this.#originMs = instant.getTime();
    this.#realOriginMs = this.real();
  }
}
