import { errorSummary, isTransientError, lambdaHandler, logger, TicketContentionError } from '@heed/aws';
import { stringifyJson } from '@heed/contracts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Errors that map to an HTTP status; anything else is a 500 with no detail leaked. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  // Exact numbers a producer sent (64-bit ids) are written back digit for digit.
  body: stringifyJson(body),
});

export const errorResponse = (error: HttpError): APIGatewayProxyStructuredResultV2 =>
  json(error.statusCode, { error: error.code, message: error.message, ...error.details });

/** HTTP API v2 lower-cases header names; the body may arrive base64-encoded. */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined =>
  event.headers?.[name];

export const rawBody = (event: APIGatewayProxyEventV2): Buffer =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

/**
 * An HTTP API Lambda: `route` answers, named errors become their status, Heed's own trouble a 503
 * with Retry-After (every request may be retried), anything else a 500 with no detail leaked.
 */
export const httpFunction = (
  name: string,
  route: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
) =>
  lambdaHandler(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      return await route(event);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      if (error instanceof TicketContentionError) {
        return errorResponse(new HttpError(503, 'busy', error.message));
      }
      if (isTransientError(error)) {
        logger.warn(`${name} could not reach its store; answered 503`, { error: errorSummary(error) });
        return {
          ...errorResponse(
            new HttpError(503, 'unavailable', 'Heed could not answer now; retry (it is idempotent)'),
          ),
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
        };
      }
      logger.error(`${name} failed`, { error: errorSummary(error) });
      return errorResponse(
        new HttpError(500, 'internal_error', 'internal error; retry the request (it is idempotent)'),
      );
    }
  });
