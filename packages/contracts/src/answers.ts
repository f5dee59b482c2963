import { z } from 'zod';
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from './inbound';

/*
 * What the HTTP API answers, as schemas: the OpenAPI document is generated from these (and the
 * inbound ones), and the end-to-end tests check every answer they receive against it. Objects
 * whose content is the producer's own or grows with Heed (timeline details) stay open; the
 * envelope of every answer is closed.
 */

const instant = z.iso.datetime({ offset: true });
const nullableInstant = instant.nullable();

/** Every error answer: a machine code, a sentence, and where a field was wrong, every one of them. */
export const ErrorAnswerSchema = z
  .object({
    error: z
      .string()
      .meta({ description: 'A stable machine-readable code (invalid_event, not_found, busy…).' }),
    message: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every offending field, when the request was invalid.' }),
    id: z.string().nullable().optional().meta({ description: 'The event id the error is about, if any.' }),
  })
  .catchall(z.unknown())
  .meta({ id: 'Error' });

export const EventResultSchema = z
  .object({
    index: z.number().int().nonnegative(),
    id: z.string().nullable(),
    status: z.enum(['accepted', 'duplicate', 'rejected', 'conflict', 'failed']).meta({
      description:
        'accepted / duplicate (same id and body again: no effect) / rejected (invalid: fix it) / conflict (the id was used before for another event) / failed (not recorded now: retry, it is idempotent).',
    }),
    ticketId: z.string().optional(),
    reference: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .strict()
  .meta({ id: 'EventResult' });

/** The answer to one event posted alone: its result, without a batch index. */
export const SingleAnswerSchema = EventResultSchema.omit({ index: true }).meta({ id: 'SingleResult' });

export const BatchAnswerSchema = z
  .object({
    accepted: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative().meta({ description: 'Rejected and conflicting events.' }),
    failed: z.number().int().nonnegative(),
    results: z.array(EventResultSchema),
  })
  .strict()
  .meta({ id: 'BatchResult' });

const ClockSchema = z
  .object({
    kind: z.enum(['first_response', 'next_response', 'resolution']),
    cycle: z.number().int().positive(),
    rule: z.string(),
    targetMinutes: z.number(),
    hours: z.enum(['business', 'calendar']),
    calendar: z.string(),
    startedAt: instant,
    dueAt: nullableInstant,
    elapsedMinutes: z.number(),
    status: z.enum(['running', 'paused', 'met', 'breached', 'cancelled']),
    warnedAt: nullableInstant,
    breachedAt: nullableInstant,
    stoppedAt: nullableInstant,
  })
  .strict()
  .meta({ id: 'Clock' });

const EscalationSchema = z
  .object({
    reason: z.enum(['sla', 'transfers', 'low-csat']),
    at: instant,
    actions: z.object({
      notify: z.array(z.string()),
      raisePriority: z.boolean(),
      assignGroup: z.string().nullable(),
    }),
  })
  .catchall(z.unknown())
  .meta({ id: 'Escalation', description: 'One step of the escalation ladder that fired, with what it did.' });

const FollowUpSchema = z
  .object({
    kind: z.string(),
    cycle: z.number().int(),
    round: z.number().int().optional(),
    dueAt: nullableInstant,
    status: z.string(),
    sentAt: nullableInstant,
    deliveryId: z.string().optional(),
    doneAt: nullableInstant.optional(),
    reason: z.string().nullable(),
  })
  .strict()
  .meta({ id: 'FollowUp' });

const TimelineEntrySchema = z
  .object({ source: z.enum(['producer', 'heed', 'customer']), at: instant, type: z.string() })
  .catchall(z.unknown())
  .meta({
    id: 'TimelineEntry',
    description: 'An event as received (with its data verbatim) or something Heed did, oldest first.',
  });

/** `GET /v1/tickets/{ticketId}`. */
export const TicketAnswerSchema = z
  .object({
    ticketId: z.string(),
    reference: z.string(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(PRIORITIES),
    channel: z.enum(CHANNELS).nullable(),
    subject: z.string().nullable(),
    customer: z
      .object({
        id: z.string(),
        name: z.string().optional(),
        email: z.string().optional(),
        locale: z.string().optional(),
        timeZone: z.string().optional(),
        tier: z.string().optional(),
      })
      .nullable(),
    assignee: z.object({ agentId: z.string().nullable(), groupId: z.string().nullable() }),
    createdBy: z.enum(['customer', 'agent']).nullable(),
    opened: z.boolean(),
    openedAt: nullableInstant,
    opening: z
      .object({ key: z.string(), eventId: z.string(), at: instant, reopen: z.boolean() })
      .strict()
      .nullable(),
    pendingSince: nullableInstant,
    transfers: z.number().int(),
    firstPublicReplyAt: nullableInstant,
    lastPublicReplyAt: nullableInstant,
    lastCustomerMessageAt: nullableInstant,
    solvedAt: nullableInstant,
    closedAt: nullableInstant,
    reopenCount: z.number().int(),
    linkedFrom: z.string().nullable(),
    lastFeedback: z.object({ score: z.number(), at: instant }).nullable(),
    eventCount: z.number().int(),
    sla: z
      .object({
        rule: z.string().nullable(),
        clocks: z.array(ClockSchema),
        escalations: z.array(EscalationSchema),
        problem: z.string().optional(),
      })
      .strict(),
    followUps: z.array(FollowUpSchema),
    survey: z
      .object({
        cycle: z.number().int(),
        score: z.number(),
        comment: z.string().nullable(),
        answeredAt: instant,
      })
      .strict()
      .nullable(),
    linkedTickets: z.array(z.object({ ticketId: z.string(), at: instant, reason: z.string() }).strict()),
    acknowledgements: z.array(
      z
        .object({
          opening: z.string(),
          status: z.enum(['requested', 'sent', 'skipped', 'failed']),
          reason: z.string().optional(),
          promisedBy: instant.optional(),
          rule: z.string().optional(),
          targetMinutes: z.number().optional(),
          hours: z.string().optional(),
          locale: z.string().optional(),
          channel: z.enum(CHANNELS).nullable().optional(),
          requestedAt: instant,
          sentAt: instant.optional(),
          deliveryId: z.string().optional(),
        })
        .strict(),
    ),
    deliveries: z.array(
      z
        .object({
          deliveryId: z.string(),
          purpose: z.string(),
          audience: z.enum(['customer', 'internal']).nullable().meta({
            description: 'Null only when the message was never stored (it failed before it was written).',
          }),
          roles: z.array(z.string()).optional(),
          channel: z.enum(CHANNELS).nullable(),
          locale: z.string().nullable(),
          status: z.enum(['pending', 'delivered', 'failed', 'cancelled', 'skipped']),
          reason: z.string().optional(),
          createdAt: instant,
          deliveredAt: instant.optional(),
          attempts: z.array(z.object({ at: instant, ok: z.boolean() }).catchall(z.unknown())),
        })
        .strict(),
    ),
    timeline: z.array(TimelineEntrySchema),
    timelineCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `before` for the page before this one; null on the first page.' }),
  })
  .strict()
  .meta({ id: 'Ticket' });

/** `POST /v1/connectors/{connectorId}`: what a product's webhook became. */
export const ConnectorAnswerSchema = z
  .union([
    z
      .object({
        connector: z.string(),
        provider: z.string(),
        status: z.literal('ignored'),
        reason: z.string().meta({ description: 'Why nothing was recorded (an event Heed does not map).' }),
      })
      .strict(),
    z
      .object({
        connector: z.string(),
        provider: z.string(),
        status: z.literal('mapped'),
        accepted: z.number().int().nonnegative(),
        duplicates: z.number().int().nonnegative(),
        rejected: z.number().int().nonnegative(),
        failed: z.number().int().nonnegative(),
        results: z.array(EventResultSchema),
      })
      .strict(),
  ])
  .meta({ id: 'ConnectorResult' });
