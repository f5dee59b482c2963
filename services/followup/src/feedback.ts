import {
  errorSummary,
  lambdaHandler,
  logger,
  type MacPort,
  MetricUnit,
  recordMetric,
  TicketContentionError,
  type TicketStorePort,
} from '@heed/aws';
import { FEEDBACK_ROUTE_KEYS, type InboundEvent } from '@heed/contracts';
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
} from '@heed/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface FeedbackDeps {
  readonly mac: Pick<MacPort, 'verify'>;
  readonly tickets: TicketStorePort;
  readonly clock: Clock;
}

/** The pages carry a token in their URL: never cached, framed, or sent on as a referrer. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const MAX_COMMENT = 5000;

class PageError extends Error {
  override readonly name = 'PageError';
  constructor(
    readonly statusCode: number,
    readonly view: 'invalid' | 'expired',
    readonly locale: string | null,
    message: string,
  ) {
    super(message);
  }
}

const page = (
  statusCode: number,
  locale: string,
  content: FeedbackPage,
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: PAGE_HEADERS,
  body: renderFeedbackPage(locale, content),
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
    throw new PageError(410, 'expired', claims.locale, 'the survey link has expired');
  return claims;
};

/** A score from a query or a form: a whole number 1 to 5, nothing else. */
const scoreOf = (value: string | undefined, claims: FeedbackClaims): number | null => {
  if (value === undefined) return null;
  if (!/^[1-5]$/.test(value.trim()))
    throw new PageError(400, 'invalid', claims.locale, 'score must be 1 to 5');
  return Number(value.trim());
};

const formOf = (event: APIGatewayProxyEventV2, claims: FeedbackClaims): URLSearchParams => {
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new PageError(415, 'invalid', claims.locale, 'send the form as application/x-www-form-urlencoded');
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.byteLength > 64 * 1024) throw new PageError(413, 'invalid', claims.locale, 'form too large');
  return new URLSearchParams(body.toString('utf8'));
};

/**
 * Records the click as `feedback.received` (actor customer) through the ticket write path. Each
 * answer is its own event (the last one of a cycle counts); the click instant is in its id, so
 * a retried request within the same millisecond is one event.
 */
const record = async (claims: FeedbackClaims, score: number, comment: string | null, deps: FeedbackDeps) => {
  const ticket = await deps.tickets.get(claims.tenantId, claims.ticketId);
  if (!ticket?.opened) throw new PageError(404, 'invalid', claims.locale, 'the ticket is unknown');
  const now = deps.clock.now();
  const event = {
    id: heedEventId(claims.ticketId, 'feedback', claims.cycle, now.getTime(), score),
    type: 'feedback.received',
    ticketId: claims.ticketId,
    occurredAt: now.toISOString(),
    data: { score, surveyCycle: claims.cycle, ...(comment && { comment }) },
  } as InboundEvent;
  const outcome = await deps.tickets.record(claims.tenantId, { event, actor: 'customer' }, now);
  if (outcome.status === 'accepted') recordMetric('FeedbackClicks', MetricUnit.Count, 1);
  return ticket;
};

const route = async (
  event: APIGatewayProxyEventV2,
  deps: FeedbackDeps,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const claims = await claimsOf(event, deps);
  logger.appendKeys({ tenantId: claims.tenantId });
  switch (event.routeKey) {
    case FEEDBACK_ROUTE_KEYS.show: {
      const score = scoreOf(event.queryStringParameters?.score, claims);
      if (score === null) {
        const ticket = await deps.tickets.get(claims.tenantId, claims.ticketId);
        if (!ticket?.opened) throw new PageError(404, 'invalid', claims.locale, 'the ticket is unknown');
        // Relative links: the page works behind any domain or stage the API is served from.
        return page(200, claims.locale, {
          view: 'ask',
          reference: ticket.reference,
          scoreUrl: (n) => `?score=${n}`,
        });
      }
      const ticket = await record(claims, score, null, deps);
      return page(200, claims.locale, { view: 'thanks', reference: ticket.reference, score, formAction: '' });
    }
    case FEEDBACK_ROUTE_KEYS.answer: {
      const form = formOf(event, claims);
      const score = scoreOf(form.get('score') ?? undefined, claims);
      if (score === null) throw new PageError(400, 'invalid', claims.locale, 'score is required');
      const comment = (form.get('comment') ?? '').trim().slice(0, MAX_COMMENT);
      await record(claims, score, comment || null, deps);
      return page(200, claims.locale, { view: 'commented' });
    }
    default:
      throw new PageError(404, 'invalid', claims.locale, `no route ${event.routeKey}`);
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
        return page(error.statusCode, error.locale ?? browserLocale(event), { view: error.view });
      }
      if (error instanceof TicketContentionError)
        return {
          statusCode: 503,
          headers: { ...PAGE_HEADERS, 'retry-after': '1' },
          body: 'Busy, please try again.',
        };
      logger.error('feedback failed', { error: errorSummary(error) });
      return { statusCode: 500, headers: PAGE_HEADERS, body: 'Something went wrong; please try again.' };
    }
  });
