import { type DynamoDeliveryStore, errorSummary, logger, sqsConsumer } from '@heed/aws';
import { messageRef, parseDomainEvent } from '@heed/contracts';
import { type AcknowledgeDeps, acknowledge } from './acknowledge';

export interface AcknowledgerDeps extends AcknowledgeDeps {
  readonly deliveries: Pick<DynamoDeliveryStore, 'claim'>;
}

/** The acknowledger Lambda: one SQS batch of Ticket Received / Ticket Reopened events. */
export const createAcknowledgerHandler = (deps: AcknowledgerDeps) =>
  sqsConsumer({
    async handle(record) {
      const domainEvent = parseDomainEvent(record.body);
      const result = await acknowledge(domainEvent, deps);
      logger.info('acknowledgement', {
        tenantId: domainEvent.detail.tenantId,
        ticketId: domainEvent.detail.ticketId,
        detailType: domainEvent.detailType,
        ...result,
      });
    },
    // Given up on: the opening is marked failed with the reason (a redrive may still claim it).
    async deadLetter(record, error) {
      const ref = messageRef(record.body);
      if (!ref.tenantId || !ref.ticketId || !ref.eventId) return;
      const causation = ref.eventId.slice(ref.eventId.indexOf(':') + 1);
      const { name, message } = errorSummary(error);
      await deps.deliveries.claim({
        tenantId: ref.tenantId,
        ticketId: ref.ticketId,
        ack: {
          openingKey: ref.detailType === 'Ticket Reopened' ? `reopen:${causation}` : 'open',
          status: 'failed',
          reason: `gave up after every retry: ${name}: ${message}`.slice(0, 300),
          requestedAt: deps.clock.now().toISOString(),
        },
        emits: [],
      });
    },
  });
