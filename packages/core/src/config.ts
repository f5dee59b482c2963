import {
  type FieldIssue,
  issuesOf,
  type TenantConfig,
  TenantConfigSchema,
  type Validation,
} from '@heed/contracts';
import { type BusinessCalendar, calendarProblems, weeklyOpenMinutes } from './calendar';
import { webhookId } from './webhooks';

/**
 * The configuration every tenant starts with (and what a configuration leaves out falls back to):
 * weekdays 09:00–17:00 UTC, urgent tickets answered within an hour around the clock, high within
 * four business hours, the rest within a business day.
 */
export const DEFAULT_TENANT_CONFIG: TenantConfig = TenantConfigSchema.parse({});

/** The longest a business-hours clock may count: ten years of its calendar's weekly hours. */
const MAX_BUSINESS_WEEKS = 520;
const TARGET_KEYS = {
  first_response: 'firstResponse',
  next_response: 'nextResponse',
  resolution: 'resolution',
} as const;

/**
 * What a business-hours rule must count on its calendar (each target, and each escalation step
 * at target + offset) must be reachable: at most ten years of the calendar's weekly hours. A
 * target of a year on a calendar open one hour a week would need 168 years of search.
 */
const durationIssues = (config: TenantConfig): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  config.sla.rules.forEach((rule, i) => {
    const calendar = config.calendars[rule.calendar];
    if (rule.hours !== 'business' || !calendar) return;
    const weekly = weeklyOpenMinutes(calendar);
    if (weekly <= 0) return; // reported as a calendar that never opens
    const limit = weekly * MAX_BUSINESS_WEEKS;
    const why = `more than ten years of the ${JSON.stringify(rule.calendar)} calendar's hours (${weekly} minutes a week, so at most ${limit} minutes)`;
    const [ladder, ladderPath] = rule.escalation
      ? [rule.escalation, `sla.rules.${i}.escalation`]
      : [config.sla.escalation, 'sla.escalation'];
    for (const [kind, key] of Object.entries(TARGET_KEYS)) {
      const target = rule.targets[key];
      if (target > limit) {
        issues.push({ path: `sla.rules.${i}.targets.${key}`, message: `${target} minutes is ${why}` });
        continue;
      }
      ladder.forEach((step, j) => {
        if (step.clocks && !step.clocks.includes(kind as keyof typeof TARGET_KEYS)) return;
        if (target + step.offset > limit)
          issues.push({
            path: `${ladderPath}.${j}.offset`,
            message: `the ${key} target plus this offset (${target + step.offset} minutes, rule ${JSON.stringify(rule.name)}) is ${why}`,
          });
      });
    }
  });
  // One message per path: a shared ladder is named once however many rules it is too long for.
  return issues.filter((issue, k) => issues.findIndex((o) => o.path === issue.path) === k);
};

/** A top-level section's schema, as far as validation uses it (each has a default). */
interface Section {
  safeParse(value: unknown): { success: boolean; data?: unknown };
  parse(value: unknown): unknown;
}

/** The checks across fields, each with the top-level sections it reads. */
const crossChecks = (config: TenantConfig): { needs: readonly string[]; issues: () => FieldIssue[] }[] => {
  const calendarIssues = (path: string, calendar: BusinessCalendar): FieldIssue[] =>
    calendarProblems(calendar).map((problem) => {
      const [where, ...rest] = problem.split(': ');
      return rest.length > 0
        ? { path: `${path}.${where}`, message: rest.join(': ') }
        : { path, message: problem };
    });
  return [
    {
      needs: ['calendars', 'defaultTimeZone'],
      issues: () =>
        Object.entries(config.calendars).flatMap(([name, calendar]) =>
          calendarIssues(`calendars.${name}`, calendar),
        ),
    },
    // Contact hours are read in each customer's zone; their shape is checked once, in UTC.
    {
      needs: ['followUp'],
      issues: () =>
        calendarIssues('followUp.contactHours', { timeZone: 'UTC', ...config.followUp.contactHours }),
    },
    {
      needs: ['sla', 'calendars'],
      issues: () =>
        config.sla.rules.flatMap((rule, i) =>
          config.calendars[rule.calendar]
            ? []
            : [
                {
                  path: `sla.rules.${i}.calendar`,
                  message: `no calendar named ${JSON.stringify(rule.calendar)}`,
                },
              ],
        ),
    },
    { needs: ['sla', 'calendars', 'defaultTimeZone'], issues: () => durationIssues(config) },
    {
      needs: ['sla'],
      issues: () => {
        const names = config.sla.rules.map((r) => r.name);
        const out: FieldIssue[] = names.flatMap((name, i) =>
          names.indexOf(name) !== i
            ? [{ path: `sla.rules.${i}.name`, message: `duplicate rule name ${JSON.stringify(name)}` }]
            : [],
        );
        const last = config.sla.rules.at(-1);
        if (last && Object.keys(last.match).length > 0)
          out.push({
            path: `sla.rules.${config.sla.rules.length - 1}.match`,
            message:
              'the last rule must match every ticket (an empty match), so that every ticket gets a promise',
          });
        return out;
      },
    },
    {
      needs: ['delivery'],
      issues: () => {
        const hookIds = config.delivery.webhooks.map(webhookId);
        const out: FieldIssue[] = hookIds.flatMap((id, i) =>
          hookIds.indexOf(id) !== i
            ? [
                {
                  path: `delivery.webhooks.${i}.id`,
                  message: `duplicate endpoint id ${JSON.stringify(id)} (give each webhook its own id, or its own URL)`,
                },
              ]
            : [],
        );
        if (config.delivery.email.enabled && !config.delivery.email.from)
          out.push({ path: 'delivery.email.from', message: 'required when email delivery is enabled' });
        return out;
      },
    },
  ];
};

/**
 * Validates a tenant configuration and names every problem, with its path, in one pass: the
 * schema's, and what a schema cannot say (calendars that open, rules that name existing
 * calendars, a catch-all last rule so every ticket gets a promise, unique ids), checked on every
 * top-level section that is valid on its own, so fixing one problem never reveals another.
 */
export const validateTenantConfig = (input: unknown): Validation<TenantConfig> => {
  const parsed = TenantConfigSchema.safeParse(input);
  const schemaIssues = parsed.success ? [] : issuesOf(parsed.error);
  const raw = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<
    string,
    unknown
  >;
  // A section that failed is replaced by its default, and checks reading it are skipped.
  const failed = new Set(schemaIssues.map((i) => i.path.split('.')[0] ?? ''));
  const sections = TenantConfigSchema.shape;
  const data: TenantConfig = parsed.success
    ? parsed.data
    : (Object.fromEntries(
        Object.entries(sections).map(([key, schema]) => {
          const section = schema as Section;
          const own = section.safeParse(failed.has(key) ? undefined : raw[key]);
          return [key, own.success ? own.data : section.parse(undefined)];
        }),
      ) as TenantConfig);
  const ownCalendars = 'calendars' in raw;
  // Without calendars of its own, a tenant's business hours are read in its own zone.
  const config: TenantConfig = ownCalendars
    ? data
    : {
        ...data,
        calendars: Object.fromEntries(
          Object.entries(data.calendars).map(([name, c]) => [name, { ...c, timeZone: data.defaultTimeZone }]),
        ),
      };
  const issues: FieldIssue[] = [...schemaIssues];
  for (const check of crossChecks(config))
    if (!check.needs.some((section) => failed.has(section))) issues.push(...check.issues());
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: config };
};
