import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DestinationRefusedError,
  destinationProblem,
  MAX_RESPONSE_BYTES,
  webhookPoster,
} from '../src/channels';

const open = { allowPrivateNetworks: false };
let endless: { server: Server; url: string; sent: () => number; closed: Promise<void> };
let silent: { server: Server; url: string };
let fine: { server: Server; url: string; bodies: string[] };

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
};

beforeAll(async () => {
  // An endpoint that answers 200 and then streams a body that never ends.
  let sent = 0;
  let closedResolve: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    closedResolve = resolve;
  });
  const endlessServer = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(1024, 'x');
    const pump = () => {
      while (res.write(chunk)) sent += chunk.length;
      sent += chunk.length;
    };
    res.on('drain', pump);
    res.on('close', closedResolve);
    pump();
  });
  endless = { server: endlessServer, url: await listen(endlessServer), sent: () => sent, closed };
  const silentServer = createServer(() => undefined); // never answers
  silent = { server: silentServer, url: await listen(silentServer) };
  const bodies: string[] = [];
  const fineServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202).end('ok');
    });
  });
  fine = { server: fineServer, url: await listen(fineServer), bodies };
});
afterAll(async () => {
  for (const s of [endless.server, silent.server, fine.server]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('webhook poster', () => {
  it('reads at most a few KB of an endless answer, then drops the connection', async () => {
    const local = webhookPoster({ local: true, timeoutMs: 5_000 });
    const res = await local.post(endless.url, {}, '{}', open);
    expect(res.status).toBe(200);
    await endless.closed; // the server saw the connection go
    // What the server managed to push into socket buffers is bounded; Heed read only the first KB.
    expect(MAX_RESPONSE_BYTES).toBe(4096);
    expect(endless.sent()).toBeLessThan(16 * 1024 * 1024);
  });

  it('gives up on an endpoint that never answers, within its timeout', async () => {
    const local = webhookPoster({ local: true, timeoutMs: 300 });
    await expect(local.post(silent.url, {}, '{}', open)).rejects.toThrow('no answer within 300 ms');
  });

  it('posts the body with its headers and reports the status (local: plain http to loopback)', async () => {
    const res = await webhookPoster({ local: true }).post(fine.url, { 'x-test': '1' }, '{"a":1}', open);
    expect(res.status).toBe(202);
    expect(fine.bodies.at(-1)).toBe('{"a":1}');
  });

  it('names the cause of a refused connection (not "fetch failed")', async () => {
    const closedPort = fine.url.replace(/:\d+\//, ':1/');
    await expect(webhookPoster({ local: true }).post(closedPort, {}, '{}', open)).rejects.toThrow(
      /ECONNREFUSED 127\.0\.0\.1:1/,
    );
  });

  it('outside the local runtime, calls only https, and never the sandbox, however the name resolves', async () => {
    const aws = webhookPoster({
      // A resolver that says what an attacker's DNS would.
      lookup: ((hostname: string, _o: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) =>
        cb(null, [
          {
            address:
              { 'metadata.evil.test': '169.254.169.254', 'private.evil.test': '10.0.0.8' }[hostname] ??
              '127.0.0.1',
            family: 4,
          },
        ])) as never,
    });
    await expect(aws.post(fine.url, {}, '{}', open)).rejects.toThrow('only https endpoints');
    for (const url of [
      'https://127.0.0.1:9001/2018-06-01/runtime/invocation/next',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://metadata.evil.test/x',
      'https://localhost.evil.test/x',
    ])
      await expect(aws.post(url, {}, '{}', { allowPrivateNetworks: true }), url).rejects.toBeInstanceOf(
        DestinationRefusedError,
      );
    await expect(aws.post('https://private.evil.test/x', {}, '{}', open)).rejects.toThrow('private address');
  });

  it('tells the sandbox, private networks and the rest apart', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ])
      expect(destinationProblem(a, { allowPrivateNetworks: true }), a).not.toBeNull();
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', 'fd00::1']) {
      expect(destinationProblem(a, open), a).toContain('private');
      expect(destinationProblem(a, { allowPrivateNetworks: true }), a).toBeNull();
    }
    for (const a of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111'])
      expect(destinationProblem(a, open), a).toBeNull();
  });
});
