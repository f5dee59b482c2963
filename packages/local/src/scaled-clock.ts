import { ClockBackwardsError, type SteerableClock } from '@heed/core';

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
