import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  BatchAnswerSchema,
  ConnectorAnswerSchema,
  ErrorAnswerSchema,
  SingleAnswerSchema,
  TicketAnswerSchema,
} from './answers';
import { FEEDBACK_ROUTE_KEYS, REPORT_ROUTE_KEYS, ROUTE_KEYS } from './http';
import { InboundEventSchema, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from './inbound';
import { MAX_REPORT_DAYS, REPORT_DIMENSIONS, SlaReportSchema, WhatIfSchema } from './reports';

/*
 * The OpenAPI 3.1 document of Heed's HTTP API, generated from the same zod schemas intake
 * validates with and answers by. `npm run schemas` writes it to `schemas/openapi.json`
 * (committed, checked for staleness, linted with Redocly in `npm test`); intake serves that file
 * at `GET /v1/openapi.json`. Dev-time only: no Lambda bundle imports this module.
 */

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const error = (description: string) => json(ErrorAnswerSchema, description);

/** A 503: Heed's own trouble, with the Retry-After header it sends. */
const retryLater = (schema: z.ZodType, description: string) => ({
  ...json(schema, description),
  headers: z.object({ 'retry-after': z.string().optional() }),
});

/** The error answers every authenticated route may give. */
const AUTHENTICATED_ERRORS = {
  401: error('No API key, or not a valid one (`authorization: Bearer <key>`).'),
  500: error('Heed failed unexpectedly; retry (every write is idempotent).'),
  503: retryLater(
    ErrorAnswerSchema,
    'Heed could not answer now (its store is unavailable or the ticket is busy); retry after a second.',
  ),
};

/** Path parameters of a route key (`/v1/tickets/{ticketId}`), as the document writes them. */
const pathOf = (routeKey: string): string => routeKey.slice(routeKey.indexOf(' ') + 1);

const TokenParams = z.object({
  token: z.string().meta({ description: 'The signed survey token from the link in the message.' }),
});

export const openApiDocument = () => {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: "A tenant's API key (`npm run heed -- tenant create` prints it once).",
  });
  const security = [{ [bearer.name]: [] }];
  const Event = InboundEventSchema.meta({ id: 'Event' });
  const Batch = z
    .object({ events: z.array(Event).min(1).max(MAX_BATCH_EVENTS) })
    .meta({ id: 'Batch', description: 'A batch: each event is checked and recorded on its own.' });

  registry.registerPath({
    method: 'post',
    path: pathOf(ROUTE_KEYS.postEvents),
    operationId: 'postEvents',
    summary: 'Post one ticket event, or a batch of them',
    description: `One event, or \`{ "events": [...] }\` with up to ${MAX_BATCH_EVENTS} events (each gets its own result). Bodies up to ${MAX_BODY_BYTES / 1024} KB. Idempotent by event id: posting the same event again is a duplicate with no effect.`,
    security,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            // Lazily: a union holding the events' union would be flattened into one anyOf.
            schema: z.union([z.lazy(() => Event), Batch]),
          },
        },
      },
    },
    responses: {
      200: json(SingleAnswerSchema, 'A duplicate: this event was recorded before; nothing changed.'),
      202: json(
        z.union([SingleAnswerSchema, BatchAnswerSchema]),
        'Accepted (a batch: every event accepted or a duplicate).',
      ),
      207: json(
        BatchAnswerSchema,
        'A batch in which some events were accepted and others not: see each result.',
      ),
      400: json(
        z.union([ErrorAnswerSchema, BatchAnswerSchema]),
        'The body or the event is invalid (`errors` names each offending field), or every event of the batch was rejected (each result says why).',
      ),
      409: error('This event id was used before for another event.'),
      413: error(`The body is larger than ${MAX_BODY_BYTES / 1024} KB.`),
      415: error('The body is not `application/json`.'),
      ...AUTHENTICATED_ERRORS,
      503: retryLater(
        z.union([ErrorAnswerSchema, BatchAnswerSchema]),
        'Heed could not record now (its store is unavailable or the ticket is busy), or no event of the batch could be recorded (each result says so); retry after a second.',
      ),
    },
  });

  registry.registerPath({
    method: 'get',
    path: pathOf(ROUTE_KEYS.getTicket),
    operationId: 'getTicket',
    summary: 'Read a ticket: its state, SLA clocks, follow-ups, messages and timeline',
    description:
      'Reads stored views (never the whole log) and one page of the timeline, newest entries last; `timelineCursor` pages back.',
    security,
    request: {
      params: z.object({ ticketId: z.string().meta({ description: 'The producer’s ticket id.' }) }),
      query: z.object({
        before: z.string().optional().meta({ description: 'A `timelineCursor` from an earlier answer.' }),
        limit: z
          .string()
          .optional()
          .meta({ description: 'Timeline entries per page, 1 to 200 (default 50).' }),
      }),
    },
    responses: {
      200: json(TicketAnswerSchema, 'The ticket.'),
      400: error('An invalid ticket id, cursor or limit: `errors` names it.'),
      404: error('No such ticket for this tenant (or no such route).'),
      ...AUTHENTICATED_ERRORS,
    },
  });

  for (const [method, key] of [
    ['get', FEEDBACK_ROUTE_KEYS.show],
    ['post', FEEDBACK_ROUTE_KEYS.answer],
  ] as const)
    registry.registerPath({
      method,
      path: pathOf(key),
      operationId: method === 'get' ? 'showSurvey' : 'answerSurvey',
      // Public: the token in the path is the credential.
      security: [],
      summary: method === 'get' ? 'The survey page of a link' : 'Answer a survey (the page’s form)',
      description:
        method === 'get'
          ? 'Public: the token is the credential. Fetching records nothing (mail scanners fetch every link); `?score=n` shows a confirmation form.'
          : 'Public. Records the score (and comment) once per survey; the last answer counts.',
      request: {
        params: TokenParams,
        ...(method === 'get'
          ? {
              query: z.object({
                score: z.string().optional().meta({ description: 'A score from the message.' }),
              }),
            }
          : {
              body: {
                required: true,
                content: {
                  'application/x-www-form-urlencoded': {
                    schema: z.object({ score: z.string(), comment: z.string().optional() }),
                  },
                },
              },
            }),
      },
      responses: {
        200: html('The page.'),
        400: html('A malformed link or form.'),
        404: html('No such survey.'),
        410: html('The link expired.'),
        413: html('The form is too large.'),
        415: html('The form is not `application/x-www-form-urlencoded`.'),
        429: html('This link was used too often in the last hour.'),
        500: {
          description: 'Heed failed unexpectedly; try again.',
          content: { 'text/plain': { schema: z.string() } },
        },
        503: html('Heed could not answer now; try again.'),
      },
    });

  registry.registerPath({
    method: 'post',
    path: pathOf(ROUTE_KEYS.connector),
    operationId: 'receiveConnector',
    summary: "A helpdesk's or chat tool's own webhook (Chatwoot, Help Scout, Zendesk)",
    description:
      "Made with `npm run heed -- connector add <tenant> <provider>`. No API key: the product's signature over the raw body (Chatwoot: `X-Chatwoot-Signature` over `<X-Chatwoot-Timestamp>.<body>`; Help Scout: `X-HelpScout-Signature`; Zendesk: `X-Zendesk-Webhook-Signature` over `<X-Zendesk-Webhook-Signature-Timestamp><body>`) is checked with the connector's secret. Its events are recorded as if posted to `/v1/events`, with deterministic ids (a redelivery is a duplicate). What Heed does not map is a 200 `ignored` with the reason.",
    security: [],
    request: {
      params: z.object({
        connectorId: z.string().meta({ description: 'The connector, as `connector add` printed it.' }),
      }),
      body: {
        required: true,
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
    },
    responses: {
      200: json(
        ConnectorAnswerSchema,
        'Ignored (with the reason), or mapped and every event a duplicate or refused.',
      ),
      202: json(ConnectorAnswerSchema, 'Mapped and recorded.'),
      207: json(ConnectorAnswerSchema, 'Mapped; some events recorded, others not (see each result).'),
      401: error("The product's signature is missing, stale or wrong."),
      404: error('No such connector (or it was removed).'),
      500: error('Heed failed unexpectedly; the product retries.'),
      503: retryLater(
        z.union([ErrorAnswerSchema, ConnectorAnswerSchema]),
        'Heed could not record now; the product retries.',
      ),
    },
  });

  const reportQuery = z.object({
    from: z.string().optional().meta({
      description:
        'A date (2026-11-01: its first instant) or an RFC 3339 instant. @default 30 days before `to`',
    }),
    to: z
      .string()
      .optional()
      .meta({
        description: `A date (its whole day is in) or an instant, exclusive; at most ${MAX_REPORT_DAYS} days after \`from\`. @default now`,
      }),
    by: z
      .string()
      .optional()
      .meta({ description: `Comma-separated dimensions: ${REPORT_DIMENSIONS.join(', ')}.` }),
  });
  const reportErrors = {
    400: error('The query (or the proposed configuration) is invalid: `errors` names every offending field.'),
    413: error(
      'The period holds more tickets than one answer folds (`tickets`, `limit`): narrow it, or run it on the Step Functions engine (`heed report sla --state-machine`).',
    ),
    ...AUTHENTICATED_ERRORS,
  };
  registry.registerPath({
    method: 'get',
    path: pathOf(REPORT_ROUTE_KEYS.sla),
    operationId: 'slaReport',
    summary: 'How promises were kept: the SLA report of the tickets opened in a period',
    description:
      'Clocks started, met, breached, running and cancelled by kind, met % and breach minutes (p50, p90), first response times, escalations by reason, CSAT and reopens; the whole period (empty key) and each group of `by`. A ticket belongs to the period it was opened in. Nothing is written.',
    security,
    request: { query: reportQuery },
    responses: { 200: json(SlaReportSchema, 'The report.'), ...reportErrors },
  });
  registry.registerPath({
    method: 'post',
    path: pathOf(REPORT_ROUTE_KEYS.whatIf),
    operationId: 'slaWhatIf',
    summary: 'What if: the same tickets folded again under a proposed configuration',
    description:
      "The body is a whole tenant configuration, validated as `config push` validates it. Heed's own escalation actions (priority raises, group moves) are re-derived under it, never replayed. Nothing is written and nothing is sent.",
    security,
    request: {
      query: reportQuery,
      body: {
        required: true,
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
    },
    responses: {
      200: json(
        WhatIfSchema,
        'Today’s report, the proposed one, each clock whose outcome changes, and the escalations it would make.',
      ),
      ...reportErrors,
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'openApi',
    summary: 'This document',
    description: 'Public, no API key.',
    security: [],
    responses: { 200: json(z.record(z.string(), z.unknown()), 'The OpenAPI 3.1 document of this API.') },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Heed',
      version: '1',
      description:
        'Ticket events in, tickets out. Every error answer is `{ error, message, errors? }`; an unknown route is a 404 with that body.',
    },
    servers: [
      { url: '/', description: 'The API Gateway URL of a deployment, or http://127.0.0.1:3000 locally' },
    ],
  });
};
