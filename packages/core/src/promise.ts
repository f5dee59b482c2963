import type { Channel, Priority, SlaRule, TenantConfig } from '@heed/contracts';
import { addTime, type BusinessCalendar, type HoursMode } from './calendar';

export interface RuleSubject {
  readonly priority: Priority;
  readonly channel: Channel | null;
  readonly tier?: string | undefined;
}

/** First rule whose every given criterion matches; the validated config ends with a catch-all. */
export const matchRule = (config: TenantConfig, subject: RuleSubject): SlaRule => {
  const rule = config.sla.rules.find(
    ({ match }) =>
      (!match.priority || match.priority.includes(subject.priority)) &&
      (!match.tier || (subject.tier !== undefined && match.tier.includes(subject.tier))) &&
      (!match.channel || (subject.channel !== null && match.channel.includes(subject.channel))),
  );
  const fallback = config.sla.rules.at(-1);
  if (!rule && !fallback) throw new Error('tenant configuration has no SLA rule');
  return (rule ?? fallback) as SlaRule;
};

export type ResponseKind = 'first_response' | 'next_response';

export interface ResponsePromise {
  readonly rule: string;
  readonly kind: ResponseKind;
  readonly targetMinutes: number;
  readonly hours: HoursMode;
  readonly calendar: string;
  readonly timeZone: string;
  readonly from: Date;
  readonly dueAt: Date;
}

/**
 * When a person will answer: the matching rule's first-response target (or next-response after
 * a reopen) added to `from` on the rule's calendar. This is the promise the acknowledgement
 * states, computed exactly as the SLA clock will be.
 */
export const responsePromise = (
  config: TenantConfig,
  subject: RuleSubject,
  kind: ResponseKind,
  from: Date,
): ResponsePromise => {
  const rule = matchRule(config, subject);
  const calendar = config.calendars[rule.calendar] as BusinessCalendar | undefined;
  if (!calendar) throw new Error(`SLA rule ${rule.name} names a missing calendar ${rule.calendar}`);
  const targetMinutes = kind === 'first_response' ? rule.targets.firstResponse : rule.targets.nextResponse;
  return {
    rule: rule.name,
    kind,
    targetMinutes,
    hours: rule.hours,
    calendar: rule.calendar,
    timeZone: calendar.timeZone,
    from,
    dueAt: addTime(rule.hours, calendar, from, targetMinutes),
  };
};
