import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type CallCounter, isScheduled, scheduleName, type TimerPort } from '@heed/aws';
import type { TimerFiring, TimerOwner } from '@heed/contracts';
import type { Clock } from '@heed/core';

/** The schedule group and scheduler roles in traced calls (the IAM test maps them). */
export const LOCAL_SCHEDULE_GROUP = 'local-schedules';
export const LOCAL_SCHEDULER_ROLE = 'local-scheduler-role-';

/**
 * The timer port locally: a scheduler driven by the runtime's clock instead of EventBridge
 * Scheduler and SQS delays (which only know real seconds). One timer per (ticket, owner): arming
 * again replaces it. Due timers are sent to their owner's queue when the clock reaches them, on
 * its own as the clock runs, or step by step when POST /local/clock moves it.
 */
export class LocalTimers implements TimerPort {
  readonly #pending = new Map<string, { firing: TimerFiring; dueMs: number; scheduled: boolean }>();
  #loop: NodeJS.Timeout | undefined;
  #firing = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly clock: Clock,
    private readonly queueUrls: Readonly<Partial<Record<TimerOwner, string>>>,
    /** Counts the calls AWS would see (SQS for short timers, Scheduler for long ones). */
    private readonly counter?: CallCounter,
  ) {}

  async arm(firing: TimerFiring): Promise<void> {
    const dueMs = Date.parse(firing.dueAt);
    const scheduled = isScheduled(dueMs, this.clock.now().getTime());
    const key = `${firing.owner}/${firing.tenantId}/${firing.ticketId}`;
    // Counted as SchedulerTimers calls AWS: a schedule is updated in place when it exists, else
    // the update fails and it is created.
    const schedule = this.#schedule(firing.owner, firing.tenantId, firing.ticketId);
    if (!scheduled) this.counter?.record('SQS', 'SendMessage', { QueueUrl: this.queueUrls[firing.owner] });
    else {
      const input = { ...schedule, Target: { RoleArn: `${LOCAL_SCHEDULER_ROLE}${firing.owner}` } };
      this.counter?.record('Scheduler', 'UpdateSchedule', input);
      if (!this.#pending.get(key)?.scheduled) this.counter?.record('Scheduler', 'CreateSchedule', input);
    }
    this.#pending.set(key, { firing, dueMs, scheduled });
  }

  async disarm(owner: TimerOwner, tenantId: string, ticketId: string): Promise<void> {
    this.counter?.record('Scheduler', 'DeleteSchedule', this.#schedule(owner, tenantId, ticketId));
    this.#pending.delete(`${owner}/${tenantId}/${ticketId}`);
  }

  /** The schedule SchedulerTimers would write for (ticket, owner). */
  #schedule(owner: TimerOwner, tenantId: string, ticketId: string) {
    return { Name: scheduleName(owner, tenantId, ticketId), GroupName: LOCAL_SCHEDULE_GROUP };
  }

  /** The firing armed for (ticket, owner) and not yet sent, if any. */
  pendingOf(owner: TimerOwner, tenantId: string, ticketId: string): TimerFiring | undefined {
    return this.#pending.get(`${owner}/${tenantId}/${ticketId}`)?.firing;
  }

  /** The earliest due time of a pending timer, or null. */
  nextDue(): number | null {
    let next: number | null = null;
    for (const { dueMs } of this.#pending.values()) if (next === null || dueMs < next) next = dueMs;
    return next;
  }

  /** True while a timer is due and not yet handed to its queue. */
  get busy(): boolean {
    const now = this.clock.now().getTime();
    return this.#firing > 0 || [...this.#pending.values()].some((p) => p.dueMs <= now);
  }

  /** Sends every timer due at the clock's now to its owner's queue, in due order. */
  async fireDue(): Promise<number> {
    const now = this.clock.now().getTime();
    const due = [...this.#pending.entries()]
      .filter(([, p]) => p.dueMs <= now)
      .sort((a, b) => a[1].dueMs - b[1].dueMs);
    this.#firing++;
    try {
      for (const [key, { firing, scheduled }] of due) {
        this.#pending.delete(key);
        const queueUrl = this.queueUrls[firing.owner];
        if (!queueUrl) continue;
        // A delayed message was paid for when it was sent; a schedule is paid for when it runs.
        if (scheduled) {
          this.counter?.recordPlatform('Scheduler invocation');
          this.counter?.recordPlatform('SQS request by Scheduler');
        }
        await this.sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(firing) }),
        );
      }
    } finally {
      this.#firing--;
    }
    return due.length;
  }

  /** Fires due timers as the clock runs on its own (a running clock, or a test's manual one). */
  start(intervalMs = 20): void {
    this.#loop ??= setInterval(() => {
      if (this.busy && this.#firing === 0) this.fireDue().catch(() => undefined);
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.#loop);
    this.#loop = undefined;
  }
}
