import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { sign, standardHeaders } from '../src/signature';

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
