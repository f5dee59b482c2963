/**
 * The only source of "now" in Heed's code: handlers receive it, the core never calls Date.now().
 * The clocks that read the machine's time are adapters (`systemClock` in @heed/aws, the local
 * runtime's ScaledClock); the ManualClock here is pure.
 */
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
