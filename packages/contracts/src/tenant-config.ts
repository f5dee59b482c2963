import * as z from 'zod';

/*
 * Every object of the tenant configuration is strict: a key it does not know (a typo, a field of
 * a newer version) is refused with its path, never silently dropped on `config push`.
 */
import { CHANNELS, LocaleSchema, PRIORITIES, TimeZoneSchema } from './inbound';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM (00:00-24:00)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const minutes = z
  .number()
  .positive()
  .max(365 * 24 * 60);

/** Closed dates and inclusive ranges; a thousand is years of public holidays. */
const holidayList = z
  .array(z.union([isoDate, z.strictObject({ from: isoDate, to: isoDate })]))
  .max(1000)
  .default([]);

export const CalendarSchema = z.strictObject({
  timeZone: TimeZoneSchema,
  /** Open intervals per weekday (sun … sat), local wall time. */
  hours: z.partialRecord(
    z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']),
    z.array(z.tuple([hhmm, hhmm])),
  ),
  holidays: holidayList,
});

/** The SLA clocks of a ticket (DESIGN §5.1). */
export const CLOCK_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** A role escalations and internal notifications are addressed to (assignee, group-lead, …). */
export const RoleSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and "-"');
export const DEFAULT_ROLES = ['assignee', 'group-lead', 'manager', 'head-of-support'] as const;

/**
 * One step of an escalation ladder: when a clock's elapsed time reaches its target plus `offset`
 * minutes (negative: before the breach), tell `notify`, raise the priority one level, and/or move
 * the ticket to `assignGroup`. Pauses and closed hours delay a step like the clock itself.
 */
export const EscalationStepSchema = z
  .strictObject({
    offset: z
      .number()
      .int()
      .min(-7 * 24 * 60)
      .max(365 * 24 * 60),
    notify: z.array(RoleSchema).min(1).optional(),
    raisePriority: z.boolean().optional(),
    assignGroup: z.string().min(1).max(128).optional(),
    /**
     * When this step raises the priority: do the running clocks take the rule the new priority
     * matches (true), or keep theirs to the end of their cycle (false; clocks started later use
     * the new rule)? @default true
     */
    retarget: z.boolean().optional(),
    /** Only for these clocks. @default every clock */
    clocks: z.array(z.enum(CLOCK_KINDS)).min(1).optional(),
  })
  .refine((s) => s.notify !== undefined || s.raisePriority === true || s.assignGroup !== undefined, {
    message: 'a step needs notify, raisePriority or assignGroup',
  });

const ladder = z
  .array(EscalationStepSchema)
  .max(20)
  .refine((steps) => new Set(steps.map((s) => s.offset)).size === steps.length, {
    message: 'each step needs its own offset (steps are identified by it)',
  });

/**
 * The ladder every rule uses unless it has its own: the assignee 30 minutes before a breach,
 * assignee and group lead at the breach, the manager an hour late (and one priority level up),
 * the head of support four hours late.
 */
export const DEFAULT_ESCALATION = [
  { offset: -30, notify: ['assignee'] },
  { offset: 0, notify: ['assignee', 'group-lead'] },
  { offset: 60, notify: ['manager'], raisePriority: true },
  { offset: 240, notify: ['head-of-support'] },
];

export const SlaRuleSchema = z.strictObject({
  name: z.string().min(1).max(64),
  /** All given criteria must match; an empty match is the catch-all. */
  match: z
    .strictObject({
      priority: z.array(z.enum(PRIORITIES)).min(1).optional(),
      tier: z.array(z.string().min(1)).min(1).optional(),
      channel: z.array(z.enum(CHANNELS)).min(1).optional(),
    })
    .default({}),
  calendar: z.string().min(1).default('default'),
  /** Count the targets in business hours of the calendar, or around the clock. */
  hours: z.enum(['business', 'calendar']).default('business'),
  /** Targets in minutes. */
  targets: z.strictObject({ firstResponse: minutes, nextResponse: minutes, resolution: minutes }),
  /** This rule's own escalation ladder. @default sla.escalation */
  escalation: ladder.optional(),
});

const templateText = z.string().min(1).max(20_000);

