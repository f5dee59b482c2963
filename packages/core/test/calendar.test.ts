import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  addTime,
  type BusinessCalendar,
  businessTimeBetween,
  CalendarError,
  calendarProblems,
  isOpen,
  timeBetween,
} from '../src/calendar';

const weekdays = (intervals: [string, string][]) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
});
const tokyo: BusinessCalendar = {
  timeZone: 'Asia/Tokyo',
  hours: weekdays([
    ['09:00', '12:00'],
    ['13:00', '18:00'],
  ]),
};
const seoul: BusinessCalendar = { timeZone: 'Asia/Seoul', hours: weekdays([['09:00', '18:00']]) };
const newYork: BusinessCalendar = { timeZone: 'America/New_York', hours: weekdays([['09:00', '17:00']]) };
const bucharest: BusinessCalendar = { timeZone: 'Europe/Bucharest', hours: weekdays([['09:00', '17:00']]) };
const allDay = (timeZone: string): BusinessCalendar => ({
  timeZone,
  hours: { sun: [['00:00', '24:00']], mon: [['00:00', '24:00']], sat: [['00:00', '24:00']] },
});
// Saudi Arabia works Sunday to Thursday.
const riyadh: BusinessCalendar = {
  timeZone: 'Asia/Riyadh',
  hours: {
    sun: [['08:00', '17:00']],
    mon: [['08:00', '17:00']],
    tue: [['08:00', '17:00']],
    wed: [['08:00', '17:00']],
    thu: [['08:00', '17:00']],
  },
};

const add = (cal: BusinessCalendar, start: string, minutes: number) =>
  addBusinessTime(cal, new Date(start), minutes).toISOString();

