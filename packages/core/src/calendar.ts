import { addDays, isoDate, type LocalDate, localDateOf, weekdayOf, zonedToInstant } from './time-zone';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An open interval of a day, local wall time: ["09:00", "12:00"]. "24:00" ends at midnight. */
export type OpenInterval = readonly [string, string];

export interface BusinessCalendar {
  readonly timeZone: string;
  /** Open intervals per weekday; a missing or empty day is closed. */
  readonly hours: Partial<Record<Weekday, readonly OpenInterval[]>>;
  /** Closed dates (YYYY-MM-DD) and inclusive ranges, in the calendar's zone. */
  readonly holidays?: readonly (string | { readonly from: string; readonly to: string })[];
}

export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

const MINUTE = 60_000;
/** A calendar must open within this many days of any instant, or it is treated as misconfigured. */
const MAX_SEARCH_DAYS = 3 * 366;

const minutesOf = (hhmm: string): number => {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const h = Number(match?.[1]);
  const m = Number(match?.[2]);
  if (!match || h > 24 || m > 59 || (h === 24 && m !== 0))
    throw new CalendarError(`bad time ${JSON.stringify(hhmm)}; use HH:MM`);
  return h * 60 + m;
};

/** Checks a calendar's shape; returns a list of problems (empty when it is usable). */
export const calendarProblems = (calendar: BusinessCalendar): string[] => {
  const problems: string[] = [];
  try {
    new Intl.DateTimeFormat('en', { timeZone: calendar.timeZone });
  } catch {
    problems.push(`timeZone ${JSON.stringify(calendar.timeZone)} is not an IANA time zone`);
  }
  let open = 0;
  for (const [day, intervals] of Object.entries(calendar.hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day))
      problems.push(`hours.${day}: not a weekday (use ${WEEKDAYS.join(', ')})`);
    const sorted: [number, number][] = [];
    for (const [i, [from, to]] of (intervals ?? []).entries()) {
      try {
        const a = minutesOf(from);
        const b = minutesOf(to);
        if (a >= b) problems.push(`hours.${day}.${i}: ${from} is not before ${to}`);
        else sorted.push([a, b]);
        open += Math.max(0, b - a);
      } catch (error) {
        problems.push(`hours.${day}.${i}: ${(error as Error).message}`);
      }
    }
    sorted.sort((x, y) => x[0] - y[0]);
    if (sorted.some(([from], i) => i > 0 && from < (sorted[i - 1] as [number, number])[1]))
      problems.push(`hours.${day}: intervals overlap`);
  }
  if (open <= 0) problems.push('hours: the calendar is never open');
  for (const [i, h] of (calendar.holidays ?? []).entries()) {
    const dates = typeof h === 'string' ? [h] : [h.from, h.to];
    for (const d of dates)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d))
        problems.push(`holidays.${i}: ${JSON.stringify(d)} is not YYYY-MM-DD`);
    if (typeof h !== 'string' && h.from > h.to) problems.push(`holidays.${i}: from is after to`);
  }
  return problems;
};

const isHoliday = (calendar: BusinessCalendar, date: LocalDate): boolean => {
  const iso = isoDate(date);
  return (calendar.holidays ?? []).some((h) =>
    typeof h === 'string' ? h === iso : h.from <= iso && iso <= h.to,
  );
};

/** The open periods of one local day as UTC instants, in order (DST-correct per day). */
const openPeriods = (calendar: BusinessCalendar, date: LocalDate): [number, number][] => {
  if (isHoliday(calendar, date)) return [];
  const intervals = calendar.hours[WEEKDAYS[weekdayOf(date)] as Weekday] ?? [];
  return intervals
    .map(
      ([from, to]) =>
        [
          zonedToInstant(date, minutesOf(from), calendar.timeZone),
          zonedToInstant(date, minutesOf(to), calendar.timeZone),
        ] as [number, number],
    )
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
};

