import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TimerFiring, TimerOwner } from '@heed/contracts';

/** Re-sends a firing to its owner's queue now: the sweeper's way to re-drive an overdue timer. */
export class QueueTimerRedrive {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Readonly<Partial<Record<TimerOwner, string>>>,
  ) {}

  async redrive(firing: TimerFiring): Promise<void> {
    const queueUrl = this.queueUrls[firing.owner];
    if (!queueUrl) throw new Error(`no queue for ${firing.owner} timers`);
    await this.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(firing) }));
  }
}