describe('addBusinessTime', () => {
  it('counts from the next opening when created after hours (Friday 18:30 Tokyo → Monday)', () => {
    expect(add(tokyo, '2026-11-20T18:30:00+09:00', 60)).toBe(
      new Date('2026-11-23T10:00:00+09:00').toISOString(),
    );
  });

  it('counts from Monday when created on a weekend', () => {
    expect(add(seoul, '2026-11-21T11:00:00+09:00', 30)).toBe(
      new Date('2026-11-23T09:30:00+09:00').toISOString(),
    );
  });

  it('skips the lunch break', () => {
    expect(add(tokyo, '2026-11-24T11:30:00+09:00', 60)).toBe(
      new Date('2026-11-24T13:30:00+09:00').toISOString(),
    );
  });

  it('skips a holiday and a holiday range', () => {
    const cal: BusinessCalendar = {
      ...tokyo,
      holidays: ['2026-11-23', { from: '2026-12-29', to: '2027-01-03' }],
    };
    // Friday 17:00 + 2 h: one hour Friday, Monday is a holiday, one hour Tuesday.
    expect(add(cal, '2026-11-20T17:00:00+09:00', 120)).toBe(
      new Date('2026-11-24T10:00:00+09:00').toISOString(),
    );
    // Over the year-end closure.
    expect(add(cal, '2026-12-28T17:30:00+09:00', 60)).toBe(
      new Date('2027-01-04T09:30:00+09:00').toISOString(),
    );
  });

  it('ends a holiday range on its last day: a range ending on a weekday opens the day after', () => {
    // Wednesday and Thursday closed; Friday is open again.
    const cal: BusinessCalendar = { ...newYork, holidays: [{ from: '2026-11-25', to: '2026-11-26' }] };
    expect(add(cal, '2026-11-24T16:00:00-05:00', 120)).toBe(
      new Date('2026-11-27T10:00:00-05:00').toISOString(),
    );
    expect(isOpen(cal, new Date('2026-11-26T16:59:00-05:00'))).toBe(false); // the range's last day
    expect(isOpen(cal, new Date('2026-11-27T09:00:00-05:00'))).toBe(true);
    expect(isOpen(cal, new Date('2026-11-24T16:59:00-05:00'))).toBe(true); // the day before it
    // A one-day range is one day.
    const one: BusinessCalendar = { ...newYork, holidays: [{ from: '2026-11-27', to: '2026-11-27' }] };
    expect(add(one, '2026-11-26T16:30:00-05:00', 60)).toBe(
      new Date('2026-11-30T09:30:00-05:00').toISOString(),
    );
  });

  it('opens at the same distance after a DST gap when an opening time falls inside it', () => {
    // Sundays 02:30-05:00 New York; on 2026-03-08 02:00-03:00 does not exist, so 02:30 is 03:30 EDT.
    const night: BusinessCalendar = { timeZone: 'America/New_York', hours: { sun: [['02:30', '05:00']] } };
    const sunday = (h: string, offset: string) => new Date(`2026-03-08T${h}${offset}`);
    expect(businessTimeBetween(night, sunday('00:00:00', '-05:00'), sunday('12:00:00', '-04:00'))).toBe(90);
    expect(add(night, '2026-03-08T00:00:00-05:00', 30)).toBe(sunday('04:00:00', '-04:00').toISOString());
    expect(isOpen(night, sunday('03:15:00', '-04:00'))).toBe(false);
    expect(isOpen(night, sunday('03:30:00', '-04:00'))).toBe(true);
    // An interval wholly inside the gap (02:00-03:00) does not exist that day: no time, no opening.
    const gap: BusinessCalendar = {
      timeZone: 'America/New_York',
      hours: {
        sun: [
          ['02:00', '03:00'],
          ['04:00', '05:00'],
        ],
      },
    };
    expect(add(gap, '2026-03-08T00:00:00-05:00', 0)).toBe(sunday('04:00:00', '-04:00').toISOString());
    expect(businessTimeBetween(gap, sunday('00:00:00', '-05:00'), sunday('12:00:00', '-04:00'))).toBe(60);
    // A week later, an ordinary Sunday: the whole 150 minutes.
    expect(
      businessTimeBetween(
        night,
        new Date('2026-03-15T00:00:00-04:00'),
        new Date('2026-03-15T12:00:00-04:00'),
      ),
    ).toBe(150);
    // Falling back, 01:30 happens twice: it means the first time (EDT).
    const early: BusinessCalendar = { timeZone: 'America/New_York', hours: { sun: [['01:30', '03:00']] } };
    expect(add(early, '2026-11-01T00:00:00-04:00', 0)).toBe(
      new Date('2026-11-01T01:30:00-04:00').toISOString(),
    );
    expect(
      businessTimeBetween(
        early,
        new Date('2026-11-01T00:00:00-04:00'),
        new Date('2026-11-01T12:00:00-05:00'),
      ),
    ).toBe(150);
  });

  it('handles targets longer than a business day', () => {
    // 8 business hours a day: 24 business hours from Monday 09:00 end Wednesday 18:00.
    expect(add(tokyo, '2026-11-23T09:00:00+09:00', 24 * 60)).toBe(
      new Date('2026-11-25T18:00:00+09:00').toISOString(),
    );
    // A week of business time crosses the weekend.
    expect(add(tokyo, '2026-11-23T09:00:00+09:00', 5 * 8 * 60 + 30)).toBe(
      new Date('2026-11-30T09:30:00+09:00').toISOString(),
    );
  });

  it('uses the Friday–Saturday weekend of Riyadh', () => {
    expect(add(riyadh, '2026-11-26T16:00:00+03:00', 120)).toBe(
      new Date('2026-11-29T09:00:00+03:00').toISOString(),
    );
    expect(isOpen(riyadh, new Date('2026-11-27T10:00:00+03:00'))).toBe(false); // Friday
    expect(isOpen(riyadh, new Date('2026-11-29T10:00:00+03:00'))).toBe(true); // Sunday
  });

  it('is DST-correct when New York springs forward', () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT. Three hours after midnight is 04:00 EDT.
    expect(add(allDay('America/New_York'), '2026-03-08T00:00:00-05:00', 180)).toBe(
      '2026-03-08T08:00:00.000Z',
    );
    // Friday before the switch (EST) + 2 h of business time lands Monday in EDT.
    expect(add(newYork, '2026-03-06T16:00:00-05:00', 120)).toBe(
      new Date('2026-03-09T10:00:00-04:00').toISOString(),
    );
  });

  it('is DST-correct when New York falls back', () => {
    // 2026-11-01 has 25 hours.
    expect(
      businessTimeBetween(
        allDay('America/New_York'),
        new Date('2026-11-01T00:00:00-04:00'),
        new Date('2026-11-02T00:00:00-05:00'),
      ),
    ).toBe(25 * 60);
    expect(add(newYork, '2026-10-30T16:00:00-04:00', 120)).toBe(
      new Date('2026-11-02T10:00:00-05:00').toISOString(),
    );
  });

  it('is DST-correct in Bucharest in both directions', () => {
    // 2026-03-29 03:00 → 04:00 (EET +2 → EEST +3); 2026-10-25 04:00 → 03:00.
    expect(add(bucharest, '2026-03-27T16:00:00+02:00', 120)).toBe(
      new Date('2026-03-30T10:00:00+03:00').toISOString(),
    );
    expect(
      businessTimeBetween(
        allDay('Europe/Bucharest'),
        new Date('2026-03-29T00:00:00+02:00'),
        new Date('2026-03-30T00:00:00+03:00'),
      ),
    ).toBe(23 * 60);
    expect(add(bucharest, '2026-10-23T16:30:00+03:00', 60)).toBe(
      new Date('2026-10-26T09:30:00+02:00').toISOString(),
    );
    expect(
      businessTimeBetween(
        allDay('Europe/Bucharest'),
        new Date('2026-10-25T00:00:00+03:00'),
        new Date('2026-10-26T00:00:00+02:00'),
      ),
    ).toBe(25 * 60);
  });

  it('gives the next opening for zero minutes outside hours, and the start itself inside hours', () => {
    expect(add(tokyo, '2026-11-24T12:15:00+09:00', 0)).toBe(
      new Date('2026-11-24T13:00:00+09:00').toISOString(),
    );
    expect(add(tokyo, '2026-11-24T10:15:00+09:00', 0)).toBe(
      new Date('2026-11-24T10:15:00+09:00').toISOString(),
    );
  });

  it('refuses negative durations and calendars that never open', () => {
    expect(() => addBusinessTime(tokyo, new Date(), -1)).toThrow(CalendarError);
    expect(() => addBusinessTime({ timeZone: 'UTC', hours: {} }, new Date(), 1)).toThrow(CalendarError);
  });
});

