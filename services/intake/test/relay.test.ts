import { marshall } from '@aws-sdk/util-dynamodb';
import type { EventPublisher } from '@heed/aws';
import type { DomainEvent } from '@heed/contracts';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { relayBatch } from '../src/relay';

const domainEvent = (id: string): DomainEvent =>
  ({ detailType: 'Customer Replied', detail: { eventId: id } }) as unknown as DomainEvent;

const record = (
  seq: number,
  events: DomainEvent[],
  eventName: DynamoDBRecord['eventName'] = 'INSERT',
): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    SequenceNumber: String(seq),
    NewImage: marshall({
      pk: 'p',
      sk: `E#${seq}`,
      kind: 'event',
      ...(events.length > 0 && { emits: events }),
    }) as never,
  },
});

class FakeBus implements EventPublisher {
  calls: string[][] = [];
  failOn = new Set<number>();
  async publish(events: readonly DomainEvent[]): Promise<void> {
    const call = this.calls.length;
    this.calls.push(events.map((e) => e.detail.eventId));
    if (this.failOn.has(call)) throw new Error('PutEvents failed');
  }
}

describe('relayBatch', () => {
  it('packs the events of consecutive records into PutEvents calls of at most 10', async () => {
    const bus = new FakeBus();
    const records = Array.from({ length: 25 }, (_, i) => record(i, [domainEvent(`e${i}`)]));
    expect(await relayBatch({ Records: records }, bus)).toEqual({ batchItemFailures: [] });
    expect(bus.calls.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(bus.calls.flat()).toEqual(records.map((_, i) => `e${i}`));
  });

  it('never splits one record across calls', async () => {
    const bus = new FakeBus();
    const records = [
      record(
        1,
        Array.from({ length: 6 }, (_, i) => domainEvent(`a${i}`)),
      ),
      record(
        2,
        Array.from({ length: 6 }, (_, i) => domainEvent(`b${i}`)),
      ),
    ];
    await relayBatch({ Records: records }, bus);
    expect(bus.calls.map((c) => c.length)).toEqual([6, 6]);
  });

  it('reports the first record of the failed call and publishes nothing after it', async () => {
    const bus = new FakeBus();
    bus.failOn.add(1);
    const records = Array.from({ length: 25 }, (_, i) => record(100 + i, [domainEvent(`e${i}`)]));
    expect(await relayBatch({ Records: records }, bus)).toEqual({
      batchItemFailures: [{ itemIdentifier: '110' }],
    });
    expect(bus.calls).toHaveLength(2);
  });

  it('skips records without an outbox and non-inserts', async () => {
    const bus = new FakeBus();
    await relayBatch({ Records: [record(1, []), record(2, [domainEvent('x')], 'MODIFY')] }, bus);
    expect(bus.calls).toEqual([]);
  });
});
