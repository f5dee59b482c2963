import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { TimerFiring, TimerOwner } from '@heed/contracts';
import type { Clock } from '@heed/core';
import { ENV, ownerEnv, requireEnv } from './env';
import { isScheduled, SHORT_TIMER_SECONDS, type TimerPort } from './timer-policy';

/** Where an owner's firings go, and how Scheduler may send them there. */
export interface TimerTarget {
  readonly queueUrl: string;
  readonly queueArn: string;
  /** The owner's dead-letter queue: where Scheduler puts a firing it could not deliver. */
  readonly dlqArn: string;
  /** The role Scheduler assumes; it may send only to this queue. */
  readonly roleArn: string;
}

const NAME_HASH_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The schedule of a (ticket, owner): `heed-<owner>-<40 chars of a hash of tenant and ticket>`,
 * at most 64 characters of [0-9a-zA-Z-_.] whatever the ticket id holds, and the same every time
 * (so moving a timer updates one schedule instead of piling them up).
 */
export const scheduleName = (owner: TimerOwner, tenantId: string, ticketId: string): string => {
  const digest = createHash('sha256').update(`${tenantId}\u0000${ticketId}`).digest();
  let hash = '';
  for (let i = 0; i < 40; i++) hash += NAME_HASH_ALPHABET[(digest[i % digest.length] ?? 0) % 32];
  return `heed-${owner}-${hash}`;
};

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the second: a timer never fires early. */
export const atExpression = (dueMs: number): string =>
  `at(${new Date(Math.ceil(dueMs / 1000) * 1000).toISOString().slice(0, 19)})`;

/**
 * Timers on AWS. Due within 15 minutes (or already due): the firing goes straight to the
 * owner's queue with DelaySeconds, no schedule churn. Later: a one-time EventBridge Scheduler
 * schedule in Heed's group, updated in place when it exists (created otherwise), flexible window
 * off, deleted after it runs, delivering to the owner's queue through the owner's role, with an
 * explicit retry policy and the owner's DLQ.
 */
export class SchedulerTimers implements TimerPort {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly sqs: SQSClient,
    private readonly clock: Clock,
    private readonly group: string,
    private readonly targets: Readonly<Partial<Record<TimerOwner, TimerTarget>>>,
  ) {}

  async arm(firing: TimerFiring): Promise<void> {
    const target = this.targets[firing.owner];
    if (!target) throw new Error(`no timer target for ${firing.owner}`);
    const dueMs = Date.parse(firing.dueAt);
    const delayMs = dueMs - this.clock.now().getTime();
    const body = JSON.stringify(firing);
    if (!isScheduled(dueMs, this.clock.now().getTime())) {
      await this.sqs.send(
        new SendMessageCommand({
          QueueUrl: target.queueUrl,
          MessageBody: body,
          DelaySeconds: Math.min(SHORT_TIMER_SECONDS, Math.max(0, Math.ceil(delayMs / 1000))),
        }),
      );
      return;
    }
    const input: CreateScheduleCommandInput = {
      Name: scheduleName(firing.owner, firing.tenantId, firing.ticketId),
      GroupName: this.group,
      ScheduleExpression: atExpression(dueMs),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: target.queueArn,
        RoleArn: target.roleArn,
        Input: body,
        RetryPolicy: { MaximumEventAgeInSeconds: 24 * 3600, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: target.dlqArn },
      },
    };
    // Moving a timer is the common case: update, and create when it is gone (ran and deleted).
    try {
      await this.scheduler.send(new UpdateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      try {
        await this.scheduler.send(new CreateScheduleCommand(input));
      } catch (raced) {
        if (!(raced instanceof ConflictException)) throw raced;
        await this.scheduler.send(new UpdateScheduleCommand(input)); // created meanwhile by a racing arm
      }
    }
  }

  async disarm(owner: TimerOwner, tenantId: string, ticketId: string): Promise<void> {
    try {
      await this.scheduler.send(
        new DeleteScheduleCommand({ Name: scheduleName(owner, tenantId, ticketId), GroupName: this.group }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error; // it ran, or was never made
    }
  }
}

/** Where a deployed owner's timers go, from the environment CDK binds to its function. */
/** The Scheduler timers of one owner's Lambda (call at module scope: reads its environment). */
export const schedulerTimersOf = (owner: TimerOwner, clock: Clock): SchedulerTimers => {
  const env = ownerEnv(owner);
  return new SchedulerTimers(
    new SchedulerClient({}),
    new SQSClient({}),
    clock,
    requireEnv(ENV.scheduleGroup),
    {
      [owner]: {
        queueUrl: requireEnv(env.queueUrl),
        queueArn: requireEnv(env.queueArn),
        dlqArn: requireEnv(env.dlqArn),
        roleArn: requireEnv(env.roleArn),
      },
    },
  );
};
