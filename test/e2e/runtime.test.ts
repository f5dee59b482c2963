import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/runtime';

let rt: TestRuntime;
beforeAll(async () => {
  // The services' own consumers stay off: these tests attach their own to the queues.
  rt = await startTestRuntime({ services: [] });
});
afterAll(async () => {
  await rt?.stop();
});

const depth = async (url: string): Promise<number> => {
  const out = await rt.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

describe('local SQS event source', () => {
  it('honours partial batch failures: good records are done once, a poison one retries then goes to the DLQ', async () => {
    const queue = rt.queues.notifier;
    const seen = new Map<string, number>();
    rt.consume('notifier', async (event: SQSEvent) => {
      const failures = [];
      for (const record of event.Records) {
        seen.set(record.body, (seen.get(record.body) ?? 0) + 1);
        if (record.body === 'poison') failures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures: failures };
    });
    for (const body of ['a', 'poison', 'b']) {
      await rt.clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
    }
    const dead = await eventually(async () => {
      const out = await rt.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, WaitTimeSeconds: 1 }),
      );
      return out.Messages?.[0];
    }, 30_000);
    expect(dead.Body).toBe('poison');
    expect(seen.get('a')).toBe(1);
    expect(seen.get('b')).toBe(1);
    expect(seen.get('poison')).toBe(5); // MAX_RECEIVE_COUNT receives, then redrive
    expect(await depth(queue.url)).toBe(0);
  });

  it('retries the whole batch when the handler throws', async () => {
    let calls = 0;
    rt.consume('followup', async () => {
      calls++;
      if (calls === 1) throw new Error('cold dependency');
      return { batchItemFailures: [] };
    });
    await rt.clients.sqs.send(new SendMessageCommand({ QueueUrl: rt.queues.followup.url, MessageBody: 'x' }));
    await eventually(async () =>
      calls >= 2 && (await depth(rt.queues.followup.url)) === 0 ? true : undefined,
    );
    expect(calls).toBe(2);
  });
});

describe('stopping', () => {
  it('does not wait out a relay that is retrying a record the bus keeps refusing', async () => {
    const own = await startTestRuntime({ services: [] });
    const { apiClient, opened } = await import('../support/runtime');
    own.bus.publish = async () => {
      throw new Error('bus down');
    };
    expect((await apiClient(own, own.apiKey).post(opened())).status).toBe(202);
    await eventually(() => (own.relay.busy ? true : undefined)); // the relay is now backing off
    await own.stop(); // within this test's timeout, not after the retries
  }, 15_000);
});
