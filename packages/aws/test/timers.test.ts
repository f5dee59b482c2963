import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type DeleteScheduleCommandInput,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { TimerFiring } from '@heed/contracts';
import { ManualClock } from '@heed/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, SchedulerTimers, scheduleName } from '../src';

const GROUP = 'heed-timers';
const TARGET = {
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/HeedSla',
  queueArn: 'arn:aws:sqs:us-east-1:111122223333:HeedSla',
  dlqArn: 'arn:aws:sqs:us-east-1:111122223333:HeedSlaDlq',
  roleArn: 'arn:aws:iam::111122223333:role/HeedSlaScheduler',
};

/**
 * A stand-in for EventBridge Scheduler that checks every request as the API would (name
 * charset and length, at() format, group, target, role, one-time settings) and keeps schedules
 * by (group, name), answering Update of a missing one and Create of an existing one with the
 * service's errors.
 */
const fakeScheduler = () => {
  const mock = mockClient(SchedulerClient);
  const schedules = new Map<string, CreateScheduleCommandInput>();
  const problems: string[] = [];
  const check = (input: CreateScheduleCommandInput) => {
    if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(input.Name ?? '')) problems.push(`bad name ${input.Name}`);
    if (!/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(input.ScheduleExpression ?? ''))
      problems.push(`bad expression ${input.ScheduleExpression}`);
    if (input.ScheduleExpressionTimezone !== 'UTC') problems.push('timezone not UTC');
    if (input.GroupName !== GROUP) problems.push(`group ${input.GroupName}`);
    if (input.FlexibleTimeWindow?.Mode !== 'OFF') problems.push('flexible window not off');
    if (input.ActionAfterCompletion !== 'DELETE') problems.push('not deleted after completion');
    if (input.Target?.Arn !== TARGET.queueArn) problems.push(`target ${input.Target?.Arn}`);
    if (input.Target?.RoleArn !== TARGET.roleArn) problems.push(`role ${input.Target?.RoleArn}`);
    if (input.Target?.DeadLetterConfig?.Arn !== TARGET.dlqArn) problems.push('no DLQ');
    if (!input.Target?.RetryPolicy?.MaximumRetryAttempts) problems.push('no retry policy');
    if (!input.Target?.Input) problems.push('no payload');
  };
  const key = (i: CreateScheduleCommandInput) => `${i.GroupName}/${i.Name}`;
  mock.on(CreateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    check(input);
    if (schedules.has(key(input))) throw conflict();
    schedules.set(key(input), input);
    return { ScheduleArn: `arn:aws:scheduler:::schedule/${key(input)}` };
  });
  mock.on(UpdateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    check(input);
    if (!schedules.has(key(input))) throw notFound();
    schedules.set(key(input), input);
    return { ScheduleArn: `arn:aws:scheduler:::schedule/${key(input)}` };
  });
  mock.on(DeleteScheduleCommand).callsFake((input: DeleteScheduleCommandInput) => {
    if (input.GroupName !== GROUP) problems.push(`group ${input.GroupName}`);
    if (!schedules.delete(`${input.GroupName}/${input.Name}`)) throw notFound();
    return {};
  });
  return { mock, schedules, problems, run: (name: string) => schedules.delete(`${GROUP}/${name}`) };
};

const conflict = () => new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} });
const notFound = () =>
  new ResourceNotFoundException({ message: 'no schedule', Message: 'no schedule', $metadata: {} });

const firing = (dueAt: string, generation = 1, ticketId = 'T-1'): TimerFiring => ({
  kind: 'timer',
  owner: 'sla',
  tenantId: 'acme',
  ticketId,
  generation,
  dueAt,
});

let scheduler: ReturnType<typeof fakeScheduler>;
const sqs = mockClient(SQSClient);
beforeEach(() => {
  scheduler = fakeScheduler();
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
});
const timers = (now: string) =>
  new SchedulerTimers(new SchedulerClient({}), new SQSClient({}), new ManualClock(now), GROUP, {
    sla: TARGET,
  });

