import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { s3FailedRecords } from '../src/failed-records-s3';

/** The relay's S3 failure records, as Lambda writes them: the failed batch's stream records whole. */
const logItem = (ticketId: string, name: string) => ({
  pk: `acme#T#${ticketId}`,
  sk: `E#2026-11-23T09:00:00.000000000Z#e-${ticketId}`,
  kind: 'event',
  event: { id: `e-${ticketId}`, type: 'ticket.opened', ticketId, data: { customer: { id: 'c', name } } },
  raw: JSON.stringify({
    id: `e-${ticketId}`,
    data: { customer: { id: 'c', name }, secretField: `${name}'s address` },
  }),
});
const object = (ticketId: string, name: string) =>
  JSON.stringify({
    requestContext: { condition: 'RetryAttemptsExhausted' },
    payload: {
      Records: [{ eventName: 'INSERT', dynamodb: { NewImage: marshall(logItem(ticketId, name)) } }],
    },
  });
/** A GetObject body, as far as the adapter reads it. */
const body = (text: string) => ({ transformToString: async () => text }) as never;

describe('s3FailedRecords', () => {
  it("rewrites, redacted, exactly the objects that name an erased ticket's partition, across pages", async () => {
    const s3 = mockClient(S3Client);
    const objects: Record<string, string> = {
      'a.json': object('T-erased', 'Zebulon Quirke'),
      'b.json': object('T-kept', 'Olga Other'),
      'c.json': JSON.stringify({
        payload: JSON.stringify({
          Records: [{ dynamodb: { NewImage: marshall(logItem('T-erased', 'Zebulon Quirke')) } }],
        }),
      }),
    };
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ Contents: [{ Key: 'a.json' }, { Key: 'b.json' }], NextContinuationToken: 'next' })
      .on(ListObjectsV2Command, { ContinuationToken: 'next' })
      .resolves({ Contents: [{ Key: 'c.json' }] });
    for (const [key, text] of Object.entries(objects))
      s3.on(GetObjectCommand, { Key: key }).resolves({ Body: body(text) });
    s3.on(PutObjectCommand).resolves({});
    const changed = await s3FailedRecords(s3 as unknown as S3Client, 'failures').redact(['acme#T#T-erased']);
    expect(changed).toBe(2);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key).sort()).toEqual(['a.json', 'c.json']);
    for (const put of puts) {
      const text = String(put.Body);
      expect(text).not.toContain('Zebulon');
      expect(text).toContain('acme#T#T-erased'); // the facts stay: which record failed
    }
  });
});
