/** The only source of "now" in Heed's code: handlers receive it, the core never calls Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand: deterministic, no sleeps. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
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
 * live through days of SLA time in minutes.
 */
export class ScaledClock implements Clock {
  readonly #originMs: number;
  readonly #realOriginMs: number;
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
}
