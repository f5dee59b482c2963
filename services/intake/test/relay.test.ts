import { marshall } from '@aws-sdk/util-dynamodb';
import type { EventPublisher, PublishOutcome } from '@heed/aws';
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

/** A bus that refuses the events named in `refuse`, or every event of the calls in `down`. */
class FakeBus implements EventPublisher {
  calls: string[][] = [];
  refuse = new Set<string>();
  down = new Set<number>();
  async publish(events: readonly DomainEvent[]): Promise<PublishOutcome> {
    const call = this.calls.length;
    this.calls.push(events.map((e) => e.detail.eventId));
    return {
      failed: events.flatMap((e, index) =>
        this.down.has(call) || this.refuse.has(e.detail.eventId) ? [{ index, code: 'InternalFailure' }] : [],
      ),
    };
  }
}

const relay = (records: DynamoDBRecord[], bus: FakeBus) => relayBatch({ Records: records }, bus, 0);

describe('relayBatch', () => {
  it('packs the events of consecutive records into PutEvents calls of at most 10', async () => {
    const bus = new FakeBus();
    const records = Array.from({ length: 25 }, (_, i) => record(i, [domainEvent(`e${i}`)]));
    expect(await relay(records, bus)).toEqual({ batchItemFailures: [] });
    expect(bus.calls.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(bus.calls.flat()).toEqual(records.map((_, i) => `e${i}`));
  });

  it('never splits one record across calls', async () => {
    const bus = new FakeBus();
    const six = (p: string) => Array.from({ length: 6 }, (_, i) => domainEvent(`${p}${i}`));
    await relay([record(1, six('a')), record(2, six('b'))], bus);
    expect(bus.calls.map((c) => c.length)).toEqual([6, 6]);
  });

  it('blames the record whose event the bus refused, and still publishes every other record', async () => {
    const bus = new FakeBus();
    bus.refuse.add('e13');
    const records = Array.from({ length: 25 }, (_, i) => record(100 + i, [domainEvent(`e${i}`)]));
    expect(await relay(records, bus)).toEqual({ batchItemFailures: [{ itemIdentifier: '113' }] });
    expect(bus.calls.flat()).toHaveLength(25); // one bad record does not hold up the others
  });

  it('reports the earliest of several refused records (the stream checkpoints there)', async () => {
    const bus = new FakeBus();
    bus.refuse.add('e21');
    bus.refuse.add('e4');
    const records = Array.from({ length: 25 }, (_, i) => record(100 + i, [domainEvent(`e${i}`)]));
    expect(await relay(records, bus)).toEqual({ batchItemFailures: [{ itemIdentifier: '104' }] });
  });

  it('stops at a call that failed entirely (the bus is down) and reports its first record', async () => {
    const bus = new FakeBus();
    bus.down.add(1);
    const records = Array.from({ length: 25 }, (_, i) => record(100 + i, [domainEvent(`e${i}`)]));
    expect(await relay(records, bus)).toEqual({ batchItemFailures: [{ itemIdentifier: '110' }] });
    expect(bus.calls).toHaveLength(2);
  });

  it('skips records without an outbox and non-inserts', async () => {
    const bus = new FakeBus();
    await relay([record(1, []), record(2, [domainEvent('x')], 'MODIFY')], bus);
    expect(bus.calls).toEqual([]);
  });
});