/** Open periods from the local day containing `fromMs` onwards. */
function* periodsFrom(calendar: BusinessCalendar, fromMs: number): Generator<[number, number]> {
  let date = addDays(localDateOf(fromMs, calendar.timeZone), -1); // a period may start the previous local day
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, date = addDays(date, 1)) {
    for (const [a, b] of openPeriods(calendar, date)) if (b > fromMs) yield [Math.max(a, fromMs), b];
  }
  throw new CalendarError(
    `calendar in ${calendar.timeZone} has no open hours within ${MAX_SEARCH_DAYS} days`,
  );
}

/**
 * The instant when `minutes` of business time have passed after `start`. Starting outside
 * business hours counts from the next opening; zero minutes outside hours gives the next opening.
 */
export const addBusinessTime = (calendar: BusinessCalendar, start: Date, minutes: number): Date => {
  if (minutes < 0) throw new CalendarError('minutes must be >= 0');
  let remaining = minutes * MINUTE;
  for (const [a, b] of periodsFrom(calendar, start.getTime())) {
    if (remaining <= b - a) return new Date(a + remaining);
    remaining -= b - a;
  }
  throw new CalendarError('unreachable');
};

/** Business minutes between two instants (0 when `to` is not after `from`). */
export const businessTimeBetween = (calendar: BusinessCalendar, from: Date, to: Date): number =>
  businessMsBetween(calendar, from.getTime(), to.getTime()) / MINUTE;

const businessMsBetween = (calendar: BusinessCalendar, fromMs: number, end: number): number => {
  const from = new Date(fromMs);
  let total = 0;
  // A day's open periods lie within that local day: the days from the one before `from` (a
  // period may start there) to the day of `to` cover everything in between.
  let date = addDays(localDateOf(from.getTime(), calendar.timeZone), -1);
  const last = localDateOf(end, calendar.timeZone);
  while (isoDate(date) <= isoDate(last)) {
    for (const [a, b] of openPeriods(calendar, date)) {
      total += Math.max(0, Math.min(b, end) - Math.max(a, from.getTime()));
    }
    date = addDays(date, 1);
  }
  return total;
};

/** Is the calendar open at this instant? (A day's periods never reach into the next day.) */
export const isOpen = (calendar: BusinessCalendar, at: Date): boolean => {
  const t = at.getTime();
  return openPeriods(calendar, localDateOf(t, calendar.timeZone)).some(([a, b]) => a <= t && t < b);
};

/** How SLA time is counted for a target: on the business calendar, or around the clock. */
export type HoursMode = 'business' | 'calendar';

export const addTime = (mode: HoursMode, calendar: BusinessCalendar, start: Date, minutes: number): Date =>
  mode === 'calendar'
    ? new Date(start.getTime() + minutes * MINUTE)
    : addBusinessTime(calendar, start, minutes);

export const timeBetween = (mode: HoursMode, calendar: BusinessCalendar, from: Date, to: Date): number =>
  mode === 'calendar'
    ? Math.max(0, (to.getTime() - from.getTime()) / MINUTE)
    : businessTimeBetween(calendar, from, to);

/**
 * The same in whole milliseconds, for the SLA model: a crossing instant computed from an elapsed
 * time must give back exactly that elapsed time, which fractions of minutes cannot promise.
 */
export const addTimeMs = (
  mode: HoursMode,
  calendar: BusinessCalendar,
  startMs: number,
  ms: number,
): number => {
  if (ms < 0) throw new CalendarError('duration must be >= 0');
  if (mode === 'calendar') return startMs + ms;
  let remaining = ms;
  for (const [a, b] of periodsFrom(calendar, startMs)) {
    if (remaining <= b - a) return a + remaining;
    remaining -= b - a;
  }
  throw new CalendarError('unreachable');
};

export const timeBetweenMs = (
  mode: HoursMode,
  calendar: BusinessCalendar,
  fromMs: number,
  toMs: number,
): number => (mode === 'calendar' ? Math.max(0, toMs - fromMs) : businessMsBetween(calendar, fromMs, toMs));
