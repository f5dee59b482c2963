import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface WebhookResponse {
  readonly status: number;
}

/** What a tenant lets its webhooks reach. */
export interface PostPolicy {
  /**
   * The tenant's `delivery.allowPrivateNetworks`: private ranges (10/8, 172.16/12, 192.168/16,
   * 100.64/10, fc00::/7), for a notifier attached to the company's network. Loopback, link-local
   * (169.254.169.254, the Lambda runtime API on 127.0.0.1:9001) and the like are never reachable.
   */
  readonly allowPrivateNetworks: boolean;
}

/** The methods Heed calls endpoints with: POST, and PUT for Zendesk's ticket update. */
export type PostMethod = 'POST' | 'PUT';

/** Posts a signed body to a tenant endpoint. */
export interface WebhookPoster {
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    policy: PostPolicy,
    method?: PostMethod,
  ): Promise<WebhookResponse>;
}

/** A webhook URL or address Heed will not call (not https, or a destination inside the sandbox). */
export class DestinationRefusedError extends Error {
  override readonly name = 'DestinationRefusedError';
}

/** The Lambda sandbox and what is no one's endpoint: loopback, link-local, "this network", multicast. */
const SANDBOX = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['192.0.0.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SANDBOX.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SANDBOX.addSubnet(net, bits, 'ipv6');
/** Private networks (RFC 1918, shared address space, benchmarking, unique local): a tenant may allow them. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** Why a resolved address may not be called, or null when it may. IPv4-mapped IPv6 counts as IPv4. */
export const destinationProblem = (address: string, policy: PostPolicy): string | null => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 4 ? 'ipv4' : isIP(ip) === 6 ? 'ipv6' : null;
  if (!family) return `${address} is not an IP address`;
  if (SANDBOX.check(ip, family)) return `${address} is a loopback, link-local or reserved address`;
  if (!policy.allowPrivateNetworks && PRIVATE.check(ip, family))
    return `${address} is a private address (the tenant may allow private networks: delivery.allowPrivateNetworks)`;
  return null;
};

/** Bytes of a response Heed reads (the status is what counts); then the connection is dropped. */
export const MAX_RESPONSE_BYTES = 4096;

export interface PosterOptions {
  /** The whole call, connection to last byte read. @default 10 s */
  readonly timeoutMs?: number;
  /**
   * The local runtime: plain http and any address (receivers run on this machine). Outside it,
   * only https, and only destinations `destinationProblem` allows, checked on the address
   * actually connected to (after DNS, so a name that resolves inward is refused too).
   */
  readonly local?: boolean;
  /** DNS, for tests. @default node:dns lookup */
  readonly lookup?: typeof dnsLookup;
}

/**
 * Webhook calls with bounds on everything the other side controls: at most `timeoutMs` for the
 * whole call, at most MAX_RESPONSE_BYTES of the answer read (an endpoint that streams forever
 * cannot exhaust the notifier and fail other tenants' deliveries in the same batch), no
 * redirects followed, and outside the local runtime https only to addresses outside the sandbox.
 */
export const webhookPoster = (options: PosterOptions = {}): WebhookPoster => ({
  post(url, headers, body, policy, method = 'POST') {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const target = new URL(url);
    if (!options.local && target.protocol !== 'https:')
      return Promise.reject(
        new DestinationRefusedError(`only https endpoints are called, not ${target.protocol}`),
      );
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.local && isIP(host)) {
      const problem = destinationProblem(host, policy);
      if (problem) return Promise.reject(new DestinationRefusedError(problem));
    }
    const resolve = options.lookup ?? dnsLookup;
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolve(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 4);
        const refused = options.local
          ? null
          : addresses.map((a) => destinationProblem(a.address, policy)).find(Boolean);
        if (refused)
          return callback(new DestinationRefusedError(`${hostname} resolves to ${refused}`), '', 4);
        if (lookupOptions.all) return callback(null, addresses as unknown as string, 4);
        const first = addresses[0];
        if (!first) return callback(new DestinationRefusedError(`${hostname} has no address`), '', 4);
        callback(null, first.address, first.family);
      });
    };
    return new Promise<WebhookResponse>((resolvePost, reject) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(target, {
        method,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup,
      });
      const timer = setTimeout(
        () => req.destroy(new DestinationRefusedError(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (outcome: () => void) => {
        clearTimeout(timer);
        outcome();
      };
      req.on('error', (error) => done(() => reject(error)));
      req.on('response', (res: IncomingMessage) => {
        let read = 0;
        const finish = () => {
          done(() => resolvePost({ status: res.statusCode ?? 0 }));
          res.destroy();
          req.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_RESPONSE_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
      });
      req.end(body);
    });
  },
});

export interface EmailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Sends customer e-mail directly (optional; off unless the stack and the tenant enable it). */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}
