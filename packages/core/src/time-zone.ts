/**
 * Time-zone arithmetic on IANA zones with Intl only (no tz database of our own), DST-correct.
 */

export interface LocalDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

/** Wall-clock fields of an instant in a zone. */
export const wallClock = (
  instantMs: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } => {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
};

/** Offset of the zone from UTC at an instant, in ms (Tokyo: +9 h). */
export const offsetMs = (instantMs: number, timeZone: string): number => {
  const w = wallClock(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
};

/**
 * The instant at which the wall clock in `timeZone` shows `date` `minuteOfDay` (0-1440).
 * A wall time skipped by a spring-forward switch maps to the same distance after the gap (02:30
 * becomes 03:30); a repeated one (fall back) maps to its first occurrence.
 */
export const zonedToInstant = (date: LocalDate, minuteOfDay: number, timeZone: string): number => {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * 60_000;
  // Two rounds find the offset in force at the answer; try both candidate offsets around a switch.
  const first = wallAsUtc - offsetMs(wallAsUtc, timeZone);
  const second = wallAsUtc - offsetMs(first, timeZone);
  const candidates = [first, second].filter((c) => c + offsetMs(c, timeZone) === wallAsUtc);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: use the offset from before the switch, which lands after the gap.
  return wallAsUtc - offsetMs(wallAsUtc - 86_400_000, timeZone);
};

export const localDateOf = (instantMs: number, timeZone: string): LocalDate => {
  const w = wallClock(instantMs, timeZone);
  return { year: w.year, month: w.month, day: w.day };
};

export const addDays = (date: LocalDate, days: number): LocalDate => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: LocalDate): number =>
  new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();

export const isoDate = (date: LocalDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
