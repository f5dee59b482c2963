import { createHash } from 'node:crypto';
import {
  errorSummary,
  isTransientError,
  lambdaHandler,
  logger,
  type MacPort,
  MetricUnit,
  recordMetric,
  type SurveyStorePort,
  TicketContentionError,
  type TicketStorePort,
} from '@heed/aws';
import { type Branding, FEEDBACK_ROUTE_KEYS, type InboundEvent } from '@heed/contracts';
import openApiDocument from '@heed/contracts/openapi.json';
import {
  type Clock,
  FEEDBACK_PAGE_LOCALES,
  type FeedbackClaims,
  type FeedbackPage,
  heedEventId,
  negotiateLocale,
  readFeedbackClaims,
  renderFeedbackPage,
  splitFeedbackToken,
  ticketReference,
} from '@heed/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface FeedbackDeps {
  readonly mac: Pick<MacPort, 'verify'>;
  readonly tickets: TicketStorePort;
  readonly surveys: SurveyStorePort;
  readonly clock: Clock;
}

/** Cached a while by clients and CDNs: the document changes only with a deployment. */
const OPENAPI_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'public, max-age=300',
};

/** The pages carry a token in their URL: never cached, framed, or sent on as a referrer. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'; frame-ancestors 'none'",
};

const MAX_COMMENT = 5000;

class PageError extends Error {
  override readonly name = 'PageError';
  constructor(
    readonly statusCode: number,
    readonly view: 'invalid' | 'expired' | 'tooMany',
    /** The link's claims when it read: the page is in its language, with the tenant's brand. */
    readonly claims: Pick<FeedbackClaims, 'locale' | 'brand'> | null,
    message: string,
  ) {
    super(message);
  }
}

const page = (
  statusCode: number,
  locale: string,
  content: FeedbackPage,
  brand?: Branding,
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: PAGE_HEADERS,
  body: renderFeedbackPage(locale, content, brand),
});

/** The language of a page whose link could not be read: the browser's. */
const browserLocale = (event: APIGatewayProxyEventV2): string =>
  negotiateLocale(
    (event.headers?.['accept-language'] ?? '')
      .split(',')
      .map((part) => part.split(';')[0]?.trim())
      .filter((tag): tag is string => !!tag && tag !== '*')
      .slice(0, 10),
    FEEDBACK_PAGE_LOCALES,
  );

/** Checks the token's MAC, then its claims and expiry: a 400 or 410 page otherwise, and nothing recorded. */
const claimsOf = async (event: APIGatewayProxyEventV2, deps: FeedbackDeps): Promise<FeedbackClaims> => {
  const parts = splitFeedbackToken(event.pathParameters?.token ?? '');
  if (!parts || !(await deps.mac.verify(parts.payload, parts.mac)))
    throw new PageError(400, 'invalid', null, 'the token does not verify');
  const claims = readFeedbackClaims(parts.payload);
  if (!claims) throw new PageError(400, 'invalid', null, 'the token does not read');
  if (claims.expiresAt.getTime() <= deps.clock.now().getTime())
    throw new PageError(410, 'expired', claims, 'the survey link has expired');
  return claims;
};

/** A score from a query or a form: a whole number 1 to 5, nothing else. */
const scoreOf = (value: string | undefined, claims: FeedbackClaims): number | null => {
  if (value === undefined) return null;
  if (!/^[1-5]$/.test(value.trim())) throw new PageError(400, 'invalid', claims, 'score must be 1 to 5');
  return Number(value.trim());
};

const formOf = (event: APIGatewayProxyEventV2, claims: FeedbackClaims): URLSearchParams => {
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new PageError(415, 'invalid', claims, 'send the form as application/x-www-form-urlencoded');
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.byteLength > 64 * 1024) throw new PageError(413, 'invalid', claims, 'form too large');
  return new URLSearchParams(body.toString('utf8'));
};

/** Answers one survey cycle takes: the last one counts; a link is one answer, not a stream. */
export const MAX_ANSWERS_PER_SURVEY = 5;
/** Requests one survey link serves in an hour (page views and answers). */
export const LINK_REQUESTS_PER_HOUR = 30;

type Answered = 'recorded' | 'unchanged' | 'limit';

/**
 * Records an answer as `feedback.received` (actor customer) through the ticket write path, under
 * the id of the survey's next answer slot (`…:feedback:<cycle>:<n>`, n ≤ MAX_ANSWERS_PER_SURVEY).
 * The slot ids bound the answers by construction: two racing posts cannot both take a slot
 * (the write path's dedupe marker is conditional), the loser takes the next. The same answer
 * again (a replayed post, a double click) records nothing; the last answer counts.
 */
