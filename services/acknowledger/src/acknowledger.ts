import { lambdaHandler, logger, processSqsBatch } from '@heed/aws';
import { parseDomainEvent } from '@heed/contracts';
import type { SQSEvent } from 'aws-lambda';
import { type AcknowledgeDeps, acknowledge } from './acknowledge';

/** The acknowledger Lambda: one SQS batch of Ticket Received / Ticket Reopened events. */
export const createAcknowledgerHandler = (deps: AcknowledgeDeps) =>
  lambdaHandler((event: SQSEvent) =>
    processSqsBatch(event, async (record) => {
      const domainEvent = parseDomainEvent(record.body);
      const result = await acknowledge(domainEvent, deps);
      logger.info('acknowledgement', {
        tenantId: domainEvent.detail.tenantId,
        ticketId: domainEvent.detail.ticketId,
        detailType: domainEvent.detailType,
        ...result,
      });
    }),
  );
