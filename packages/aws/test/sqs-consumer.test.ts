import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVE_COUNT, RecordTimeoutError, sqsConsumer } from '../src';

const record = (id: string, receiveCount = 1): SQSRecord => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body: JSON.stringify({ id }),
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
  awsRegion: 'us-east-1',
});

const context = (remainingMs: number): Context =>
  ({
    functionName: 'test',
    awsRequestId: 'r',
    getRemainingTimeInMillis: () => remainingMs,
  }) as Context;

describe('sqsConsumer', () => {
  it('reports only the failed records, and calls the dead-letter hook only on the last receive', async () => {
    const deadLettered: string[] = [];
    const handler = sqsConsumer({
      async handle(r) {
        if (r.messageId.startsWith('bad')) throw new Error(`boom ${r.messageId}`);
      },
      async deadLetter(r, error) {
        deadLettered.push(`${r.messageId}: ${(error as Error).message}`);
      },
    });
    const event: SQSEvent = {
      Records: [record('ok-1'), record('bad-1', 2), record('bad-2', MAX_RECEIVE_COUNT), record('ok-2')],
    };
    const out = await handler(event, context(30_000));
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-1', 'bad-2']);
    expect(deadLettered).toEqual(['bad-2: boom bad-2']);
  });

  it('handles records with the same key once, by the last of them, and gives them all its outcome', async () => {
    const handled: string[] = [];
    const deadLettered: string[] = [];
    const handler = sqsConsumer({
      async handle(r, delivery) {
        handled.push(`${r.messageId}@${delivery.receiveCount}`);
        if (r.messageId.startsWith('bad')) throw new Error('down');
      },
      async deadLetter(r) {
        deadLettered.push(r.messageId);
      },
      coalesce: (r) => (r.messageId.includes('-') ? (r.messageId.split('-')[1] as string) : null),
    });
    const event: SQSEvent = {
      Records: [
        record('ok-x', 2),
        record('alone'),
        record('ok2-x'),
        record('bad-y', MAX_RECEIVE_COUNT),
        record('bad2-y'),
        record('solo'),
      ],
    };
    const out = await handler(event, context(30_000));
    expect(handled.sort()).toEqual(['alone@1', `bad2-y@${MAX_RECEIVE_COUNT}`, 'ok2-x@2', 'solo@1'].sort());
    // Every record of the failed group is retried; the one on its last receive is dead-lettered.
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-y', 'bad2-y']);
    expect(deadLettered).toEqual(['bad-y']);
  });

  it('reports every record of a batch that fails entirely, without throwing', async () => {
    const handler = sqsConsumer({
      async handle() {
        throw new Error('down');
      },
    });
    const out = await handler({ Records: [record('a'), record('b')] }, context(30_000));
    expect(out.batchItemFailures).toHaveLength(2);
  });

  it('fails a record that would outlive the invocation before Lambda times out, and still dead-letters it', async () => {
    const errors: unknown[] = [];
    const handler = sqsConsumer({
      handle: () => new Promise<void>(() => undefined), // never settles
      async deadLetter(_r, error) {
        errors.push(error);
      },
    });
    const out = await handler({ Records: [record('slow', MAX_RECEIVE_COUNT)] }, context(4_000));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'slow' }]);
    expect(errors[0]).toBeInstanceOf(RecordTimeoutError);
  });

  it('keeps the failure reported when the dead-letter hook itself fails', async () => {
    const handler = sqsConsumer({
      async handle() {
        throw new Error('down');
      },
      async deadLetter() {
        throw new Error('table unavailable');
      },
    });
    const out = await handler({ Records: [record('x', MAX_RECEIVE_COUNT)] }, context(30_000));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'x' }]);
  });
});
