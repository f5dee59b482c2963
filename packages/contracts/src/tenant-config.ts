import * as z from 'zod';
import { CHANNELS, LocaleSchema, PRIORITIES, TimeZoneSchema } from './inbound';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM (00:00-24:00)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const minutes = z
  .number()
  .positive()
  .max(365 * 24 * 60);

export const CalendarSchema = z.object({
  timeZone: TimeZoneSchema,
  /** Open intervals per weekday (sun … sat), local wall time. */
  hours: z.partialRecord(
    z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']),
    z.array(z.tuple([hhmm, hhmm])),
  ),
  holidays: z.array(z.union([isoDate, z.object({ from: isoDate, to: isoDate })])).default([]),
});

export const SlaRuleSchema = z.object({
  name: z.string().min(1).max(64),
  /** All given criteria must match; an empty match is the catch-all. */
  match: z
    .object({
      priority: z.array(z.enum(PRIORITIES)).min(1).optional(),
      tier: z.array(z.string().min(1)).min(1).optional(),
      channel: z.array(z.enum(CHANNELS)).min(1).optional(),
    })
    .default({}),
  calendar: z.string().min(1).default('default'),
  /** Count the targets in business hours of the calendar, or around the clock. */
  hours: z.enum(['business', 'calendar']).default('business'),
  /** Targets in minutes. */
  targets: z.object({ firstResponse: minutes, nextResponse: minutes, resolution: minutes }),
});

const templateText = z.string().min(1).max(20_000);

/** Per-locale overrides; placeholders: {{greeting}}, {{name}}, {{reference}}, {{promise}}. */
export const TemplateOverrideSchema = z.object({
  subject: templateText.optional(),
  text: templateText.optional(),
  short: templateText.optional(),
  reopenSubject: templateText.optional(),
  reopenText: templateText.optional(),
  reopenShort: templateText.optional(),
});

/** A role escalations and internal notifications are addressed to (assignee, group-lead, …). */
export const RoleSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and "-"');
export const DEFAULT_ROLES = ['assignee', 'group-lead', 'manager', 'head-of-support'] as const;

export const WebhookSchema = z.object({
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
   * sealed (KMS in AWS), bound to this tenant and endpoint.
   */
  secret: z.string().min(16).max(4096),
  /** Which messages this endpoint receives: customer-facing ones, internal notifications, or both. */
  audiences: z
    .array(z.enum(['customer', 'internal']))
    .min(1)
    .default(['customer', 'internal']),
  /** Internal messages reach this endpoint only when addressed to one of these roles. @default every role */
  roles: z.array(RoleSchema).min(1).optional(),
});

export const TenantConfigSchema = z.object({
  defaultLocale: LocaleSchema.default('en'),
  defaultTimeZone: TimeZoneSchema.default('UTC'),
  calendars: z.record(z.string().min(1), CalendarSchema),
  sla: z.object({
    rules: z.array(SlaRuleSchema).min(1),
    /** Statuses in which SLA clocks pause. */
    pauseOn: z.array(z.enum(['pending', 'on_hold'])).default(['pending', 'on_hold']),
    /** Warn when this share of a target has elapsed. */
    warnAt: z.number().gt(0).lt(1).default(0.75),
  }),
  acknowledgement: z
    .object({
      enabled: z.boolean().default(true),
      templates: z.record(LocaleSchema, TemplateOverrideSchema).default({}),
    })
    .default({ enabled: true, templates: {} }),
  delivery: z
    .object({
      webhooks: z.array(WebhookSchema).default([]),
      email: z
        .object({ enabled: z.boolean().default(false), from: z.email().optional() })
        .default({ enabled: false }),
    })
    .default({ webhooks: [], email: { enabled: false } }),
});

export type TenantConfigInput = z.input<typeof TenantConfigSchema>;
export type TenantConfig = z.output<typeof TenantConfigSchema>;
export type SlaRule = z.output<typeof SlaRuleSchema>;
export type CalendarConfig = z.output<typeof CalendarSchema>;
export type TemplateOverride = z.output<typeof TemplateOverrideSchema>;
export type Webhook = z.output<typeof WebhookSchema>;
