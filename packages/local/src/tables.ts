import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { INDEX, INDEX_ATTRIBUTES, TABLE_KEYS, TABLES, type TableName, TTL_ATTRIBUTE } from '@heed/aws';

/** Creates Heed's tables in DynamoDB Local with the same keys and stream settings as the CDK stack. */
export const createTables = async (
  dynamodb: DynamoDBClient,
  names: Record<TableName, string>,
): Promise<void> => {
  for (const [table, spec] of Object.entries(TABLES) as [TableName, (typeof TABLES)[TableName]][]) {
    try {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: names[table],
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
            { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
            ...(spec.index
              ? [
                  { AttributeName: INDEX.partitionKey, AttributeType: 'S' as const },
                  { AttributeName: INDEX.sortKey, AttributeType: 'S' as const },
                ]
              : []),
          ],
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
          ],
          ...(spec.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
          ...(spec.index && {
            GlobalSecondaryIndexes: [
              {
                IndexName: INDEX.name,
                KeySchema: [
                  { AttributeName: INDEX.partitionKey, KeyType: 'HASH' },
                  { AttributeName: INDEX.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...INDEX_ATTRIBUTES] },
              },
            ],
          }),
        }),
      );
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: names[table],
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error; // persisted tables from an earlier run
    }
  }
};