/** Per-locale overrides; placeholders: {{greeting}}, {{name}}, {{reference}}, {{promise}}. */
export const TemplateOverrideSchema = z.strictObject({
  subject: templateText.optional(),
  text: templateText.optional(),
  short: templateText.optional(),
  reopenSubject: templateText.optional(),
  reopenText: templateText.optional(),
  reopenShort: templateText.optional(),
});

/** Per-locale overrides of the follow-up messages; placeholders {{greeting}}, {{reference}}, {{link}}. */
export const FollowUpTemplateSchema = z.strictObject({
  surveySubject: templateText.optional(),
  surveyText: templateText.optional(),
  surveyShort: templateText.optional(),
  reminderSubject: templateText.optional(),
  reminderText: templateText.optional(),
  reminderShort: templateText.optional(),
});

const weekHours = z.partialRecord(
  z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']),
  z.array(z.tuple([hhmm, hhmm])),
);
const weekdays = (interval: [string, string]) => ({
  mon: [interval],
  tue: [interval],
  wed: [interval],
  thu: [interval],
  fri: [interval],
});

/**
 * Follow-ups (DESIGN §5.2). Every duration is in minutes. Messages to a customer go out only
 * inside `contactHours`, read in the customer's own time zone (the tenant's when unknown).
 */
export const FollowUpSchema = z.strictObject({
  contactHours: z
    .strictObject({
      hours: weekHours,
      holidays: holidayList,
    })
    .default({ hours: weekdays(['09:00', '18:00']), holidays: [] }),
  survey: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** After the ticket is solved; then moved into contact hours. */
      after: minutes.default(24 * 60),
      /** How long its score links work. */
      expiresAfter: minutes.default(30 * 24 * 60),
    })
    .default({ enabled: true, after: 24 * 60, expiresAfter: 30 * 24 * 60 }),
  pending: z
    .strictObject({
      /** Reminders after the ticket starts waiting on the customer, each moved into contact hours. */
      reminders: z
        .array(minutes)
        .max(10)
        .default([24 * 60, 72 * 60]),
      /** Close it then (never before its last reminder); null: never. */
      autoClose: minutes.nullable().default(7 * 24 * 60),
    })
    .default({ reminders: [24 * 60, 72 * 60], autoClose: 7 * 24 * 60 }),
  /** A solved ticket closes this long after (a customer message until then reopens it); null: never. */
  closeSolvedAfter: minutes.nullable().default(4 * 24 * 60),
  /** A score at or below this reopens the ticket and escalates. */
  lowScore: z.number().int().min(1).max(5).default(2),
  /** Who hears of a low score. */
  lowScoreNotify: z.array(RoleSchema).min(1).default(['group-lead']),
  /** A message due more than this long ago (a backfilled history) is skipped, never sent late. */
  staleAfter: minutes.default(24 * 60),
  templates: z.record(LocaleSchema, FollowUpTemplateSchema).default({}),
});

/**
 * What a webhook's body looks like: Heed's own (signed), the message format of the tool the
 * people are in (internal messages only: escalations and notices, never a customer's), or a
 * helpdesk's REST API (`zendesk`, `freshdesk`: every message, written into the helpdesk's own
 * ticket).
 */
