import {
  type DynamoDeliveryStore,
  type DynamoTimerStore,
  errorSummary,
  logger,
  ownerTrigger,
  sqsConsumer,
} from '@heed/aws';
import { messageRef, parseTimerFiring } from '@heed/contracts';
import { reconcileSla, type SlaDeps } from './reconcile';

export interface SlaHandlerDeps extends SlaDeps {
  readonly failures: Pick<DynamoDeliveryStore, 'recordFailure'>;
  readonly timers: SlaDeps['timers'] & Pick<DynamoTimerStore, 'markFailed'>;
}

/**
 * The SLA Lambda: its queue carries the ticket events the routing table sends it and the
 * ticket's SLA timer firings. Either way it only learns which ticket to look at again.
 */
export const createSlaHandler = (deps: SlaHandlerDeps) =>
  sqsConsumer({
    async handle(record) {
      const { tenantId, ticketId, firing, causationId } = ownerTrigger(record.body);
      const retry = Number(record.attributes.ApproximateReceiveCount) > 1;
      const outcome = await reconcileSla(tenantId, ticketId, { firing, causationId, retry }, deps);
      logger.info('sla', { tenantId, ticketId, trigger: causationId, outcome });
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
          consumer: 'sla',
          detailType: ref.detailType ?? 'unknown',
          eventId: firing ? `timer:sla:${firing.generation}` : (ref.eventId ?? 'unknown'),
        },
        reason,
        now,
      );
    },
  });
