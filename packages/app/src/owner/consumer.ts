import {
  type DynamoDeliveryStore,
  type DynamoTimerStore,
  errorSummary,
  logger,
  sqsConsumer,
} from '@heed/aws';
import { messageRef, parseDomainEvent, parseTimerFiring } from '@heed/contracts';
import type { Resumable } from '@heed/core';
import { type OwnerDeps, runOwner } from './runner';
import type { OwnerTrigger, TimerWorkflow } from './workflow';

/** What a timer owner's Lambda needs beyond the runner's: where a message it gave up on is told. */
export interface OwnerConsumerDeps extends OwnerDeps {
  readonly failures: Pick<DynamoDeliveryStore, 'recordFailure'>;
  readonly timers: OwnerDeps['timers'] & Pick<DynamoTimerStore, 'markFailed'>;
}

/** Reads a message of an owner's queue: a timer firing or a domain event (throws if neither). */
export const ownerTrigger = (body: string): OwnerTrigger => {
  const firing = parseTimerFiring(body);
  if (firing)
    return {
      tenantId: firing.tenantId,
      ticketId: firing.ticketId,
      firing,
      causationId: `timer:${firing.owner}:${firing.generation}`,
    };
  const { detail } = parseDomainEvent(body);
  return { tenantId: detail.tenantId, ticketId: detail.ticketId, firing: null, causationId: detail.eventId };
};

/**
 * The Lambda of a timer owner (SLA, follow-ups): its queue carries the ticket events the routing
 * table sends it and the ticket's timer firings. Either way it only learns which ticket to look
 * at again, and the runner does the rest with the owner's workflow.
 */
export const timerOwnerConsumer = <S, M, C extends Resumable, Settled>(
  workflow: TimerWorkflow<S, M, C, Settled>,
  deps: OwnerConsumerDeps,
) => {
  const { owner } = workflow;
  return sqsConsumer({
    async handle(record, delivery) {
      const trigger = { ...ownerTrigger(record.body), retry: delivery.receiveCount > 1 };
      const outcome = await runOwner(workflow, trigger, deps);
      const { tenantId, ticketId, causationId } = trigger;
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
};
