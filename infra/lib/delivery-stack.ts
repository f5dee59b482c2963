import { ENV } from '@heed/aws/env';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { GraphWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ConsumerService } from './constructs/consumer-service';
import { heedMetric, search } from './constructs/watch';

export interface DeliveryStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  readonly bus: IEventBus;
  readonly alarmTopic: ITopic;
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
  /** Alarm when the p99 from receiving a ticket to delivering its acknowledgement exceeds this. @default 120 */
  readonly acknowledgementLatencyP99Seconds?: number;
  /** Alarm when this many delivery attempts fail within five minutes. @default 5 */
  readonly deliveryFailuresPerFiveMinutes?: number;
}

/**
 * Acknowledgement and outbound delivery: the acknowledger turns Ticket Received / Reopened into
 * a localized, promised message; the notifier delivers it, signed, with backoff and a DLQ. Each
 * is one consumer service (rule, queue, DLQ, function, alarms, widgets).
 */
export class DeliveryStack extends Stack {
  readonly acknowledger: ConsumerService;
  readonly notifier: ConsumerService;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props);
    const common = { bus: props.bus, alarmTopic: props.alarmTopic };

    this.acknowledger = new ConsumerService(this, 'Acknowledger', {
      ...common,
      consumer: 'acknowledger',
      title: 'Acknowledgements',
      summary: "Every request answered within seconds, with an honest promise in the customer's language.",
    });
    this.acknowledger.function
      // Reads the ticket; claims an opening with its message and activity (conditional puts).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'PutItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);

    this.notifier = new ConsumerService(this, 'Notifier', {
      ...common,
      consumer: 'notifier',
      title: 'Delivery',
      summary: "Every message Heed sends, signed, to the tenants' webhooks (and SES), with backoff.",
    });
    const notifier = this.notifier.function;
    notifier.addEnvironment(ENV.notifierQueueUrl, this.notifier.queue.queueUrl);
    notifier.addEnvironment(ENV.retryBaseSeconds, String(props.retryBaseSeconds ?? 30));
    if (props.sesFromIdentity) notifier.addEnvironment(ENV.sesEnabled, 'true');
    notifier
      // Reads deliveries and tickets; records attempts and outcomes (updates) with activities (puts).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'PutItem', 'UpdateItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    // Only the notifier may open the sealed webhook secrets, and only as webhook secrets.
    notifier.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.secretsKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'heed-webhook-secret' } },
      }),
    );
    // The event source grants receive/delete/ChangeMessageVisibility (used for backoff) on this queue only.
    if (props.sesFromIdentity) {
      notifier.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.sesFromIdentity }),
          ],
        }),
      );
    }

    const latencyP99 = heedMetric('AcknowledgementLatency', 'notifier', 'p99');
    const failures = heedMetric('DeliveryFailures', 'notifier');
    this.notifier.alarm('AcknowledgementLatencyP99', {
      metric: latencyP99,
      threshold: (props.acknowledgementLatencyP99Seconds ?? 120) * 1000,
      description:
        'Customers wait too long for the acknowledgement of their request (p99, received to delivered).',
    });
    this.notifier.alarm('DeliveryFailures', {
      metric: failures,
      threshold: props.deliveryFailuresPerFiveMinutes ?? 5,
      description: 'Tenant endpoints are refusing deliveries; they are being retried with backoff.',
    });
    this.acknowledger.addRow(
      new GraphWidget({
        title: 'Acknowledgement latency (received → delivered)',
        left: [heedMetric('AcknowledgementLatency', 'notifier', 'p50'), latencyP99],
        width: 12,
      }),
      new GraphWidget({
        title: 'Acknowledgements sent by locale',
        left: [search('{Heed,channel,locale,service} MetricName="AcknowledgementsSent"')],
        width: 12,
      }),
    );
    this.notifier.addRow(new GraphWidget({ title: 'Delivery failures', left: [failures], width: 24 }));
  }
}
