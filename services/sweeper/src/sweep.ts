import {
  type DynamoTimerStore,
  MetricUnit,
  type QueueTimerRedrive,
  recordMetric,
  TIMER_BUCKET_MINUTES,
  timerBucket,
} from '@heed/aws';
import type { Clock } from '@heed/core';

export interface SweepDeps {
  readonly timers: Pick<DynamoTimerStore, 'overdue' | 'watermark' | 'setWatermark' | 'dueBetween'>;
  readonly redrive: Pick<QueueTimerRedrive, 'redrive'>;
  readonly clock: Clock;
}

const BUCKET_MS = TIMER_BUCKET_MINUTES * 60_000;
/** A timer is overdue this long after its due time (Scheduler may deliver up to a minute late). */
export const SWEEP_GRACE_MS = 2 * 60_000;
/**
 * Where the very first sweep starts (a timer is indexed at its due time or at its commit,
 * whichever is later, so nothing older can be waiting), and how many buckets one run reads at
 * most (a sweeper that was stopped catches up four hours per run).
 */
const FIRST_LOOKBACK_MS = 3600_000;
const MAX_BUCKETS_PER_RUN = 48;
/** "At risk": the ticket's next SLA crossing (a warning, a breach, an escalation step) is this close. */
export const AT_RISK_WITHIN_MS = 15 * 60_000;

/**
 * The timers' safety net (DESIGN §6): sends again every pending timer that is overdue, whatever
 * lost its firing (a schedule that failed to be created after its commit, a crash, a deleted
 * message). It reads the sparse due-bucket index from its watermark to now, each bucket's shards
 * with one Query each, never a Scan: with nothing overdue its whole cost is those few Queries.
 * A re-driven firing carries the generation of the timer, so one that was merely late is a no-op.
 */
export const sweep = async (
  deps: SweepDeps,
): Promise<{ buckets: number; redriven: number; atRisk: number }> => {
  const now = deps.clock.now().getTime();
  const cutoff = new Date(now - SWEEP_GRACE_MS);
  const watermark = await deps.timers.watermark();
  let bucketMs = watermark
    ? Date.parse(`${watermark}:00.000Z`) + BUCKET_MS
    : Math.floor((now - FIRST_LOOKBACK_MS) / BUCKET_MS) * BUCKET_MS;
  let buckets = 0;
  let redriven = 0;
  let complete: string | null = null;
  for (; bucketMs <= cutoff.getTime() && buckets < MAX_BUCKETS_PER_RUN; bucketMs += BUCKET_MS, buckets++) {
    const bucket = timerBucket(bucketMs);
    for (const firing of await deps.timers.overdue(bucket, cutoff)) {
      await deps.redrive.redrive(firing);
      redriven++;
    }
    // Only a bucket that ended before the cutoff is done: the current one is read again next time.
    if (bucketMs + BUCKET_MS <= cutoff.getTime()) complete = bucket;
  }
  if (complete) await deps.timers.setWatermark(complete, new Date(now));
  recordMetric('TimersSwept', MetricUnit.Count, redriven);
  // The dashboard's "tickets at risk", read from the same index the sweep just walked.
  const atRisk = await deps.timers.dueBetween('sla', new Date(now), new Date(now + AT_RISK_WITHIN_MS));
  recordMetric('TicketsAtRisk', MetricUnit.Count, atRisk);
  return { buckets, redriven, atRisk };
};
