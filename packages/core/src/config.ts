import {
  type FieldIssue,
  issuesOf,
  type TenantConfig,
  TenantConfigSchema,
  type Validation,
} from '@heed/contracts';
import { type BusinessCalendar, calendarProblems } from './calendar';
import { webhookId } from './webhooks';

/**
 * The configuration every tenant starts with (and what a configuration leaves out falls back to):
 * weekdays 09:00–17:00 UTC, urgent tickets answered within an hour around the clock, high within
 * four business hours, the rest within a business day.
 */
export const DEFAULT_TENANT_CONFIG: TenantConfig = TenantConfigSchema.parse({});

/**
 * Validates a tenant configuration: the schema first, then what a schema cannot say (calendars
 * that open, rules that name existing calendars, a catch-all last rule so every ticket gets a
 * promise). Every problem is reported with its path.
 */
export const validateTenantConfig = (input: unknown): Validation<TenantConfig> => {
  const parsed = TenantConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const ownCalendars = typeof input === 'object' && input !== null && 'calendars' in input;
  // Without calendars of its own, a tenant's business hours are read in its own zone.
  const config: TenantConfig = ownCalendars
    ? parsed.data
    : {
        ...parsed.data,
        calendars: Object.fromEntries(
          Object.entries(parsed.data.calendars).map(([name, c]) => [
            name,
            { ...c, timeZone: parsed.data.defaultTimeZone },
          ]),
        ),
      };
  const issues: FieldIssue[] = [];
  const checkCalendar = (path: string, calendar: BusinessCalendar) => {
    for (const problem of calendarProblems(calendar)) {
      const [where, ...rest] = problem.split(': ');
      issues.push(
        rest.length > 0 ? { path: `${path}.${where}`, message: rest.join(': ') } : { path, message: problem },
      );
    }
  };
  for (const [name, calendar] of Object.entries(config.calendars))
    checkCalendar(`calendars.${name}`, calendar);
  // Contact hours are read in each customer's zone; their shape is checked once, in UTC.
  checkCalendar('followUp.contactHours', { timeZone: 'UTC', ...config.followUp.contactHours });
  config.sla.rules.forEach((rule, i) => {
    if (!config.calendars[rule.calendar]) {
      issues.push({
        path: `sla.rules.${i}.calendar`,
        message: `no calendar named ${JSON.stringify(rule.calendar)}`,
      });
    }
  });
  const names = config.sla.rules.map((r) => r.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i)
      issues.push({ path: `sla.rules.${i}.name`, message: `duplicate rule name ${JSON.stringify(name)}` });
  });
  const last = config.sla.rules.at(-1);
  if (last && Object.keys(last.match).length > 0) {
    issues.push({
      path: `sla.rules.${config.sla.rules.length - 1}.match`,
      message: 'the last rule must match every ticket (an empty match), so that every ticket gets a promise',
    });
  }
  const hookIds = config.delivery.webhooks.map(webhookId);
  hookIds.forEach((id, i) => {
    if (hookIds.indexOf(id) !== i)
      issues.push({
        path: `delivery.webhooks.${i}.id`,
        message: `duplicate endpoint id ${JSON.stringify(id)} (give each webhook its own id, or its own URL)`,
      });
  });
  if (config.delivery.email.enabled && !config.delivery.email.from) {
    issues.push({ path: 'delivery.email.from', message: 'required when email delivery is enabled' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: config };
};
