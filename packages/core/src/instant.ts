/**
 * Instants as producers write them. RFC 3339 allows any number of fraction digits and producers
 * send them: Python's isoformat() six, .NET's round-trip format seven, Go's RFC3339Nano and
 * Java's Instant up to nine. A JavaScript Date keeps milliseconds only, so ordering by it would
 * put two events 300 µs apart in id order instead of time order. Heed keeps the value verbatim
 * and orders by this key: the instant in UTC with exactly nine fraction digits, which sorts as
 * text in time order whatever offset or precision the producer used.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

export class InstantError extends Error {
  override readonly name = 'InstantError';
}

/** `2026-11-23T09:15:00.1234567+09:00` → `2026-11-23T00:15:00.123456700Z`. */
export const instantKey = (value: string): string => {
  const m = RFC3339.exec(value);
  const [, wall = '', fraction = '', offset = 'Z'] = m ?? [];
  // Offsets are whole minutes: they never touch the fraction, so the milliseconds come from
  // Date (offset applied) and the digits beyond them are carried over as written.
  const ms = m ? Date.parse(`${wall}.${fraction.slice(0, 3).padEnd(3, '0')}${offset}`) : Number.NaN;
  if (Number.isNaN(ms)) throw new InstantError(`not an RFC 3339 instant: ${value.slice(0, 60)}`);
  return `${new Date(ms).toISOString().slice(0, 23)}${fraction.slice(3, 9).padEnd(6, '0')}Z`;
};

/** Compares two RFC 3339 instants at their full precision (to the nanosecond). */
export const compareInstants = (a: string, b: string): number => {
  const ka = instantKey(a);
  const kb = instantKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