describe('businessTimeBetween', () => {
  it('counts only open time', () => {
    expect(
      businessTimeBetween(
        tokyo,
        new Date('2026-11-20T17:00:00+09:00'),
        new Date('2026-11-23T10:00:00+09:00'),
      ),
    ).toBe(120);
    expect(
      businessTimeBetween(
        tokyo,
        new Date('2026-11-24T11:00:00+09:00'),
        new Date('2026-11-24T14:00:00+09:00'),
      ),
    ).toBe(120);
    expect(
      businessTimeBetween(
        tokyo,
        new Date('2026-11-24T14:00:00+09:00'),
        new Date('2026-11-24T11:00:00+09:00'),
      ),
    ).toBe(0);
  });

  it('inverts addBusinessTime for many starts, durations and zones', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (const cal of [tokyo, newYork, bucharest, riyadh, seoul]) {
      for (let i = 0; i < 40; i++) {
        const start = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 365 * 24 * 60) * 60_000);
        const minutes = Math.floor(random() * 5000);
        const end = addBusinessTime(cal, start, minutes);
        expect(businessTimeBetween(cal, start, end)).toBeCloseTo(minutes, 6);
        if (minutes > 0) expect(isOpen(cal, new Date(end.getTime() - 1))).toBe(true);
      }
    }
  });
});

describe('calendar hours mode', () => {
  it('counts around the clock', () => {
    expect(addTime('calendar', tokyo, new Date('2026-11-20T18:30:00+09:00'), 60).toISOString()).toBe(
      new Date('2026-11-20T19:30:00+09:00').toISOString(),
    );
    expect(
      timeBetween('calendar', tokyo, new Date('2026-11-20T18:30:00Z'), new Date('2026-11-21T18:30:00Z')),
    ).toBe(1440);
    expect(addTime('business', tokyo, new Date('2026-11-20T18:30:00+09:00'), 60).toISOString()).toBe(
      new Date('2026-11-23T10:00:00+09:00').toISOString(),
    );
  });
});

