import { ENV } from '@heed/aws/env';
import { SQS_BATCH_SIZE } from '@heed/aws/messaging';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ServiceFunction } from './constructs/service-function';
import type { TimerTarget } from './constructs/timer-target';

export interface SlaStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  /** The SLA queue: ticket events from the bus and the SLA timers' firings. */
  readonly queue: IQueue;
  readonly timers: TimerTarget;
}

/**
 * The SLA service (DESIGN §5.1): re-folds a ticket's SLA on each of its events and when its
 * SLA timer fires, announces each crossing once, and moves the timer.
 */
export class SlaStack extends Stack {
  readonly slaFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: SlaStackProps) {
    super(scope, id, props);
    this.slaFunction = new ServiceFunction(this, 'SlaFunction', { service: 'sla', serviceName: 'sla' })
      // Reads the log (Query) and its timer (GetItem); commits timer, outbox and deliveries and
      // logs the ladder's actions (transactional puts); marks a dead-lettered timer (update).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    props.timers.bindOwner(this.slaFunction);
    this.slaFunction.addEventSource(
      new SqsEventSource(props.queue, { batchSize: SQS_BATCH_SIZE, reportBatchItemFailures: true }),
    );
  }
}