describe('SchedulerTimers', () => {
  it('sends a timer due within 15 minutes straight to the queue with DelaySeconds, a past one at once', async () => {
    const t = timers('2026-11-23T09:00:00Z');
    await t.arm(firing('2026-11-23T09:14:59.200Z'));
    await t.arm(firing('2026-11-23T08:00:00Z', 2));
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent.map((s) => [s.QueueUrl, s.DelaySeconds])).toEqual([
      [TARGET.queueUrl, 900], // rounded up: never early
      [TARGET.queueUrl, 0],
    ]);
    expect(JSON.parse(sent[0]?.MessageBody ?? '{}')).toEqual(firing('2026-11-23T09:14:59.200Z'));
    expect(scheduler.mock.calls()).toHaveLength(0);
  });

  it('schedules a later timer once per ticket, moves it in place, and re-creates it after it ran', async () => {
    const t = timers('2026-11-23T09:00:00Z');
    await t.arm(firing('2026-11-23T12:00:00.400Z'));
    await t.arm(firing('2026-11-23T13:30:00Z', 2));
    expect(scheduler.problems).toEqual([]);
    expect(scheduler.schedules.size).toBe(1);
    const [only] = [...scheduler.schedules.values()];
    expect(only?.ScheduleExpression).toBe('at(2026-11-23T13:30:00)');
    expect(JSON.parse(only?.Target?.Input ?? '{}')).toMatchObject({
      generation: 2,
      dueAt: '2026-11-23T13:30:00Z',
    });
    // It ran and deleted itself; the next timer of that ticket creates it again.
    scheduler.run(only?.Name ?? '');
    await t.arm(firing('2026-11-24T09:00:00Z', 3));
    expect(scheduler.schedules.size).toBe(1);
    expect(scheduler.mock.commandCalls(CreateScheduleCommand)).toHaveLength(2);
    // Another ticket, another schedule.
    await t.arm(firing('2026-11-24T09:00:00Z', 1, 'T-2'));
    expect(scheduler.schedules.size).toBe(2);
    expect(scheduler.problems).toEqual([]);
  });

  it('deletes a schedule that is no longer needed, and is content when it already ran', async () => {
    const t = timers('2026-11-23T09:00:00Z');
    await t.arm(firing('2026-11-23T12:00:00Z'));
    await t.disarm('sla', 'acme', 'T-1');
    expect(scheduler.schedules.size).toBe(0);
    await t.disarm('sla', 'acme', 'T-1');
    expect(scheduler.mock.commandCalls(DeleteScheduleCommand)).toHaveLength(2);
    expect(scheduler.problems).toEqual([]);
  });

  it('survives a racing create: the loser updates', async () => {
    const t = timers('2026-11-23T09:00:00Z');
    const racing = scheduler.mock;
    let first = true;
    racing.on(UpdateScheduleCommand).callsFake(() => {
      if (first) {
        first = false;
        throw notFound();
      }
      return {};
    });
    racing.on(CreateScheduleCommand).rejects(conflict());
    await t.arm(firing('2026-11-23T12:00:00Z'));
    expect(racing.commandCalls(UpdateScheduleCommand)).toHaveLength(2);
  });

  it('names schedules within the charset and length for any ticket id, and writes at() in UTC to the second', () => {
    for (const ticketId of ['T-1', 'チケット/😀#%?', 'x'.repeat(140), ' spaced ']) {
      expect(scheduleName('followup', 'some-long-tenant-name-0123456789', ticketId)).toMatch(
        /^[0-9a-zA-Z\-_.]{1,64}$/,
      );
    }
    expect(scheduleName('sla', 'acme', 'T-1')).not.toBe(scheduleName('sla', 'acme', 'T-2'));
    expect(scheduleName('sla', 'acme', 'T-1')).not.toBe(scheduleName('followup', 'acme', 'T-1'));
    expect(atExpression(Date.parse('2026-11-23T09:15:00+09:00'))).toBe('at(2026-11-23T00:15:00)');
    expect(atExpression(Date.parse('2026-11-23T00:15:00.001Z'))).toBe('at(2026-11-23T00:15:01)');
  });
});
