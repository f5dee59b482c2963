import type * as z from 'zod';
import {
  type Actor,
  EARLIEST_OCCURRED_AT,
  HEED_EVENT_ID_PREFIX,
  INBOUND_EVENT_TYPES,
  type InboundEvent,
  InboundEventSchema,
  MAX_FUTURE_SKEW_MINUTES,
  TicketOpenedSchema,
} from './inbound';
import { RawNumber } from './json';

/** One offending field: `path` is dotted (`data.customer.email`, `events.3.id`). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, key) =>
      v !== null && typeof v === 'object' && Object.hasOwn(v, key)
        ? (v as Record<PropertyKey, unknown>)[key]
        : undefined,
    input,
  );

const pathOf = (prefix: string, path: readonly PropertyKey[]): string =>
  [prefix, ...path.map(String)].filter((p) => p !== '').join('.') || '(root)';

export const issuesOf = (error: z.ZodError, prefix = '', input?: unknown): FieldIssue[] =>
  error.issues.flatMap((issue) => {
    // A key a strict object does not know is named itself, one issue per key.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        path: pathOf(prefix, [...issue.path, key]),
        message: 'unknown key (a typo? it is not part of the configuration)',
      }));
    const raw = input === undefined ? undefined : valueAt(input, issue.path);
    return [
      {
        path: pathOf(prefix, issue.path),
        message:
          raw instanceof RawNumber
            ? `the number ${raw.text.slice(0, 40)} cannot be represented exactly; send it as a string`
            : issue.message,
      },
    ];
  });

export interface InboundContext {
  /** Heed's clock: `occurredAt` may not run ahead of it by more than MAX_FUTURE_SKEW_MINUTES. */
  readonly now: Date;
  /** Only Heed itself may use ids with the `heed:` prefix. @default 'producer' */
  readonly actor?: Actor;
}

/** What a valid schema cannot say about `occurredAt` and ids: the sane range and the reserved prefix. */
const contextIssues = (event: InboundEvent, context: InboundContext): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const at = Date.parse(event.occurredAt);
  if (at < Date.parse(EARLIEST_OCCURRED_AT))
    issues.push({ path: 'occurredAt', message: `must not be before ${EARLIEST_OCCURRED_AT}` });
  if (at > context.now.getTime() + MAX_FUTURE_SKEW_MINUTES * 60_000)
    issues.push({
      path: 'occurredAt',
      message: `is more than ${MAX_FUTURE_SKEW_MINUTES} minutes in the future (Heed's clock reads ${context.now.toISOString()})`,
    });
  const producer = (context.actor ?? 'producer') !== 'heed';
  if (producer && event.id.startsWith(HEED_EVENT_ID_PREFIX))
    issues.push({ path: 'id', message: `ids starting with "${HEED_EVENT_ID_PREFIX}" are reserved for Heed` });
  // Heed's own tickets (linked tickets) are opened by Heed alone; producers answer them like any other.
  if (producer && event.type === 'ticket.opened' && event.ticketId.startsWith(HEED_EVENT_ID_PREFIX))
    issues.push({
      path: 'ticketId',
      message: `tickets whose id starts with "${HEED_EVENT_ID_PREFIX}" are opened by Heed only (linked tickets)`,
    });
  return issues;
};

/**
 * Validates one inbound event. The type is checked first so that an unknown type gets one clear
 * message instead of zod's union noise, and every other offending field is named. The result has
 * only the known fields (defaults applied); unknown ones are the caller's to keep verbatim.
 */
export const validateInboundEvent = (input: unknown, context: InboundContext): Validation<InboundEvent> => {
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
            : `unknown event type ${JSON.stringify(String(type)).slice(0, 80)}; one of ${INBOUND_EVENT_TYPES.join(', ')}`,
      },
    ];
    // Still name the envelope fields that are wrong, so one round trip fixes everything.
    const rest = TicketOpenedSchema.pick({ id: true, ticketId: true, occurredAt: true }).safeParse(input);
    if (!rest.success) issues.push(...issuesOf(rest.error, '', input));
    return { ok: false, issues };
  }
  const parsed = InboundEventSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error, '', input) };
  const issues = contextIssues(parsed.data, context);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
};