const answer = async (
  claims: FeedbackClaims,
  score: number,
  comment: string | null,
  deps: FeedbackDeps,
): Promise<Answered> => {
  const { tenantId, ticketId, cycle } = claims;
  const ticket = await deps.tickets.get(tenantId, ticketId);
  if (!ticket?.opened) throw new PageError(404, 'invalid', claims, 'the ticket is unknown');
  const digest = createHash('sha256')
    .update(`${score}\u0000${comment ?? ''}`)
    .digest('base64url');
  const so = await deps.surveys.answers(tenantId, ticketId, cycle);
  if (so.digest === digest) return 'unchanged';
  const now = deps.clock.now();
  for (let n = so.answers + 1; n <= MAX_ANSWERS_PER_SURVEY; n++) {
    const event = {
      id: heedEventId(ticketId, 'feedback', cycle, n),
      type: 'feedback.received',
      ticketId,
      occurredAt: now.toISOString(),
      data: { score, surveyCycle: cycle, ...(comment && { comment }) },
    } as InboundEvent;
    const outcome = await deps.tickets.record(tenantId, { event, actor: 'customer' }, now);
    // A conflict: that slot holds an answer not yet counted here (a racing post); take the next.
    if (outcome.status === 'conflict') continue;
    await deps.surveys.recorded(tenantId, ticketId, cycle, n, digest);
    if (outcome.status === 'accepted') recordMetric('FeedbackClicks', MetricUnit.Count, 1);
    return 'recorded';
  }
  return 'limit';
};

const route = async (
  event: APIGatewayProxyEventV2,
  deps: FeedbackDeps,
): Promise<APIGatewayProxyStructuredResultV2> => {
  // The API's description is public too: a client reads it before it has a key.
  if (event.routeKey === FEEDBACK_ROUTE_KEYS.openApi)
    return { statusCode: 200, headers: OPENAPI_HEADERS, body: JSON.stringify(openApiDocument) };
  const claims = await claimsOf(event, deps);
  logger.appendKeys({ tenantId: claims.tenantId });
  if (
    !(await deps.surveys.hit(
      claims.tenantId,
      claims.ticketId,
      claims.cycle,
      deps.clock.now(),
      LINK_REQUESTS_PER_HOUR,
    ))
  )
    throw new PageError(429, 'tooMany', claims, 'this link was used too often in the last hour');
  const reference = ticketReference(claims.tenantId, claims.ticketId);
  // Relative form actions: the pages work behind any domain or stage the API is served from.
  const formAction = '';
  switch (event.routeKey) {
    case FEEDBACK_ROUTE_KEYS.show: {
      // Fetching a page records nothing: mail scanners fetch every link of a message.
      const score = scoreOf(event.queryStringParameters?.score, claims);
      return score === null
        ? page(200, claims.locale, { view: 'ask', reference, formAction }, claims.brand)
        : page(200, claims.locale, { view: 'confirm', reference, score, formAction }, claims.brand);
    }
    case FEEDBACK_ROUTE_KEYS.answer: {
      const form = formOf(event, claims);
      const score = scoreOf(form.get('score') ?? undefined, claims);
      if (score === null) throw new PageError(400, 'invalid', claims, 'score is required');
      const comment = (form.get('comment') ?? '').trim().slice(0, MAX_COMMENT) || null;
      const outcome = await answer(claims, score, comment, deps);
      if (outcome === 'limit') return page(200, claims.locale, { view: 'limit' }, claims.brand);
      return comment
        ? page(200, claims.locale, { view: 'commented' }, claims.brand)
        : page(200, claims.locale, { view: 'thanks', reference, score, formAction }, claims.brand);
    }
    default:
      throw new PageError(404, 'invalid', claims, `no route ${event.routeKey}`);
  }
};

/** The public survey pages: no API key, the signed token is the credential. */
export const createFeedbackHandler = (deps: FeedbackDeps) =>
  lambdaHandler(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      return await route(event, deps);
    } catch (error) {
      if (error instanceof PageError) {
        logger.info('feedback refused', { status: error.statusCode, why: error.message });
        return page(
          error.statusCode,
          error.claims?.locale ?? browserLocale(event),
          { view: error.view },
          error.claims?.brand,
        );
      }
      if (error instanceof TicketContentionError || isTransientError(error))
        return {
          statusCode: 503,
          headers: { ...PAGE_HEADERS, 'retry-after': '1' },
          body: 'Busy, please try again.',
        };
      logger.error('feedback failed', { error: errorSummary(error) });
      return { statusCode: 500, headers: PAGE_HEADERS, body: 'Something went wrong; please try again.' };
    }
  });
