import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { createClients, listDeadLetters, redriveDeadLetters } from '../src';

const sqs = createClients({
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  endpoints: { sqs: inject('sqsEndpoint') },
}).sqs;

const queue = async (name: string) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${randomBytes(3).toString('hex')}` })))
    .QueueUrl ?? '';

const envelope = (i: number) =>
  JSON.stringify({
    'detail-type': 'Delivery Requested',
    detail: { eventId: `delivery-requested:${i}`, tenantId: 'acme', ticketId: `T-${i}`, data: {} },
  });

describe('dead letters', () => {
  it('lists what is in a DLQ by its ids without consuming it, then redrives all of it', async () => {
    const dlq = await queue('dlq');
    const work = await queue('work');
    for (let i = 0; i < 13; i++)
      await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: envelope(i) }));

    const listed = await listDeadLetters(sqs, dlq);
    expect(listed).toHaveLength(13);
    expect(listed.map((l) => l.ticketId).sort()).toEqual(
      Array.from({ length: 13 }, (_, i) => `T-${i}`).sort(),
    );
    expect(listed[0]).toMatchObject({ detailType: 'Delivery Requested', tenantId: 'acme' });
    expect(await listDeadLetters(sqs, dlq)).toHaveLength(13); // still there

    expect(await redriveDeadLetters(sqs, dlq, work, 5)).toHaveLength(5);
    expect(await redriveDeadLetters(sqs, dlq, work)).toHaveLength(8);
    expect(await listDeadLetters(sqs, dlq)).toEqual([]);
    const bodies: string[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: work, MaxNumberOfMessages: 10 }));
      if (!out.Messages?.length) break;
      bodies.push(...out.Messages.map((m) => m.Body ?? ''));
    }
    expect(bodies.sort()).toEqual(Array.from({ length: 13 }, (_, i) => envelope(i)).sort());
  });
});
