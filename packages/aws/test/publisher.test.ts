import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '@heed/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../src';

const bridge = mockClient(EventBridgeClient);
const event = (i: number): DomainEvent =>
  ({
    detailType: 'Customer Replied',
    detail: { eventId: `e${i}`, emittedAt: '2026-11-23T00:00:00.000Z' },
  }) as unknown as DomainEvent;

beforeEach(() => bridge.reset());

describe('EventBridgePublisher', () => {
  it('sends at most 10 entries per PutEvents on the Heed bus with source heed', async () => {
    bridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const publisher = new EventBridgePublisher(new EventBridgeClient({}), 'heed-bus');
    expect(await publisher.publish(Array.from({ length: 23 }, (_, i) => event(i)))).toEqual({ failed: [] });
    const calls = bridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.[0]).toMatchObject({
      Source: 'heed',
      DetailType: 'Customer Replied',
      EventBusName: 'heed-bus',
    });
    expect(JSON.parse(calls[2]?.[2]?.Detail ?? '{}')).toMatchObject({ eventId: 'e22' });
  });

  it('reports the entries PutEvents refused with HTTP 200, by their index in the whole publish', async () => {
    bridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: Array.from({ length: 10 }, () => ({ EventId: 'x' })) })
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'x' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
      });
    const publisher = new EventBridgePublisher(new EventBridgeClient({}), 'bus');
    expect(await publisher.publish(Array.from({ length: 12 }, (_, i) => event(i)))).toEqual({
      failed: [{ index: 11, code: 'ThrottlingException' }],
    });
  });

  it('reports every entry of a call that failed outright, and still tries the next call', async () => {
    bridge.on(PutEventsCommand).rejectsOnce(new Error('socket hang up')).resolves({ FailedEntryCount: 0 });
    const publisher = new EventBridgePublisher(new EventBridgeClient({}), 'bus');
    const { failed } = await publisher.publish(Array.from({ length: 12 }, (_, i) => event(i)));
    expect(failed.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(bridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});
