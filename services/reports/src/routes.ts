import { type ReportSourcePort, ReportTooLargeError, runReport } from '@heed/app';
import type { ConfigSource } from '@heed/aws';
import { parseJson, parseReportQuery, REPORT_ROUTE_KEYS } from '@heed/contracts';
import { type Clock, validateTenantConfig } from '@heed/core';
import { type BearerAuthenticator, HttpError, header, httpFunction, json, rawBody } from '@heed/intake';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface ReportsDeps {
  readonly auth: Pick<BearerAuthenticator, 'tenantOf'>;
  readonly source: ReportSourcePort;
  readonly configs: ConfigSource;
  readonly clock: Clock;
  /**
   * The most tickets one answer folds (API Gateway gives an answer 30 seconds). A larger period
   * is a 413 that names the engine for it: Step Functions, through `heed report sla`.
   */
  readonly maxTickets: number;
}

/** A proposed configuration, validated as `config push` validates it (every bad field named). */
const proposedConfig = (event: APIGatewayProxyEventV2) => {
  const parsed = parseJson(rawBody(event).toString('utf8'));
  if (!parsed.ok)
    throw new HttpError(400, 'invalid_json', 'the body must be the proposed configuration as JSON');
  const checked = validateTenantConfig(parsed.value);
  if (!checked.ok)
    throw new HttpError(400, 'invalid_config', 'the proposed configuration is invalid; see errors', {
      errors: checked.issues,
    });
  return checked.value;
};

const route = async (
  event: APIGatewayProxyEventV2,
  deps: ReportsDeps,
): Promise<APIGatewayProxyStructuredResultV2> => {
  if (!Object.values(REPORT_ROUTE_KEYS).includes(event.routeKey as never))
    throw new HttpError(404, 'not_found', `no route ${event.requestContext.http.method} ${event.rawPath}`);
  const tenantId = await deps.auth.tenantOf(header(event, 'authorization'));
  const now = deps.clock.now();
  const query = parseReportQuery(event.queryStringParameters ?? {}, now);
  if (!query.ok)
    throw new HttpError(400, 'invalid_request', 'the report query is invalid; see errors', {
      errors: query.issues,
    });
  const proposed = event.routeKey === REPORT_ROUTE_KEYS.whatIf ? proposedConfig(event) : undefined;
  try {
    const result = await runReport(
      deps.source,
      {
        tenantId,
        ...query.value,
        now,
        config: await deps.configs.configOf(tenantId),
        ...(proposed && { proposed }),
      },
      deps.maxTickets,
    );
    return json(200, proposed ? result.whatIf : result.report);
  } catch (error) {
    if (error instanceof ReportTooLargeError)
      throw new HttpError(
        413,
        'report_too_large',
        `${error.message}: narrow the period, or run it on the Step Functions engine (npm run heed -- report sla --state-machine <ReportStateMachineArn>)`,
        { tickets: error.tickets, limit: error.limit },
      );
    throw error;
  }
};

/** `GET /v1/reports/sla` and `POST /v1/reports/sla/whatif`: the tenant from the API key; nothing is written. */
export const createReportsHandler = (deps: ReportsDeps) =>
  httpFunction('reports', (event) => route(event, deps));
