import { type DynamoConnectorStore, MetricUnit, recordMetric } from '@heed/aws';
import { type JsonValue, parseJson } from '@heed/contracts';
import {
  type Clock,
  chatwootEvents,
  helpScoutEvents,
  type Mapped,
  signatureProblem,
  zendeskEvents,
} from '@heed/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError, header, rawBody } from './http';
import { type IngestDeps, type IngestResponse, ingest } from './ingest';

export interface ConnectorDeps extends IngestDeps {
  readonly connectors: Pick<DynamoConnectorStore, 'open'>;
  /** The machine's clock: a signature's timestamp is the sender's wall time. */
  readonly wallClock: Clock;
}

/**
 * `POST /v1/connectors/{connectorId}`: a product's own webhook (Chatwoot, Help Scout, Zendesk). The
 * connector says whose it is; the product's signature over the raw body, checked with the
 * connector's secret, says it is really that product. Its events go through the same path as
 * `POST /v1/events` (validated, deduped by their deterministic ids). What cannot be mapped, or
 * maps to events Heed refuses, is answered 200 with the reason: the product would only retry it.
 */
export const receiveConnector = async (
  event: APIGatewayProxyEventV2,
  deps: ConnectorDeps,
): Promise<IngestResponse> => {
  const connectorId = event.pathParameters?.connectorId ?? '';
  const connector = await deps.connectors.open(connectorId);
  if (!connector) throw new HttpError(404, 'not_found', `no connector ${connectorId}`);
  const body = rawBody(event);
  const lower = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const problem = signatureProblem(
    connector.provider,
    connector.opened,
    body,
    lower,
    deps.wallClock.now().getTime(),
  );
  if (problem)
    throw new HttpError(401, 'unauthorized', `the ${connector.provider} signature is not valid: ${problem}`);
  const parsed = parseJson(body.toString('utf8'));
  const payload: JsonValue | null = parsed.ok ? parsed.value : null;
  const mapped: Mapped =
    payload === null
      ? { ignored: 'the body is not JSON' }
      : connector.provider === 'chatwoot'
        ? chatwootEvents(payload)
        : connector.provider === 'zendesk'
          ? zendeskEvents(payload)
          : helpScoutEvents(header(event, 'x-helpscout-event'), payload);
  const answer = { connector: connectorId, provider: connector.provider };
  if ('ignored' in mapped) {
    recordMetric('ConnectorIgnored', MetricUnit.Count, 1, { provider: connector.provider });
    return { statusCode: 200, body: { ...answer, status: 'ignored', reason: mapped.ignored } };
  }
  const ingested = await ingest(
    connector.tenantId,
    { value: { events: mapped.events as JsonValue[] }, issues: [] },
    deps,
  );
  // Refused events are the mapping's or the product's data: retrying would not change them.
  const statusCode = ingested.statusCode === 400 ? 200 : ingested.statusCode;
  return { statusCode, body: { ...answer, status: 'mapped', ...(ingested.body as object) } };
};
