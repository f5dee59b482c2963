import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsBackoff } from '@heed/aws';
import { describe, expect, it } from 'vitest';
import { sign, verify } from '../src/signature';

describe('webhook signature', () => {
  const body = '{"id":"ack-open","reference":"HD-1"}';
  const secret = 'a-secret-of-sixteen+';

  it('is HMAC-SHA256 over "<t>.<body>" in the documented header format', () => {
    const header = sign(secret, 1_795_000_000, body);
    expect(header).toMatch(/^t=1795000000,v1=[0-9a-f]{64}$/);
    expect(verify(header, body, secret, 1_795_000_100)).toEqual({ ok: true });
  });

  it('rejects a changed body, another secret, a stale timestamp and garbage', () => {
    const header = sign(secret, 1_795_000_000, body);
    expect(verify(header, `${body} `, secret, 1_795_000_000)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verify(header, body, `${secret}x`, 1_795_000_000)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verify(header, body, secret, 1_795_000_301)).toEqual({
      ok: false,
      reason: 'timestamp outside the tolerance',
    });
    expect(verify(undefined, body, secret, 1_795_000_000)).toEqual({
      ok: false,
      reason: 'malformed signature header',
    });
    expect(verify('t=1795000000,v1=abc', body, secret, 1_795_000_000)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });
});

describe('SqsBackoff', () => {
  it('doubles from the base and caps at 15 minutes', () => {
    const backoff = new SqsBackoff({} as SQSClient, 'q', 30);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoff.delaySeconds(n))).toEqual([
      30, 60, 120, 240, 480, 900, 900,
    ]);
  });
});
