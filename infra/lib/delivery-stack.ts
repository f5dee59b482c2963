import { ENV } from '@heed/aws/env';
import { SQS_BATCH_SIZE } from '@heed/aws/messaging';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ServiceFunction } from './constructs/service-function';

export interface DeliveryStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  readonly acknowledgerQueue: IQueue;
  readonly notifierQueue: IQueue;
  /** Seals the tenants' webhook secrets; the notifier decrypts with it. */
  readonly secretsKey: IKey;
  /**
   * A verified SES identity (domain or address) to send customer e-mail from. Tenants must also
   * enable e-mail in their configuration.
   * @default - no e-mail: deliveries go to the tenants' webhooks only
   */
  readonly sesFromIdentity?: string;
  /** First retry delay of a failed delivery, doubling per attempt. @default 30 */
  readonly retryBaseSeconds?: number;
}

/**
 * Acknowledgement and outbound delivery: the acknowledger turns Ticket Received / Reopened into
 * a localized, promised message; the notifier delivers it, signed, with backoff and a DLQ.
 */
export class DeliveryStack extends Stack {
  readonly acknowledgerFunction: ServiceFunction;
  readonly notifierFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props);
    const source = (queue: IQueue) =>
      new SqsEventSource(queue, { batchSize: SQS_BATCH_SIZE, reportBatchItemFailures: true });

    this.acknowledgerFunction = new ServiceFunction(this, 'AcknowledgerFunction', {
      service: 'acknowledger',
      serviceName: 'acknowledger',
    })
      // Reads the ticket; claims an opening with its message and activity (conditional puts).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'PutItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    this.acknowledgerFunction.addEventSource(source(props.acknowledgerQueue));

    this.notifierFunction = new ServiceFunction(this, 'NotifierFunction', {
      service: 'notifier',
      serviceName: 'notifier',
      environment: {
        [ENV.notifierQueueUrl]: props.notifierQueue.queueUrl,
        [ENV.retryBaseSeconds]: String(props.retryBaseSeconds ?? 30),
        ...(props.sesFromIdentity && { [ENV.sesEnabled]: 'true' }),
      },
    })
      // Reads deliveries and tickets; records attempts and outcomes (updates) with activities (puts).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'PutItem', 'UpdateItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    // Only the notifier may open the sealed webhook secrets, and only as webhook secrets.
    this.notifierFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.secretsKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'heed-webhook-secret' } },
      }),
    );
    // The event source grants receive/delete/ChangeMessageVisibility (used for backoff) on this queue only.
    this.notifierFunction.addEventSource(source(props.notifierQueue));
    if (props.sesFromIdentity) {
      this.notifierFunction.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.sesFromIdentity }),
          ],
        }),
      );
    }
  }
}
