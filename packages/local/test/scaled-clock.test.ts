import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../src/scaled-clock';

describe('ScaledClock', () => {
  it('runs speed times faster than the real clock, and jumps only forward', () => {
    let real = 1_000;
    const clock = new ScaledClock(60, new Date('2026-11-23T00:00:00Z'), () => real);
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-11-23T00:01:00.000Z');
    clock.jumpTo(new Date('2026-11-24T00:00:00Z'));
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-11-24T00:01:00.000Z');
    expect(() => clock.jumpTo(new Date('2026-11-23T00:00:00Z'))).toThrow('never goes backwards');
    expect(() => new ScaledClock(0)).toThrow(RangeError);
  });
});
