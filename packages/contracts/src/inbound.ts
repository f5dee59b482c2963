import { z } from 'zod';

/** Limits of the inbound API; the intake handler and the docs read them from here. */
export const MAX_BATCH_EVENTS = 100;
export const MAX_BODY_BYTES = 256 * 1024;

export const TICKET_STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['email', 'chat', 'phone', 'web', 'sms', 'social', 'api'] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Channel = (typeof CHANNELS)[number];

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

const id = z.string().trim().min(1).max(128);

export const TimeZoneSchema = z
  .string()
  .refine(isIanaZone, { message: 'must be an IANA time zone such as Asia/Tokyo' });
export const LocaleSchema = z
  .string()
  .refine(isLocale, { message: 'must be a BCP 47 language tag such as ja-JP' });

/** Unknown fields are kept (loose objects): producers may send more than Heed reads. */
export const CustomerSchema = z.looseObject({
  id,
  name: z.string().max(256).optional(),
  email: z.email().optional(),
  locale: LocaleSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
  tier: z.string().min(1).max(64).optional(),
});

const envelope = {
  id,
  ticketId: id,
  occurredAt: z.iso.datetime({ offset: true }),
};

export const TicketOpenedSchema = z.looseObject({
  ...envelope,
  type: z.literal('ticket.opened'),
  data: z.looseObject({
    channel: z.enum(CHANNELS),
    priority: z.enum(PRIORITIES).default('normal'),
    subject: z.string().max(1000).optional(),
    /** Who created the ticket: agent-created tickets are never auto-acknowledged. */
    createdBy: z.enum(['customer', 'agent']).default('customer'),
    customer: CustomerSchema,
  }),
});

export const CustomerRepliedSchema = z.looseObject({
  ...envelope,
  type: z.literal('customer.replied'),
  data: z.looseObject({ messageId: id.optional(), channel: z.enum(CHANNELS).optional() }).default({}),
});

export const AgentRepliedSchema = z.looseObject({
  ...envelope,
  type: z.literal('agent.replied'),
  data: z.looseObject({
    agentId: id,
    /** An internal note does not count as a response to the customer. */
    public: z.boolean().default(true),
    messageId: id.optional(),
  }),
});

export const StatusChangedSchema = z.looseObject({
  ...envelope,
  type: z.literal('ticket.status_changed'),
  data: z.looseObject({ status: z.enum(TICKET_STATUSES) }),
});

export const PriorityChangedSchema = z.looseObject({
  ...envelope,
  type: z.literal('ticket.priority_changed'),
  data: z.looseObject({ priority: z.enum(PRIORITIES) }),
});

export const AssignedSchema = z.looseObject({
  ...envelope,
  type: z.literal('ticket.assigned'),
  data: z
    .looseObject({ agentId: id.optional(), groupId: id.optional() })
    .refine((d) => d.agentId !== undefined || d.groupId !== undefined, {
      message: 'needs agentId or groupId',
    }),
});

export const FeedbackReceivedSchema = z.looseObject({
  ...envelope,
  type: z.literal('feedback.received'),
  data: z.looseObject({
    score: z.number().int().min(1).max(5),
    comment: z.string().max(5000).optional(),
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
