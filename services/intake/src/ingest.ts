import {
  errorSummary,
  logger,
  MetricUnit,
  type RecordOutcome,
  recordMetric,
  TicketContentionError,
  type TicketStorePort,
} from '@heed/aws';
import {
  BatchEnvelopeSchema,
  type EventResult,
  type FieldIssue,
  type InboundEvent,
  issuesOf,
  type JsonIssue,
  type JsonValue,
  MAX_BODY_BYTES,
  parseJson,
  stringifyJson,
  validateInboundEvent,
} from '@heed/contracts';
import type { Clock } from '@heed/core';
import { HttpError } from './http';

export interface IngestDeps {
  readonly tickets: TicketStorePort;
  readonly clock: Clock;
}

export interface IngestResponse {
  readonly statusCode: number;
  readonly body: unknown;
}

/** A request body read as JSON, with what could not be kept named by path. */
export interface ParsedBody {
  readonly value: JsonValue;
  readonly issues: readonly JsonIssue[];
}

const isJsonContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType.trim());

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks size, media type and encoding and reads the JSON; every failure is a named 4xx. */
export const parseBody = (body: Buffer, contentType: string | undefined): ParsedBody => {
  if (body.byteLength > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      'payload_too_large',
      `body is ${body.byteLength} bytes; the limit is ${MAX_BODY_BYTES}`,
    );
  }
  if (!isJsonContentType(contentType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      contentType === undefined
        ? 'content-type is missing; send application/json'
        : `content-type must be application/json, got ${contentType.slice(0, 100)}`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid UTF-8');
  }
  const parsed = parseJson(text);
  if (!parsed.ok) throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${parsed.message}`);
  return { value: parsed.value, issues: parsed.issues };
};

interface Candidate {
  readonly index: number;
  readonly event: InboundEvent;
  /** The event as sent, unknown fields verbatim. */
  readonly raw: string;
}

/** What became of one validated event; every outcome, including Heed's own failure, is a result. */
const resultOf = (c: Candidate, settled: PromiseSettledResult<RecordOutcome>): EventResult => {
  const base = { index: c.index, id: c.event.id, ticketId: c.event.ticketId };
  if (settled.status === 'rejected') {
    const error = settled.reason;
    if (!(error instanceof TicketContentionError))
      logger.error('recording an event failed', { ticketId: c.event.ticketId, error: errorSummary(error) });
    return {
      ...base,
      status: 'failed',
      errors: [
        {
          path: '(event)',
          message:
            error instanceof TicketContentionError
              ? 'the ticket is being updated by many writers; retry (it is idempotent)'
              : 'Heed could not record it now; retry (it is idempotent)',
        },
      ],
    };
  }
  const outcome = settled.value;
  if (outcome.status === 'duplicate') {
    recordMetric('DuplicatesIgnored', MetricUnit.Count, 1);
    return { ...base, status: 'duplicate', ticketId: outcome.ticketId };
  }
  if (outcome.status === 'conflict') {
    recordMetric('Rejected', MetricUnit.Count, 1);
    return {
      ...base,
      status: 'conflict',
      errors: [
        {
          path: 'id',
          message: `event id already recorded with a different body${outcome.ticketId === c.event.ticketId ? '' : ' (on another ticket)'}; use a new id for a new event`,
        },
      ],
    };
  }
  recordMetric('EventsAccepted', MetricUnit.Count, 1);
  for (const emitted of outcome.emitted) {
    if (emitted.detailType === 'Ticket Received') {
      recordMetric('TicketsReceived', MetricUnit.Count, 1, { channel: emitted.detail.data.channel });
    }
  }
  return { ...base, status: 'accepted', reference: outcome.ticket.reference };
};

/** Records the validated events of one ticket, together (see TicketStorePort.recordAll). */
const acceptTicket = async (
  tenantId: string,
  group: readonly Candidate[],
  deps: IngestDeps,
): Promise<EventResult[]> => {
  let settled: PromiseSettledResult<RecordOutcome>[];
  try {
    settled = await deps.tickets.recordAll(
      tenantId,
      group.map((c) => ({ event: c.event, raw: c.raw })),
      deps.clock.now(),
    );
  } catch (reason) {
    settled = group.map(() => ({ status: 'rejected', reason }));
  }
  return group.map((c, i) => resultOf(c, settled[i] as PromiseSettledResult<RecordOutcome>));
};

/** Tickets recorded at once per request: bounded so one batch cannot exhaust the SDK's sockets. */
const PARALLEL_TICKETS = 10;

/** Records validated events: up to PARALLEL_TICKETS tickets in parallel, each ticket's together. */
const acceptAll = async (
  tenantId: string,
  candidates: readonly Candidate[],
  deps: IngestDeps,
): Promise<EventResult[]> => {
  const byTicket = new Map<string, Candidate[]>();
  for (const c of candidates) byTicket.set(c.event.ticketId, [...(byTicket.get(c.event.ticketId) ?? []), c]);
  const groups = [...byTicket.values()];
  const results: EventResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_TICKETS, groups.length) }, async () => {
      for (let group = groups[next++]; group; group = groups[next++]) {
        results.push(...(await acceptTicket(tenantId, group, deps)));
      }
    }),
  );
  return results;
};

const idOf = (input: unknown): string | null => {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 200) : null;
};

/** Issues the reader found inside one event (`prefix` = `events.3`), re-rooted at the event. */
const readIssuesUnder = (issues: readonly JsonIssue[], prefix: string): FieldIssue[] =>
  prefix === ''
    ? [...issues]
    : issues
        .filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`))
        .map((i) => ({ path: i.path.slice(prefix.length + 1) || '(root)', message: i.message }));

