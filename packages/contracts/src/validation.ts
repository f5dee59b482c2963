import type { z } from 'zod';
import { INBOUND_EVENT_TYPES, type InboundEvent, InboundEventSchema } from './inbound';

/** One offending field: `path` is dotted (`data.customer.email`, `events.3.id`). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export const issuesOf = (error: z.ZodError, prefix = ''): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(root)',
    message: issue.message,
  }));

/**
 * Validates one inbound event. The type is checked first so that an unknown type gets one clear
 * message instead of zod's union noise, and every other offending field is named.
 */
export const validateInboundEvent = (input: unknown): Validation<InboundEvent> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '(root)', message: 'an event must be a JSON object' }] };
  }
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !(INBOUND_EVENT_TYPES as readonly string[]).includes(type)) {
    const issues: FieldIssue[] = [
      {
        path: 'type',
        message:
          type === undefined
            ? `required; one of ${INBOUND_EVENT_TYPES.join(', ')}`
            : `unknown event type ${JSON.stringify(type)}; one of ${INBOUND_EVENT_TYPES.join(', ')}`,
      },
    ];
    // Still name the envelope fields that are wrong, so one round trip fixes everything.
    const rest = InboundEventSchema.options[0]
      .pick({ id: true, ticketId: true, occurredAt: true })
      .safeParse(input);
    if (!rest.success) issues.push(...issuesOf(rest.error));
    return { ok: false, issues };
  }
  const parsed = InboundEventSchema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
};
