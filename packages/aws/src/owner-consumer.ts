import { messageRef, parseTimerFiring, type TimerFiring, type TimerOwner } from '@heed/contracts';
import type { Clock } from '@heed/core';
import type { DynamoDeliveryStore } from './delivery-store';
import { errorSummary } from './errors';
import { sqsConsumer } from './handler-kit';
import { logger } from './powertools';
import { type OwnerOutcome, ownerTrigger } from './timer-owner';
import type { DynamoTimerStore } from './timer-store';

export interface OwnerConsumerDeps {
  readonly failures: Pick<DynamoDeliveryStore, 'recordFailure'>;
  readonly timers: Pick<DynamoTimerStore, 'markFailed'>;
  readonly clock: Clock;
}

/**
 * The Lambda of a timer owner (SLA, follow-ups): its queue carries the ticket events the routing
 * table sends it and the ticket's timer firings. Either way it only learns which ticket to look
 * at again, and `look` does the rest.
 */
export const timerOwnerConsumer = (
  owner: TimerOwner,
  look: (
    tenantId: string,
    ticketId: string,
    trigger: { readonly firing: TimerFiring | null; readonly causationId: string; readonly retry: boolean },
  ) => Promise<OwnerOutcome>,
  deps: OwnerConsumerDeps,
) =>
  sqsConsumer({
    async handle(record, delivery) {
      const { tenantId, ticketId, firing, causationId } = ownerTrigger(record.body);
      const outcome = await look(tenantId, ticketId, {
        firing,
        causationId,
        retry: delivery.receiveCount > 1,
      });
      logger.info(owner, { tenantId, ticketId, trigger: causationId, outcome });
    },
    // A ticket event only says "look at this ticket again": one look serves every such message of
    // the batch. A timer firing carries its generation and is looked at on its own.
    coalesce(record) {
      try {
        const { tenantId, ticketId, firing } = ownerTrigger(record.body);
        return firing ? null : JSON.stringify([tenantId, ticketId]);
      } catch {
        return null; // unreadable: handled (and failed) on its own
      }
    },
    // Given up on: say so on the ticket's timeline (the message is in the DLQ, alarmed). A timer
    // that failed leaves the sweeper's index, or the sweeper would send it again every few minutes.
    async deadLetter(record, error) {
      const firing = parseTimerFiring(record.body);
      const ref = messageRef(record.body);
      if (!ref.tenantId || !ref.ticketId) return;
      const { name, message } = errorSummary(error);
      const reason = `gave up after every retry: ${name}: ${message}`.slice(0, 300);
      const now = deps.clock.now();
      if (firing) await deps.timers.markFailed({ ...firing, reason, now });
      await deps.failures.recordFailure(
        ref.tenantId,
        ref.ticketId,
        {
          consumer: owner,
          detailType: ref.detailType ?? 'unknown',
          eventId: firing ? `timer:${owner}:${firing.generation}` : (ref.eventId ?? 'unknown'),
        },
        reason,
        now,
      );
    },
  });
