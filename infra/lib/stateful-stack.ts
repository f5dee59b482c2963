import {
  INDEX,
  INDEX_ATTRIBUTES,
  TABLE_KEYS,
  TABLES,
  type TableName,
  TTL_ATTRIBUTE,
} from '@heed/aws/table-schema';
import { SOURCE } from '@heed/contracts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { AlarmTopic } from './constructs/watch';

export interface StatefulStackProps extends StackProps {
  /** Subscribes this address to the alarm topic. @default no subscription */
  readonly alarmEmail?: string;
}

/**
 * What must survive a redeploy, and what every service stack builds on: the tables
 * (point-in-time recovery, encryption, retained on delete), the event bus with its archive
 * (events can be replayed after an outage), the keys, Heed's Scheduler group (pending timers
 * live there) and the topic every alarm notifies.
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableName, Table>;
  readonly bus: EventBus;
  /** Seals the tenants' webhook signing secrets (only the notifier may decrypt). */
  readonly secretsKey: Key;
  /** HMAC key of the survey links: the follow-up service signs, the feedback page verifies. */
  readonly feedbackKey: Key;
  /** EventBridge Scheduler group of Heed's one-time timer schedules. */
  readonly group: ScheduleGroup;
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    const table = (name: TableName) => {
      const t = new Table(this, `${name[0]?.toUpperCase()}${name.slice(1)}Table`, {
        partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
        sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.AWS_MANAGED,
        timeToLiveAttribute: TTL_ATTRIBUTE,
        removalPolicy: RemovalPolicy.RETAIN,
        deletionProtection: true,
        ...(TABLES[name].stream && { stream: StreamViewType.NEW_IMAGE }),
      });
      // The sparse index (outbox windows, due timers): the same definition the local tables use.
      if (TABLES[name].index)
        t.addGlobalSecondaryIndex({
          indexName: INDEX.name,
          partitionKey: { name: INDEX.partitionKey, type: AttributeType.STRING },
          sortKey: { name: INDEX.sortKey, type: AttributeType.STRING },
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...INDEX_ATTRIBUTES],
        });
      return t;
    };
    this.tables = { tickets: table('tickets'), tenants: table('tenants') };

    // A customer-managed key rather than Secrets Manager: one key for every tenant's endpoints
    // ($1/month, not $0.40 per secret), secrets stay inside the atomic configuration item, the key
    // policy and IAM name the one function that may decrypt, and CloudTrail logs every decrypt.
    this.secretsKey = new Key(this, 'SecretsKey', {
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      description: 'Heed: seals tenants webhook signing secrets',
    });
    new CfnOutput(this, 'SecretsKeyArn', {
      value: this.secretsKey.keyArn,
      description: 'Pass to `npm run heed -- config push … --kms-key` (webhook secrets are stored sealed)',
    });

    // An HMAC key that never leaves KMS. Rotating it would void every survey link in flight, and
    // KMS does not rotate HMAC keys; a link lives at most `survey.expiresAfter` (30 days by default).
    this.feedbackKey = new Key(this, 'FeedbackKey', {
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
      description: 'Heed: signs and verifies one-click survey links',
    });
    NagSuppressions.addResourceSuppressions(this.feedbackKey, [
      {
        id: 'AwsSolutions-KMS5',
        reason:
          'KMS supports automatic rotation only for symmetric encryption keys; this is an HMAC key (GENERATE_VERIFY_MAC).',
      },
    ]);

    this.bus = new EventBus(this, 'Bus', { description: 'Heed domain events' });
    new Archive(this, 'BusArchive', {
      sourceEventBus: this.bus,
      eventPattern: { source: [SOURCE] },
      retention: Duration.days(365),
      description: 'Every Heed domain event, for replay',
    });
    this.group = new ScheduleGroup(this, 'ScheduleGroup');
    this.alarmTopic = new AlarmTopic(this, 'Alarm', props.alarmEmail ? { email: props.alarmEmail } : {});
  }
}
