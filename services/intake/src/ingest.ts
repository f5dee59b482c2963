import { MetricUnit, recordMetric, type TicketStorePort } from '@heed/aws';
import {
  BatchEnvelopeSchema,
  type EventResult,
  type InboundEvent,
  issuesOf,
  MAX_BODY_BYTES,
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

const isJsonContentType = (contentType: string | undefined): boolean =>
  contentType === undefined || /^application\/([a-z.+-]*\+)?json\b/i.test(contentType.trim());

/** Checks size and media type and parses the body; every failure is a named 4xx. */
export const parseBody = (body: Buffer, contentType: string | undefined): unknown => {
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
      `content-type must be application/json, got ${contentType}`,
    );
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(415, 'unsupported_media_type', `body is not valid JSON: ${(error as Error).message}`);
  }
};

/** Accepts one event, already validated. */
const accept = async (
  tenantId: string,
  event: InboundEvent,
  index: number,
  deps: IngestDeps,
): Promise<EventResult> => {
  const outcome = await deps.tickets.record(tenantId, event, deps.clock.now());
  if (outcome.status === 'duplicate') {
    recordMetric('DuplicatesIgnored', MetricUnit.Count, 1);
    return { index, id: event.id, status: 'duplicate', ticketId: outcome.ticketId };
  }
  recordMetric('EventsAccepted', MetricUnit.Count, 1);
  for (const emitted of outcome.emitted) {
    if (emitted.detailType === 'Ticket Received') {
      recordMetric('TicketsReceived', MetricUnit.Count, 1, { channel: emitted.detail.data.channel });
    }
  }
  return {
    index,
    id: event.id,
    status: 'accepted',
    ticketId: event.ticketId,
    reference: outcome.ticket.reference,
  };
};

/** Tickets recorded at once per request: bounded so one batch cannot exhaust the SDK's sockets. */
const PARALLEL_TICKETS = 10;

/**
 * Records validated events: up to PARALLEL_TICKETS tickets in parallel, events of one ticket in
 * sequence (they would only contend for the same projection otherwise).
 */
const acceptAll = async (
  tenantId: string,
  events: readonly { index: number; event: InboundEvent }[],
  deps: IngestDeps,
): Promise<EventResult[]> => {
  const byTicket = new Map<string, { index: number; event: InboundEvent }[]>();
  for (const item of events)
    byTicket.set(item.event.ticketId, [...(byTicket.get(item.event.ticketId) ?? []), item]);
  const groups = [...byTicket.values()];
  const results: EventResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_TICKETS, groups.length) }, async () => {
      for (let group = groups[next++]; group; group = groups[next++]) {
        for (const { index, event } of group) results.push(await accept(tenantId, event, index, deps));
      }
    }),
  );
  return results;
};

const idOf = (input: unknown): string | null => {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
};

/** `POST /v1/events`: one event, or `{ "events": [...] }` where each event gets its own result. */
export const ingest = async (
  tenantId: string,
  payload: unknown,
  deps: IngestDeps,
): Promise<IngestResponse> => {
  const isBatch =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) && 'events' in payload;
  if (!isBatch) {
    const validation = validateInboundEvent(payload);
    if (!validation.ok) {
      recordMetric('Rejected', MetricUnit.Count, 1);
      throw new HttpError(400, 'invalid_event', 'the event is invalid; see errors', {
        errors: validation.issues,
      });
    }
    const [result] = await acceptAll(tenantId, [{ index: 0, event: validation.value }], deps);
    const { index: _index, ...single } = result as EventResult;
    return { statusCode: single.status === 'accepted' ? 202 : 200, body: single };
  }

  const envelope = BatchEnvelopeSchema.safeParse(payload);
  if (!envelope.success) {
    recordMetric('Rejected', MetricUnit.Count, 1);
    throw new HttpError(400, 'invalid_batch', 'the batch envelope is invalid; see errors', {
      errors: issuesOf(envelope.error),
    });
  }
  const valid: { index: number; event: InboundEvent }[] = [];
  const rejected: EventResult[] = [];
  envelope.data.events.forEach((input, index) => {
    const validation = validateInboundEvent(input);
    if (validation.ok) valid.push({ index, event: validation.value });
    else rejected.push({ index, id: idOf(input), status: 'rejected', errors: validation.issues });
  });
  if (rejected.length > 0) recordMetric('Rejected', MetricUnit.Count, rejected.length);
  const results = [...(await acceptAll(tenantId, valid, deps)), ...rejected].sort(
    (a, b) => a.index - b.index,
  );
  const count = (status: EventResult['status']) => results.filter((r) => r.status === status).length;
  const summary = {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
  };
  const statusCode = summary.rejected === 0 ? 202 : summary.rejected === results.length ? 400 : 207;
  return { statusCode, body: { ...summary, results } };
};