describe('calendarProblems', () => {
  it('accepts a good calendar', () => {
    expect(calendarProblems(tokyo)).toEqual([]);
  });

  it('names every problem', () => {
    expect(
      calendarProblems({
        timeZone: 'Mars/Base',
        hours: {
          mon: [['18:00', '09:00']],
          tue: [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
          wed: [['9am', '17:00']],
        } as never,
        holidays: ['2026/12/25', { from: '2026-12-31', to: '2026-12-01' }],
      }),
    ).toEqual([
      'timeZone "Mars/Base" is not an IANA time zone',
      'hours.mon.0: 18:00 is not before 09:00',
      'hours.tue: intervals overlap',
      'hours.wed.0: bad time "9am"; use HH:MM',
      'holidays.0: "2026/12/25" is not YYYY-MM-DD',
      'holidays.1: from is after to',
    ]);
    expect(calendarProblems({ timeZone: 'UTC', hours: {} })).toEqual(['hours: the calendar is never open']);
  });
});

describe('calendar edges', () => {
  it('gives the next opening, not the closing instant, for zero minutes at closing time', () => {
    expect(add(tokyo, '2026-11-24T18:00:00+09:00', 0)).toBe(
      new Date('2026-11-25T09:00:00+09:00').toISOString(),
    );
    expect(add(tokyo, '2026-11-24T12:00:00+09:00', 0)).toBe(
      new Date('2026-11-24T13:00:00+09:00').toISOString(),
    );
  });

  it('is closed at the closing instant and open at the opening instant', () => {
    expect(isOpen(tokyo, new Date('2026-11-24T09:00:00+09:00'))).toBe(true);
    expect(isOpen(tokyo, new Date('2026-11-24T12:00:00+09:00'))).toBe(false);
    expect(isOpen(tokyo, new Date('2026-11-24T18:00:00+09:00'))).toBe(false);
    expect(isOpen(tokyo, new Date('2026-11-24T17:59:59.999+09:00'))).toBe(true);
  });

  it('takes intervals in any order', () => {
    const shuffled: BusinessCalendar = {
      timeZone: 'Asia/Tokyo',
      hours: weekdays([
        ['13:00', '18:00'],
        ['09:00', '12:00'],
      ]),
    };
    expect(add(shuffled, '2026-11-24T11:30:00+09:00', 60)).toBe(
      new Date('2026-11-24T13:30:00+09:00').toISOString(),
    );
    expect(
      businessTimeBetween(
        shuffled,
        new Date('2026-11-24T00:00:00+09:00'),
        new Date('2026-11-25T00:00:00+09:00'),
      ),
    ).toBe(8 * 60);
    expect(calendarProblems(shuffled)).toEqual([]);
  });

  it('counts no business time across holidays and between equal instants', () => {
    const cal: BusinessCalendar = {
      ...tokyo,
      holidays: ['2026-11-24', { from: '2026-11-25', to: '2026-11-26' }],
    };
    expect(
      businessTimeBetween(cal, new Date('2026-11-24T00:00:00+09:00'), new Date('2026-11-27T00:00:00+09:00')),
    ).toBe(0);
    const at = new Date('2026-11-24T10:00:00+09:00');
    expect(businessTimeBetween(tokyo, at, at)).toBe(0);
    expect(businessTimeBetween(tokyo, at, new Date(at.getTime() - 60_000))).toBe(0);
  });

  it('counts business and calendar hours differently', () => {
    const from = new Date('2026-11-21T10:00:00+09:00'); // Saturday
    const to = new Date('2026-11-23T10:00:00+09:00'); // Monday
    expect(timeBetween('calendar', tokyo, from, to)).toBe(48 * 60);
    expect(timeBetween('business', tokyo, from, to)).toBe(60);
    expect(addTime('business', tokyo, from, 60).toISOString()).toBe(to.toISOString());
    expect(addTime('calendar', tokyo, from, 60).toISOString()).toBe(
      new Date('2026-11-21T11:00:00+09:00').toISOString(),
    );
  });

  it('says why it refuses', () => {
    expect(() => addBusinessTime(tokyo, new Date(), -1)).toThrow('minutes must be >= 0');
    expect(() =>
      addBusinessTime({ timeZone: 'UTC', hours: {} }, new Date('2026-01-01T00:00:00Z'), 1),
    ).toThrow('calendar in UTC is never open (no weekly hours)');
    try {
      addBusinessTime(tokyo, new Date(), -1);
    } catch (error) {
      expect((error as Error).name).toBe('CalendarError');
    }
  });
});

describe('calendarProblems', () => {
  const at = (hours: BusinessCalendar['hours'], holidays: BusinessCalendar['holidays'] = []) =>
    calendarProblems({ timeZone: 'UTC', hours: { ...hours }, holidays });
  it.each([
    [{ mon: [['9:00', '17:00']] }, 'hours.mon.0: bad time "9:00"; use HH:MM'],
    [{ mon: [['09:00', '17:000']] }, 'hours.mon.0: bad time "17:000"; use HH:MM'],
    [{ mon: [['x09:00', '17:00']] }, 'hours.mon.0: bad time "x09:00"; use HH:MM'],
    [{ mon: [['09:00', '24:30']] }, 'hours.mon.0: bad time "24:30"; use HH:MM'],
    [{ mon: [['09:00', '12:60']] }, 'hours.mon.0: bad time "12:60"; use HH:MM'],
    [{ mon: [['09:00', '25:00']] }, 'hours.mon.0: bad time "25:00"; use HH:MM'],
    [{ mon: [['17:00', '09:00']] }, 'hours.mon.0: 17:00 is not before 09:00'],
    [{ mon: [['09:00', '09:00']] }, 'hours.mon.0: 09:00 is not before 09:00'],
  ])('names a bad interval %j', (hours, problem) => {
    expect(at(hours as unknown as BusinessCalendar['hours'])).toContain(problem);
  });

  it('accepts 24:00 as the end of the day and a last minute of 59', () => {
    expect(at({ mon: [['00:00', '24:00']], tue: [['23:00', '23:59']] })).toEqual([]);
  });

  it('names overlapping intervals whatever their order, but not touching ones', () => {
    expect(
      at({
        mon: [
          ['13:00', '15:00'],
          ['09:00', '14:00'],
        ],
      }),
    ).toEqual(['hours.mon: intervals overlap']);
    expect(
      at({
        mon: [
          ['12:00', '15:00'],
          ['09:00', '12:00'],
        ],
      }),
    ).toEqual([]);
  });

  it('names a day that is not a weekday and a calendar that never opens', () => {
    expect(at({ funday: [['09:00', '10:00']] } as never)).toEqual([
      'hours.funday: not a weekday (use sun, mon, tue, wed, thu, fri, sat)',
    ]);
    expect(at({ mon: [] })).toEqual(['hours: the calendar is never open']);
  });

  it('names bad holidays, and ranges that end before they start', () => {
    const open: BusinessCalendar['hours'] = { mon: [['09:00', '17:00']] };
    expect(at(open, ['2026-1-01', '2026-01-01x', 'x2026-01-01'])).toEqual([
      'holidays.0: "2026-1-01" is not YYYY-MM-DD',
      'holidays.1: "2026-01-01x" is not YYYY-MM-DD',
      'holidays.2: "x2026-01-01" is not YYYY-MM-DD',
    ]);
    expect(at(open, [{ from: '2026-12-31', to: '2026-12-24' }])).toEqual(['holidays.0: from is after to']);
    expect(
      at(open, [
        { from: '2026-12-24', to: '2026-12-24' },
        { from: 'soon', to: '2026-12-24' },
      ]),
    ).toEqual(['holidays.1.from: "soon" is not YYYY-MM-DD', 'holidays.1: from is after to']);
    // Real dates of this millennium only: a calendar closed until 9999 could never compute.
    expect(at(open, ['2026-02-30', { from: '2026-01-01', to: '9999-12-31' }, '1999-12-31'])).toEqual([
      'holidays.0: 2026-02-30 is not a date between 2000-01-01 and 2999-12-31',
      'holidays.1.to: 9999-12-31 is not a date between 2000-01-01 and 2999-12-31',
      'holidays.2: 1999-12-31 is not a date between 2000-01-01 and 2999-12-31',
    ]);
  });

  it('skips a closure of years in one step and counts a year-long target on a one-hour week', () => {
    const calendar: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      hours: { mon: [['09:00', '10:00']] },
      holidays: [
        { from: '2027-01-01', to: '2029-12-31' },
        { from: '2029-06-01', to: '2031-06-30' }, // overlapping ranges close until mid-2031
        '2031-07-07',
      ],
    };
    const start = new Date('2026-12-28T09:30:00+01:00'); // a Monday, inside its hour
    // 30 minutes left on 28 Dec; then closed until July 2031; 7 July is a holiday too.
    expect(addBusinessTime(calendar, start, 60).toISOString()).toBe('2031-07-14T07:30:00.000Z');
    expect(businessTimeBetween(calendar, start, new Date('2031-07-15T00:00:00Z'))).toBe(90);
    // Ten years of a one-hour week: 520 Mondays (2031's closures included), found by a search that scales.
    const end = addBusinessTime({ timeZone: 'UTC', hours: { mon: [['09:00', '10:00']] } }, start, 520 * 60);
    expect(end.getUTCFullYear()).toBe(2036);
    // Closed until the end of 9999 (validation refuses it): one step to the end, then a clear error.
    expect(() =>
      addBusinessTime({ ...calendar, holidays: [{ from: '2026-12-29', to: '9999-12-31' }] }, start, 60),
    ).toThrow('no open hours before the year 10000');
  });

  it('names a time zone that does not exist', () => {
    expect(calendarProblems({ timeZone: 'Mars/Olympus', hours: { mon: [['09:00', '10:00']] } })).toEqual([
      'timeZone "Mars/Olympus" is not an IANA time zone',
    ]);
  });
});