/** Validates one event of the body: what the reader could not keep, then the contract. */
const check = (
  input: JsonValue,
  readIssues: FieldIssue[],
  now: Date,
): { ok: true; event: InboundEvent; raw: string } | { ok: false; issues: FieldIssue[] } => {
  const validation = validateInboundEvent(input, { now });
  if (readIssues.length > 0 || !validation.ok)
    return { ok: false, issues: [...readIssues, ...(validation.ok ? [] : validation.issues)] };
  return { ok: true, event: validation.value, raw: stringifyJson(input) };
};

const statusOf = (results: readonly EventResult[]): number => {
  const count = (s: EventResult['status']) => results.filter((r) => r.status === s).length;
  if (count('rejected') + count('conflict') === results.length) return 400;
  if (count('failed') === results.length) return 503;
  return count('accepted') + count('duplicate') === results.length ? 202 : 207;
};

/** `POST /v1/events`: one event, or `{ "events": [...] }` where each event gets its own result. */
export const ingest = async (
  tenantId: string,
  body: ParsedBody,
  deps: IngestDeps,
): Promise<IngestResponse> => {
  const payload = body.value;
  const now = deps.clock.now();
  // A batch is `{ "events": [...] }`; an event (it has a type) may carry an unknown `events` field.
  const isBatch =
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    Object.hasOwn(payload, 'events') &&
    !Object.hasOwn(payload, 'type');
  if (!isBatch) {
    const checked = check(payload, readIssuesUnder(body.issues, ''), now);
    if (!checked.ok) {
      recordMetric('Rejected', MetricUnit.Count, 1);
      throw new HttpError(400, 'invalid_event', 'the event is invalid; see errors', {
        errors: checked.issues,
      });
    }
    const [{ index: _index, ...result }] = (await acceptTicket(
      tenantId,
      [{ index: 0, ...checked }],
      deps,
    )) as [EventResult];
    if (result.status === 'conflict')
      throw new HttpError(409, 'conflict', 'this event id was already used for another event', {
        id: result.id,
        errors: result.errors,
      });
    if (result.status === 'failed')
      throw new HttpError(503, 'unavailable', result.errors?.[0]?.message ?? 'retry', { id: result.id });
    return { statusCode: result.status === 'accepted' ? 202 : 200, body: result };
  }

  const envelope = BatchEnvelopeSchema.safeParse(payload);
  const envelopeIssues = body.issues.filter((i) => !/^events\.\d+(\.|$)/.test(i.path));
  if (!envelope.success || envelopeIssues.length > 0) {
    recordMetric('Rejected', MetricUnit.Count, 1);
    throw new HttpError(400, 'invalid_batch', 'the batch envelope is invalid; see errors', {
      errors: [...envelopeIssues, ...(envelope.success ? [] : issuesOf(envelope.error))],
    });
  }
  const candidates: Candidate[] = [];
  const rejected: EventResult[] = [];
  (envelope.data.events as JsonValue[]).forEach((input, index) => {
    const checked = check(input, readIssuesUnder(body.issues, `events.${index}`), now);
    if (checked.ok) candidates.push({ index, event: checked.event, raw: checked.raw });
    else rejected.push({ index, id: idOf(input), status: 'rejected', errors: checked.issues });
  });
  if (rejected.length > 0) recordMetric('Rejected', MetricUnit.Count, rejected.length);
  const results = [...(await acceptAll(tenantId, candidates, deps)), ...rejected].sort(
    (a, b) => a.index - b.index,
  );
  const count = (status: EventResult['status']) => results.filter((r) => r.status === status).length;
  const summary = {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected') + count('conflict'),
    failed: count('failed'),
  };
  return { statusCode: statusOf(results), body: { ...summary, results } };
};
