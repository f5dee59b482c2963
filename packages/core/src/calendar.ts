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
/** No instant is computed past this year (JavaScript's ISO strings have four-digit years). */
export const LAST_CALENDAR_YEAR = 9999;
/** A calendar whose weekly hours exist opens within two weeks of any day that is no holiday. */
const MAX_IDLE_DAYS = 15;
/**
 * Days one search may visit (a holiday range counts as one): validation admits at most ten years
 * of a calendar's weekly hours (3,640 days) and 1,000 holidays, so a validated calendar never
 * needs more; a configuration stored before that rule fails fast instead of searching millennia.
 */
const MAX_SEARCH_DAYS = 10_000;

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
    const dates =
      typeof h === 'string'
        ? [['', h]]
        : [
            ['.from', h.from],
            ['.to', h.to],
          ];
    for (const [where, d = ''] of dates) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d))
        problems.push(`holidays.${i}${where}: ${JSON.stringify(d)} is not YYYY-MM-DD`);
      else if (!isRealDate(d) || d < FIRST_HOLIDAY || d > LAST_HOLIDAY)
        problems.push(
          `holidays.${i}${where}: ${d} is not a date between ${FIRST_HOLIDAY} and ${LAST_HOLIDAY}`,
        );
    }
    if (typeof h !== 'string' && h.from > h.to) problems.push(`holidays.${i}: from is after to`);
  }
  return problems;
};

/**
 * Holidays are dates of this millennium: a calendar closed until the year 9999 could never
 * compute a due time, one closed until 2999 still can (a range is skipped in one step).
 */
const FIRST_HOLIDAY = '2000-01-01';
const LAST_HOLIDAY = '2999-12-31';
const isRealDate = (iso: string): boolean => {
  const d = parseDate(iso);
  return isoDate(addDays(d, 0)) === iso;
};

/** Minutes a calendar is open in a week (before holidays; DST aside). */
export const weeklyOpenMinutes = (calendar: BusinessCalendar): number => {
  let open = 0;
  for (const intervals of Object.values(calendar.hours))
    for (const [from, to] of intervals ?? []) {
      try {
        open += Math.max(0, minutesOf(to) - minutesOf(from));
      } catch {
        // A malformed interval is reported by calendarProblems.
      }
    }
  return open;
};

/**
 * A calendar prepared for searching: its holidays as a set and sorted ranges, and each local
 * day's open periods as computed once (a fold asks for the same days over and over; each is a
 * few Intl time-zone conversions). Kept per calendar object, and bounded.
 */
interface Prepared {
  readonly singles: ReadonlySet<string>;
  readonly ranges: readonly { readonly from: string; readonly to: string }[];
  readonly days: Map<string, [number, number][]>;
}
const prepared = new WeakMap<BusinessCalendar, Prepared>();
const MAX_CACHED_DAYS = 20_000;

const prepare = (calendar: BusinessCalendar): Prepared => {
  let p = prepared.get(calendar);
  if (!p) {
    const holidays = calendar.holidays ?? [];
    p = {
      singles: new Set(holidays.filter((h): h is string => typeof h === 'string')),
      ranges: holidays
        .filter((h): h is { from: string; to: string } => typeof h !== 'string')
        .map(({ from, to }) => ({ from, to }))
        .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
      days: new Map(),
    };
    prepared.set(calendar, p);
  }
  return p;
};

/** The last day of the holiday ranges covering `iso` (ranges may overlap), or null. */
const closedUntil = (p: Prepared, iso: string): string | null => {
  let end: string | null = null;
  for (const r of p.ranges) {
    if (r.from > iso) break;
    if (r.to >= iso && (end === null || r.to > end)) end = r.to;
  }
  return end;
};

const parseDate = (iso: string): LocalDate => ({
  year: Number(iso.slice(0, 4)),
  month: Number(iso.slice(5, 7)),
  day: Number(iso.slice(8, 10)),
});

/** The open periods of one local day as UTC instants, in order (DST-correct per day). */
const openPeriods = (calendar: BusinessCalendar, date: LocalDate): [number, number][] => {
  const p = prepare(calendar);
  const iso = isoDate(date);
  const cached = p.days.get(iso);
  if (cached) return cached;
  const intervals =
    p.singles.has(iso) || closedUntil(p, iso) !== null
      ? []
      : (calendar.hours[WEEKDAYS[weekdayOf(date)] as Weekday] ?? []);
  const periods = intervals
    .map(
      ([from, to]) =>
        [
          zonedToInstant(date, minutesOf(from), calendar.timeZone),
          zonedToInstant(date, minutesOf(to), calendar.timeZone),
        ] as [number, number],
    )
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  if (p.days.size >= MAX_CACHED_DAYS) p.days.clear();
  p.days.set(iso, periods);
  return periods;
};

/**
 * The local days from `first` on, in order, skipping whole holiday ranges in one step, so that a
 * closure of years costs one step, not one per day. Ends after `last` when given; without it,
 * throws when the calendar will never open again (no weekly hours, or only holidays until the
 * year LAST_CALENDAR_YEAR): validation refuses such calendars, so this is a misconfiguration.
 */
function* daysFrom(calendar: BusinessCalendar, first: LocalDate, last?: LocalDate): Generator<LocalDate> {
  const p = prepare(calendar);
  const end = last ? isoDate(last) : null;
  let idle = 0;
  for (let date = first, visited = 0; ; visited++) {
    if (end === null && visited > MAX_SEARCH_DAYS)
      throw new CalendarError(
        `calendar in ${calendar.timeZone} has too few open hours to count this far (more than ${MAX_SEARCH_DAYS} days of search)`,
      );
    const iso = isoDate(date);
    if (end !== null && iso > end) return;
    if (date.year > LAST_CALENDAR_YEAR)
      throw new CalendarError(
        `calendar in ${calendar.timeZone} has no open hours before the year ${LAST_CALENDAR_YEAR + 1}`,
      );
    const closed = closedUntil(p, iso);
    if (closed !== null) {
      date = addDays(parseDate(closed), 1);
      continue;
    }
    if (
      end === null &&
      !p.singles.has(iso) &&
      openPeriods(calendar, date).length === 0 &&
      ++idle > MAX_IDLE_DAYS
    )
      throw new CalendarError(`calendar in ${calendar.timeZone} is never open (no weekly hours)`);
    if (openPeriods(calendar, date).length > 0) idle = 0;
    yield date;
    date = addDays(date, 1);
  }
}

/** Open periods from the local day containing `fromMs` onwards. */
function* periodsFrom(calendar: BusinessCalendar, fromMs: number): Generator<[number, number]> {
  // A period may start the previous local day.
  for (const date of daysFrom(calendar, addDays(localDateOf(fromMs, calendar.timeZone), -1)))
    for (const [a, b] of openPeriods(calendar, date)) if (b > fromMs) yield [Math.max(a, fromMs), b];
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
  if (end <= fromMs) return 0;
  let total = 0;
  // A day's open periods lie within that local day: the days from the one before `from` (a
  // period may start there) to the day of `to` cover everything in between.
  const first = addDays(localDateOf(fromMs, calendar.timeZone), -1);
  for (const date of daysFrom(calendar, first, localDateOf(end, calendar.timeZone)))
    for (const [a, b] of openPeriods(calendar, date))
      total += Math.max(0, Math.min(b, end) - Math.max(a, fromMs));
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
