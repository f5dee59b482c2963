import { readFileSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsBackoff } from '@heed/aws';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { sign, standardHeaders, verify } from '../src/signature';

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

/** The test vector docs/contract.md gives receivers, computed here, and verified by the standard library. */
describe('the documented test vector', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'd-20261123T090000-a17mqMMh36Lb';
  const t = 1795424400;
  const body = '{"id":"d-20261123T090000-a17mqMMh36Lb","purpose":"acknowledgement"}';
  const page = readFileSync(new URL('../../../docs/contract.md', import.meta.url), 'utf8');

  it('is what Heed signs, and what the docs print', () => {
    const standard = standardHeaders([secret], id, t, body);
    expect(page).toContain(`webhook-signature: ${standard['webhook-signature']}`);
    expect(page).toContain(`heed-signature: ${sign(secret, t, body)}`);
    // Standard Webhooks' own library agrees (its clock check is the receiver's business; given here).
    const webhook = new Webhook(secret);
    const realNow = Date.now;
    Date.now = () => t * 1000;
    try {
      expect(webhook.verify(body, standard)).toMatchObject({ purpose: 'acknowledgement' });
    } finally {
      Date.now = realNow;
    }
  });
});