export const WEBHOOK_FORMATS = ['heed', 'slack', 'teams', 'pagerduty', 'zendesk', 'freshdesk'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
/** The formats that write into a helpdesk's ticket through its API. */
export const HELPDESK_FORMATS = ['zendesk', 'freshdesk'] as const;
export type HelpdeskFormat = (typeof HELPDESK_FORMATS)[number];
/** A webhook's credentials: stored sealed, shown masked, opened only by the notifier. */
export const SEALED_WEBHOOK_FIELDS = ['secret', 'routingKey', 'apiToken'] as const;
export const isHelpdeskFormat = (f: WebhookFormat): f is HelpdeskFormat =>
  (HELPDESK_FORMATS as readonly string[]).includes(f);

export const WebhookSchema = z
  .strictObject({
    /**
     * Stable id of the endpoint: delivery progress is recorded per id, so endpoints may be
     * reordered or removed between retries. @default derived from the URL
     */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'use 1-40 of A-Z a-z 0-9 _ - (not starting with _ or -)')
      .optional(),
    url: z.url({ protocol: /^https?$/ }),
    /**
     * HMAC-SHA256 key for the Heed-Signature header; at least 16 characters. Heed stores it
     * sealed (KMS in AWS), bound to this tenant and endpoint. Required for the `heed` format (the
     * other formats' URL or routing key is their credential).
     */
    secret: z.string().min(16).max(4096).optional(),
    /** @default 'heed' */
    format: z.enum(WEBHOOK_FORMATS).default('heed'),
    /** PagerDuty Events API v2 integration key (format `pagerduty`): stored sealed like a secret. */
    routingKey: z.string().min(1).max(4096).optional(),
    /**
     * The helpdesk's API credential (formats `zendesk`, `freshdesk`): a Zendesk API token or a
     * Freshdesk API key. Stored sealed like a secret. `url` is then the helpdesk's address, such
     * as https://acme.zendesk.com.
     */
    apiToken: z.string().min(1).max(4096).optional(),
    /** Zendesk: the agent's e-mail the API token belongs to (Heed's notes are written as this agent). */
    apiUser: z.email().max(320).optional(),
    /**
     * How a customer message lands in the helpdesk's ticket: an internal `note` (the default: the
     * helpdesk sends nothing), or a `public` reply (the helpdesk e-mails the customer). Internal
     * notices are always notes. @default 'note'
     */
    reply: z.enum(['note', 'public']).optional(),
    /**
     * The secret before a rotation (`npm run heed -- webhook rotate`): it signs too, beside the
     * new one, until `until`, so a receiver can switch over without losing a message.
     */
    previousSecret: z
      .strictObject({ secret: z.string().min(16).max(4096), until: z.iso.datetime() })
      .optional(),
    /** Which messages this endpoint receives: customer-facing ones, internal notifications, or both. */
    audiences: z
      .array(z.enum(['customer', 'internal']))
      .min(1)
      .default(['customer', 'internal']),
    /** Internal messages reach this endpoint only when addressed to one of these roles. @default every role */
    roles: z.array(RoleSchema).min(1).optional(),
  })
  .superRefine((hook, ctx) => {
    if (hook.format === 'heed' && !hook.secret)
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message: 'a heed-format webhook needs a secret (16+ characters)',
      });
    if (hook.format === 'pagerduty' && !hook.routingKey)
      ctx.addIssue({
        code: 'custom',
        path: ['routingKey'],
        message: 'a pagerduty webhook needs its routingKey (the integration key)',
      });
    if (hook.format !== 'pagerduty' && hook.routingKey)
      ctx.addIssue({
        code: 'custom',
        path: ['routingKey'],
        message: 'only a pagerduty webhook takes a routingKey',
      });
    const helpdesk = isHelpdeskFormat(hook.format);
    if (helpdesk && !hook.apiToken)
      ctx.addIssue({
        code: 'custom',
        path: ['apiToken'],
        message: `a ${hook.format} webhook needs its apiToken (the helpdesk's API token or key)`,
      });
    if (hook.format === 'zendesk' && !hook.apiUser)
      ctx.addIssue({
        code: 'custom',
        path: ['apiUser'],
        message: "a zendesk webhook needs its apiUser (the e-mail of the API token's agent)",
      });
    for (const field of ['apiToken', 'apiUser', 'reply'] as const)
      if (!helpdesk && hook[field] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `only a zendesk or freshdesk webhook takes ${field}`,
        });
    if (hook.format === 'freshdesk' && hook.apiUser)
      ctx.addIssue({ code: 'custom', path: ['apiUser'], message: 'a freshdesk webhook takes no apiUser' });
  });

const CalendarsSchema = z.record(z.string().min(1), CalendarSchema);
const WEEKDAYS_9_TO_5 = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
};
/**
 * The calendar of a tenant that names none: weekdays 09:00–17:00, in the tenant's
 * `defaultTimeZone` (core's validateTenantConfig sets the zone; UTC here).
 */
const DEFAULT_CALENDARS = CalendarsSchema.parse({ default: { timeZone: 'UTC', hours: WEEKDAYS_9_TO_5 } });
/** Urgent within an hour around the clock, high within four business hours, the rest within a business day. */
const DEFAULT_SLA_RULES = z.array(SlaRuleSchema).parse([
  {
    name: 'urgent',
    match: { priority: ['urgent'] },
    hours: 'calendar',
    targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
  },
  {
    name: 'high',
    match: { priority: ['high'] },
    targets: { firstResponse: 240, nextResponse: 240, resolution: 1440 },
  },
  { name: 'standard', targets: { firstResponse: 480, nextResponse: 480, resolution: 2400 } },
]);

