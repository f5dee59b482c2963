import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareInstants, InstantError, instantKey, orderKey } from '../src';

describe('instants at full precision', () => {
  it('normalizes every offset and precision to UTC with nine fraction digits', () => {
    expect(instantKey('2026-11-23T09:15:00+09:00')).toBe('2026-11-23T00:15:00.000000000Z');
    expect(instantKey('2026-11-23T00:15:00.5Z')).toBe('2026-11-23T00:15:00.500000000Z');
    expect(instantKey('2026-11-23T00:15:00.123456Z')).toBe('2026-11-23T00:15:00.123456000Z');
    expect(instantKey('2026-11-22T19:15:00.1234567-05:00')).toBe('2026-11-23T00:15:00.123456700Z');
    expect(instantKey('2026-11-23T05:45:00.123456789+05:30')).toBe('2026-11-23T00:15:00.123456789Z');
    // Across midnight and the year, the offset moves the date, never the fraction.
    expect(instantKey('2027-01-01T00:00:00.000000001+01:00')).toBe('2026-12-31T23:00:00.000000001Z');
  });

  it('orders by the nanoseconds that a JavaScript Date would drop', () => {
    const python = '2026-11-23T09:15:00.123456+00:00';
    const dotnet = '2026-11-23T09:15:00.1234561Z';
    const go = '2026-11-23T18:15:00.123456001+09:00';
    expect(Date.parse(python)).toBe(Date.parse(go)); // the same millisecond to Date
    expect([go, dotnet, python].sort(compareInstants)).toEqual([python, go, dotnet]);
    // Ties at the same instant (any offset, any precision) are broken by id.
    const a = orderKey({ id: 'b', occurredAt: '2026-11-23T09:15:00.1Z' });
    const b = orderKey({ id: 'a', occurredAt: '2026-11-23T10:15:00.100000000+01:00' });
    expect(b < a).toBe(true);
  });

  it('sorts as text exactly as the instants compare as numbers (seeded)', () => {
    const instant = fc
      .record({
        ms: fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2099-12-31T00:00:00Z') }),
        extra: fc.integer({ min: 0, max: 999_999 }),
        digits: fc.integer({ min: 0, max: 9 }),
        offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
      })
      .map(({ ms, extra, digits, offset }) => {
        const nanos = BigInt(ms) * 1_000_000n + BigInt(extra);
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
        const fraction = (Number(nanos % 1_000_000_000n) + 1e9).toString().slice(1, 1 + digits);
        const sign = offset < 0 ? '-' : '+';
        const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
        const mm = String(Math.abs(offset) % 60).padStart(2, '0');
        const kept = (nanos / 10n ** BigInt(9 - digits)) * 10n ** BigInt(9 - digits);
        return { text: `${local}${digits ? `.${fraction}` : ''}${sign}${hh}:${mm}`, nanos: kept };
      });
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const byText = Math.sign(compareInstants(a.text, b.text));
        expect(byText).toBe(a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0);
      }),
      { seed: 14, numRuns: 2000 },
    );
  });

  it('refuses what is not an RFC 3339 instant', () => {
    for (const bad of ['2026-11-23', '2026-11-23T09:15:00', '2026-11-23T09:15:00+0900', 'soon'])
      expect(() => instantKey(bad)).toThrow(InstantError);
  });
});
