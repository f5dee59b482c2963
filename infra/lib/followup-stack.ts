import { ENV } from '@heed/aws/env';
import { SQS_BATCH_SIZE } from '@heed/aws/messaging';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ServiceFunction } from './constructs/service-function';
import type { TimerTarget } from './constructs/timer-target';

export interface FollowUpStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  /** The follow-up queue: ticket events from the bus and the follow-up timers' firings. */
  readonly queue: IQueue;
  readonly timers: TimerTarget;
  /** Signs the survey links. */
  readonly feedbackKey: IKey;
  /** Base URL of the public API the survey links point at. */
  readonly publicUrl: string;
}

/**
 * The follow-up service (DESIGN §5.2): re-folds a ticket's follow-ups on its status changes,
 * messages and feedback and when its follow-up timer fires; sends surveys and reminders,
 * closes, reopens and opens linked tickets, and moves the timer.
 */
export class FollowUpStack extends Stack {
  readonly followUpFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: FollowUpStackProps) {
    super(scope, id, props);
    this.followUpFunction = new ServiceFunction(this, 'FollowUpFunction', {
      service: 'followup',
      serviceName: 'followup',
    })
      // Reads the log (Query) and its timer (GetItem); commits timer, outbox and deliveries, and
      // logs closes, reopens and linked openings through the write path (transactional puts);
      // marks a dead-lettered timer (update).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    this.followUpFunction.addEnvironment(ENV.feedbackKey, props.feedbackKey.keyArn);
    this.followUpFunction.addEnvironment(ENV.publicUrl, props.publicUrl);
    props.feedbackKey.grant(this.followUpFunction, 'kms:GenerateMac');
    props.timers.bindOwner(this.followUpFunction);
    this.followUpFunction.addEventSource(
      new SqsEventSource(props.queue, { batchSize: SQS_BATCH_SIZE, reportBatchItemFailures: true }),
    );
  }
}