const SlaPolicySchema = z.strictObject({
  /** Ordered: the first rule matching the ticket applies. @default urgent 1 h around the clock, high 4 business hours, the rest 8 */
  rules: z.array(SlaRuleSchema).min(1).default(DEFAULT_SLA_RULES),
  /** Statuses in which SLA clocks pause. */
  pauseOn: z.array(z.enum(['pending', 'on_hold'])).default(['pending', 'on_hold']),
  /** Warn when this share of a target has elapsed. */
  warnAt: z.number().gt(0).lt(1).default(0.75),
  /** Escalate (once) at the group change that makes more transfers than this. */
  maxTransfers: z.number().int().min(0).max(100).default(2),
  /** Who hears of a transfer escalation. */
  transferNotify: z.array(RoleSchema).min(1).default(['group-lead']),
  /**
   * A crossing that happened more than this long before Heed sees it (an imported history) is
   * recorded and shown on the ticket, but nobody is messaged about it.
   */
  staleAfter: minutes.default(24 * 60),
  /** The escalation ladder of every rule without its own. */
  escalation: ladder.default(DEFAULT_ESCALATION),
});

/** How the pages and HTML e-mails customers see look: the company's name, colour and logo. */
export const BrandingSchema = z.strictObject({
  /** Shown at the top of every page and e-mail. @default no name */
  name: z.string().trim().min(1).max(80).optional(),
  /** Accent colour of buttons and the header rule, `#rrggbb`. @default Heed's blue */
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'use #rrggbb')
    .optional(),
  /** An https image, shown at most 48 px high (its alt text is the name). @default no logo */
  logoUrl: z
    .url({ protocol: /^https$/ })
    .max(500)
    .optional(),
});
export type Branding = z.output<typeof BrandingSchema>;

export const TenantConfigSchema = z.strictObject({
  defaultLocale: LocaleSchema.default('en'),
  branding: BrandingSchema.default({}),
  defaultTimeZone: TimeZoneSchema.default('UTC'),
  /** Business calendars by name. @default `default`: weekdays 09:00–17:00 in defaultTimeZone */
  calendars: CalendarsSchema.default(DEFAULT_CALENDARS),
  sla: SlaPolicySchema.default(SlaPolicySchema.parse({})),
  acknowledgement: z
    .strictObject({
      enabled: z.boolean().default(true),
      templates: z.record(LocaleSchema, TemplateOverrideSchema).default({}),
    })
    .default({ enabled: true, templates: {} }),
  followUp: FollowUpSchema.default(FollowUpSchema.parse({})),
  delivery: z
    .strictObject({
      webhooks: z.array(WebhookSchema).default([]),
      /**
       * The helpdesk's page of a ticket, with a `{ticketId}` placeholder
       * (`https://acme.zendesk.com/agent/tickets/{ticketId}`): Slack, Teams and PagerDuty
       * messages link to it. @default no link
       */
      ticketUrl: z
        .url({ protocol: /^https?$/ })
        .refine((u) => u.includes('{ticketId}'), { message: 'must contain the {ticketId} placeholder' })
        .optional(),
      /**
       * Let webhooks reach private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7),
       * for a notifier attached to the company's network. Loopback and link-local stay refused.
       */
      allowPrivateNetworks: z.boolean().default(false),
      email: z
        .strictObject({ enabled: z.boolean().default(false), from: z.email().optional() })
        .default({ enabled: false }),
    })
    .default({ webhooks: [], allowPrivateNetworks: false, email: { enabled: false } }),
});

export type TenantConfigInput = z.input<typeof TenantConfigSchema>;
export type TenantConfig = z.output<typeof TenantConfigSchema>;
export type SlaRule = z.output<typeof SlaRuleSchema>;
export type CalendarConfig = z.output<typeof CalendarSchema>;
export type TemplateOverride = z.output<typeof TemplateOverrideSchema>;
export type Webhook = z.output<typeof WebhookSchema>;
export type EscalationStep = z.output<typeof EscalationStepSchema>;
export type FollowUpConfig = z.output<typeof FollowUpSchema>;
export type FollowUpTemplateOverride = z.output<typeof FollowUpTemplateSchema>;
