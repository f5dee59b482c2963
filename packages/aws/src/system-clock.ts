import type { Clock } from '@heed/core';

/** The machine's clock: what every Lambda handler gives its service as "now". */
export const systemClock: Clock = { now: () => new Date() };
