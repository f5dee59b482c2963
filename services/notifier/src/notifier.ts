import { lambdaHandler, logger, processSqsBatch, type RetryScheduler } from '@heed/aws';
import { parseDomainEvent } from '@heed/contracts';
import type { SQSEvent } from 'aws-lambda';
import { type DeliverDeps, DeliveryFailedError, deliver } from './deliver';

export interface NotifierDeps extends DeliverDeps {
  readonly retry: RetryScheduler;
}

/** The notifier Lambda: one SQS batch of Delivery Requested events. */
export const createNotifierHandler = (deps: NotifierDeps) =>
  lambdaHandler((event: SQSEvent) =>
    processSqsBatch(event, async (record) => {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
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
    }),
  );
