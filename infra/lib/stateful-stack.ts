import { TABLE_KEYS, TABLES, type TableName, TTL_ATTRIBUTE } from '@heed/aws/table-schema';
import { SOURCE } from '@heed/contracts';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';

/**
 * What must survive a redeploy: the tables (point-in-time recovery, encryption, retained on
 * delete) and the event bus with its archive (events can be replayed after an outage).
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableName, Table>;
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const table = (name: TableName) =>
      new Table(this, `${name[0]?.toUpperCase()}${name.slice(1)}Table`, {
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
    this.tables = { tickets: table('tickets'), tenants: table('tenants') };

    this.bus = new EventBus(this, 'Bus', { description: 'Heed domain events' });
    new Archive(this, 'BusArchive', {
      sourceEventBus: this.bus,
      eventPattern: { source: [SOURCE] },
      retention: Duration.days(365),
      description: 'Every Heed domain event, for replay',
    });
  }
}
