import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sleep } from './processes';

export class SettleTimeoutError extends Error {
  override readonly name = 'SettleTimeoutError';
}

export interface Settleable {
  /** True while work is in hand. */
  readonly busy: boolean;
}

export interface SettleParts {
  readonly sqs: SQSClient;
  /** Consumed work queues (not DLQs: a dead letter is a settled outcome). */
  readonly queueUrls: () => readonly string[];
  readonly relay: Settleable & { drained(signal?: AbortSignal): Promise<void> };
  readonly workers: () => readonly Settleable[];
  /** Other sources of work (local timers due by the clock) that must be idle too. */
  readonly quiet?: () => boolean;
}

const queueDepth = async (sqs: SQSClient, url: string): Promise<number> => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const a = out.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
  );
};

/**
 * Waits until the system has nothing left to do: the tickets stream read to its end, every work
 * queue empty (visible, in flight and delayed), no consumer invocation in hand. Checked twice
 * around a full stream poll, because a consumer's write becomes a stream record and then a
 * queue message. Throws when it does not settle in time, naming what is still busy, so a test
 * never passes on a half-done system.
 */
export const settle = async (parts: SettleParts, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  const idle = async (): Promise<string[]> => {
    const busy: string[] = [];
    if (parts.relay.busy) busy.push('outbox relay');
    if (parts.workers().some((w) => w.busy)) busy.push('queue consumers');
    if (parts.quiet && !parts.quiet()) busy.push('local timers');
    const urls = parts.queueUrls();
    const depths = await Promise.all(urls.map((u) => queueDepth(parts.sqs, u)));
    urls.forEach((u, i) => {
      if ((depths[i] ?? 0) > 0) busy.push(`${u.split('/').pop()} (${depths[i]})`);
    });
    return busy;
  };
  for (;;) {
    await parts.relay.drained(signal);
    let busy = await idle();
    if (busy.length === 0) {
      await parts.relay.drained(signal);
      busy = await idle();
      if (busy.length === 0) return;
    }
    if (Date.now() > deadline)
      throw new SettleTimeoutError(`not settled within ${timeoutMs} ms: ${busy.join(', ')}`);
    await sleep(20);
  }
};
