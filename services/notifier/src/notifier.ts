import { errorSummary, logger, type RetryScheduler, sqsConsumer } from '@heed/aws';
import { parseDomainEvent } from '@heed/contracts';
import type { DeliveryPurpose } from '@heed/core';
import { type DeliverDeps, DeliveryFailedError, deliver } from './deliver';

export interface NotifierDeps extends DeliverDeps {
  readonly retry: RetryScheduler;
}

/** The notifier Lambda: one SQS batch of Delivery Requested events. */
export const createNotifierHandler = (deps: NotifierDeps) =>
  sqsConsumer({
    async handle(record, { receiveCount }) {
      const domainEvent = parseDomainEvent(record.body);
      try {
        const result = await deliver(domainEvent, receiveCount, deps);
        logger.info('delivery', {
          tenantId: domainEvent.detail.tenantId,
          ticketId: domainEvent.detail.ticketId,
          ...result,
        });
      } catch (error) {
        if (error instanceof DeliveryFailedError)
          await deps.retry.retryLater(record.receiptHandle, receiveCount);
        throw error;
      }
    },
    // Whatever the cause (throttling, a crash, a missing record), the delivery ends failed on the ticket.
    async deadLetter(record, error) {
      const event = parseDomainEvent(record.body);
      if (event.detailType !== 'Delivery Requested') return;
      const { name, message } = errorSummary(error);
      await deps.deliveries.markFailed(
        {
          tenantId: event.detail.tenantId,
          ticketId: event.detail.ticketId,
          deliveryId: event.detail.data.deliveryId,
          purpose: event.detail.data.purpose as DeliveryPurpose,
        },
        `gave up after every retry: ${name}: ${message}`.slice(0, 300),
        deps.clock.now(),
      );
    },
  });
