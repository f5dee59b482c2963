import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Invocable, lambdaContext } from './lambda-context';

/** API Gateway HTTP APIs accept payloads up to 10 MB; larger requests never reach Lambda. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

interface Route {
  readonly routeKey: string;
  readonly method: string;
  readonly regex: RegExp;
  readonly params: string[];
}

/** Compiles `GET /v1/tickets/{ticketId}` into a matcher, as API Gateway does for route keys. */
export const compileRoute = (routeKey: string): Route => {
  const [method = '', path = ''] = routeKey.split(' ');
  const params: string[] = [];
  const source = path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
  return { routeKey, method, regex: new RegExp(`^${source}$`), params };
};

const textual = (contentType: string | undefined): boolean =>
  !contentType ||
  /^(text\/|application\/(json|[a-z.+-]*\+json|xml|x-www-form-urlencoded)|application\/javascript)/i.test(
    contentType,
  );

/** HTTP APIs deliver the path and its parameters URL-decoded; a malformed escape stays as sent. */
const decode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const toEvent = (
  req: IncomingMessage,
  body: Buffer,
  route: Route,
  match: RegExpExecArray,
  url: URL,
): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const pathParameters = Object.fromEntries(route.params.map((p, i) => [p, decode(match[i + 1] ?? '')]));
  const isBase64Encoded = body.length > 0 && !textual(headers['content-type']);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: decode(url.pathname),
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(req.headers.cookie && { cookies: req.headers.cookie.split(/;\s*/) }),
    headers,
    ...(url.search && { queryStringParameters: Object.fromEntries(url.searchParams) }),
    ...(route.params.length > 0 && { pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && { body: body.toString(isBase64Encoded ? 'base64' : 'utf8') }),
    isBase64Encoded,
  };
};

const send = (res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void => {
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(
    result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
  );
};

/** A route of the local runtime itself (not part of the deployed API): `GET /local/clock`. */
export type LocalRoute = (
  body: string,
  request: { readonly contentType: string | undefined },
) => Promise<{ readonly status: number; readonly body: unknown }>;

/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): matches route keys, builds
 * the same event Lambda would receive and writes back the handler's structured result. Routes in
 * `local` are the runtime's own (clock control) and exist only here.
 */
export const startHttpApi = async (
  routeKeys: readonly string[],
  handler: Invocable<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
  options: { port: number; host?: string; local?: Readonly<Record<string, LocalRoute>> },
): Promise<{ server: Server; url: string }> => {
  const routes = routeKeys.map(compileRoute);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > GATEWAY_MAX_BYTES) {
          send(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
          return;
        }
        chunks.push(chunk as Buffer);
      }
      const local = options.local?.[`${req.method} ${url.pathname}`];
      if (local) {
        const out = await local(Buffer.concat(chunks).toString('utf8'), {
          contentType: req.headers['content-type'],
        });
        send(res, {
          statusCode: out.status,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(out.body),
        });
        return;
      }
      for (const route of routes) {
        const match = route.method === req.method ? route.regex.exec(url.pathname) : null;
        if (match) {
          send(
            res,
            await handler(toEvent(req, Buffer.concat(chunks), route, match, url), lambdaContext('intake')),
          );
          return;
        }
      }
      // What no route matches goes to the intake function's `$default` route, as deployed.
      const fallback: Route = {
        routeKey: '$default',
        method: req.method ?? 'GET',
        regex: /^.*$/,
        params: [],
      };
      send(
        res,
        await handler(
          toEvent(req, Buffer.concat(chunks), fallback, /^.*$/.exec(url.pathname) as RegExpExecArray, url),
          lambdaContext('intake'),
        ),
      );
    } catch {
      // What API Gateway answers when the integration fails.
      send(res, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Internal Server Error"}',
      });
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host}:${port}` };
};
