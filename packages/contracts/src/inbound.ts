import * as z from 'zod';
import { isWellFormed } from './json';

/** Limits of the inbound API; the intake handler and the docs read them from here. */
export const MAX_BATCH_EVENTS = 100;
export const MAX_BODY_BYTES = 256 * 1024;
/** The earliest `occurredAt` accepted, and how far ahead of Heed's clock a producer's may run. */
export const EARLIEST_OCCURRED_AT = '2000-01-01T00:00:00.000Z';
export const MAX_FUTURE_SKEW_MINUTES = 15;
/**
 * Event ids starting with this are Heed's own (SLA steps, follow-ups, survey answers), and so are
 * ticket ids: only Heed opens such a ticket (a linked ticket, `heed:<id>~<n>`).
 */
export const HEED_EVENT_ID_PREFIX = 'heed:';
/** The longest id (event, ticket, agent…) Heed accepts, in UTF-16 code units; Heed's own ids too. */
export const MAX_ID_LENGTH = 128;

export const TICKET_STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['email', 'chat', 'phone', 'web', 'sms', 'social', 'api'] as const;
/** Who caused an event: the tenant's producer (helpdesk, gateway…), Heed itself, or the customer (survey). */
export const ACTORS = ['producer', 'heed', 'customer'] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Channel = (typeof CHANNELS)[number];
export type Actor = (typeof ACTORS)[number];

const isIanaZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const isLocale = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

/**
 * Why an identifier cannot travel: ids become DynamoDB keys, SQS bodies, HTTP paths and log
 * fields. Control characters, lone surrogates (stored as U+FFFD, so two ids would merge) and
 * noncharacters (U+FFFE…, refused by SQS) are rejected, as is surrounding whitespace (trimming
 * would silently merge " a" and "a").
 */
export const idProblem = (value: string): string | null => {
  if (!isWellFormed(value)) return 'contains a lone surrogate (invalid UTF-16)';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `contains the control character U+${hex(c)}`;
    if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) === 0xfffe)
      return `contains the noncharacter U+${hex(c)}`;
  }
  if (value.trim() !== value) return 'has leading or trailing whitespace';
  return null;
};
const hex = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');

const safeId = (max = MAX_ID_LENGTH) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((value, ctx) => {
      const problem = idProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** Free text (subjects, names, comments): any Unicode, but well-formed so it can be stored. */
const text = (max: number) =>
  z.string().max(max).refine(isWellFormed, { message: 'contains a lone surrogate (invalid UTF-16)' });

/** Producers may not use the `heed:` prefix; validateInboundEvent checks that for them. */
export const EventIdSchema = safeId();
/** Producers' and Heed's tickets alike (Heed's linked tickets stay within the limit too). */
export const TicketIdSchema = safeId().refine((id) => id !== '.' && id !== '..', {
  message: '"." and ".." are not ticket ids',
});

/**
 * RFC 3339 with a UTC offset and 0 to 9 fraction digits (Python sends 6, .NET 7, Go and Java up
 * to 9). Kept verbatim; events are ordered by the full precision.
 */
export const OccurredAtSchema = z.iso
  .datetime({ offset: true })
  .refine((v) => !/\.\d{10,}/.test(v), { message: 'use at most 9 fraction digits (nanoseconds)' });

export const TimeZoneSchema = z
  .string()
  .refine(isIanaZone, { message: 'must be an IANA time zone such as Asia/Tokyo' });
export const LocaleSchema = z
  .string()
  .max(64)
  .refine(isLocale, { message: 'must be a BCP 47 language tag such as ja-JP' });

/** Known fields are validated and stored; unknown fields are kept verbatim beside them (see json.ts). */
export const CustomerSchema = z.object({
  id: safeId(),
  name: text(256).optional(),
  email: z.email().max(320).optional(),
  locale: LocaleSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
  tier: safeId(64).optional(),
});

const envelope = {
  id: EventIdSchema,
  ticketId: TicketIdSchema,
  occurredAt: OccurredAtSchema,
};

export const TicketOpenedSchema = z.object({
  ...envelope,
  type: z.literal('ticket.opened'),
  data: z.object({
    channel: z.enum(CHANNELS),
    priority: z.enum(PRIORITIES).default('normal'),
    subject: text(1000).optional(),
    /** Who created the ticket: agent-created tickets are never auto-acknowledged. */
    createdBy: z.enum(['customer', 'agent']).default('customer'),
    customer: CustomerSchema,
    /** Set by Heed on a ticket it opened because the customer wrote to a closed one. */
    linkedFrom: TicketIdSchema.optional(),
  }),
});

export const CustomerRepliedSchema = z.object({
  ...envelope,
  type: z.literal('customer.replied'),
  data: z.object({ messageId: safeId().optional(), channel: z.enum(CHANNELS).optional() }).default({}),
});

export const AgentRepliedSchema = z.object({
  ...envelope,
  type: z.literal('agent.replied'),
  data: z.object({
    agentId: safeId(),
    /** An internal note does not count as a response to the customer. */
    public: z.boolean().default(true),
    messageId: safeId().optional(),
  }),
});

export const StatusChangedSchema = z.object({
  ...envelope,
  type: z.literal('ticket.status_changed'),
  data: z.object({ status: z.enum(TICKET_STATUSES) }),
});

export const PriorityChangedSchema = z.object({
  ...envelope,
  type: z.literal('ticket.priority_changed'),
  data: z.object({ priority: z.enum(PRIORITIES) }),
});

export const AssignedSchema = z.object({
  ...envelope,
  type: z.literal('ticket.assigned'),
  data: z
    .object({ agentId: safeId().optional(), groupId: safeId().optional() })
    .refine((d) => d.agentId !== undefined || d.groupId !== undefined, {
      message: 'needs agentId or groupId',
    }),
});

export const FeedbackReceivedSchema = z.object({
  ...envelope,
  type: z.literal('feedback.received'),
  data: z.object({
    score: z.number().int().min(1).max(5),
    comment: text(5000).optional(),
    /** The survey cycle answered, when the score came through a Heed survey link. */
    surveyCycle: z.number().int().min(1).max(1000).optional(),
  }),
});

export const InboundEventSchema = z.discriminatedUnion('type', [
  TicketOpenedSchema,
  CustomerRepliedSchema,
  AgentRepliedSchema,
  StatusChangedSchema,
  PriorityChangedSchema,
  AssignedSchema,
  FeedbackReceivedSchema,
]);

export type InboundEvent = z.infer<typeof InboundEventSchema>;
export type InboundEventType = InboundEvent['type'];
export type InboundEventOf<T extends InboundEventType> = Extract<InboundEvent, { type: T }>;

export const INBOUND_EVENT_TYPES = InboundEventSchema.options.map(
  (o) => o.shape.type.value,
) as readonly InboundEventType[];

export const BatchEnvelopeSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
});
