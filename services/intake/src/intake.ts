import {
  type ConfigSource,
  type DynamoTicketReader,
  type DynamoTimerStore,
  logger,
  type TicketStorePort,
} from '@heed/aws';
import { issuesOf, ROUTE_KEYS, TicketIdSchema } from '@heed/contracts';
import type { Clock } from '@heed/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { BearerAuthenticator } from './auth';
import { type ConnectorDeps, receiveConnector } from './connector';
import { HttpError, header, httpFunction, json, rawBody } from './http';
import { ingest, parseBody } from './ingest';
import { readTicket } from './read';

export interface IntakeDeps extends ConnectorDeps {
  readonly tickets: TicketStorePort;
  readonly reader: Pick<DynamoTicketReader, 'page' | 'log' | 'logFrom'>;
  /** The follow-up service's record of what it sent (the read API shows it). */
  readonly timers: Pick<DynamoTimerStore, 'get' | 'checkpoint' | 'settled'>;
  readonly configs: ConfigSource;
  readonly auth: BearerAuthenticator;
  readonly clock: Clock;
}

const route = async (
  event: APIGatewayProxyEventV2,
  deps: IntakeDeps,
): Promise<APIGatewayProxyStructuredResultV2> => {
  // No such route: the same error body as every other error, before (and without) authentication.
  const unknown = () =>
    new HttpError(404, 'not_found', `no route ${event.requestContext.http.method} ${event.rawPath}`);
  if (!Object.values(ROUTE_KEYS).includes(event.routeKey as never)) throw unknown();
  // A product's own webhook: its signature, not an API key, says who sent it.
  if (event.routeKey === ROUTE_KEYS.connector) {
    const { statusCode, body } = await receiveConnector(event, deps);
    return json(statusCode, body);
  }
  const tenantId = await deps.auth.tenantOf(header(event, 'authorization'));
  logger.appendKeys({ tenantId });
  switch (event.routeKey) {
    case ROUTE_KEYS.postEvents: {
      const parsed = parseBody(rawBody(event), header(event, 'content-type'));
      const { statusCode, body } = await ingest(tenantId, parsed, deps);
      return json(statusCode, body);
    }
    case ROUTE_KEYS.getTicket: {
      // HTTP APIs hand path parameters over already URL-decoded.
      const ticketId = event.pathParameters?.ticketId;
      if (!ticketId) throw new HttpError(400, 'invalid_request', 'ticketId is required');
      // An id no event could have carried (5,000 characters, a control character) names no ticket
      // and must not reach DynamoDB, whose keys are bounded.
      const checked = TicketIdSchema.safeParse(ticketId);
      if (!checked.success)
        throw new HttpError(400, 'invalid_request', 'the ticket id is invalid; see errors', {
          errors: issuesOf(checked.error).map((i) => ({ ...i, path: 'ticketId' })),
        });
      return json(200, await readTicket(tenantId, ticketId, event.queryStringParameters ?? {}, deps));
    }
    default:
      throw unknown();
  }
};

/** The intake Lambda: authenticates, routes, and maps named errors to HTTP answers. */
export const createIntakeHandler = (deps: IntakeDeps) =>
  httpFunction('intake', (event) => route(event, deps));
