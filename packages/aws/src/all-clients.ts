import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type AwsConfig, awsClient, type DynamoClients, dynamoClients } from './clients';

export interface AwsClients extends DynamoClients {
  readonly sqs: SQSClient;
  readonly eventbridge: EventBridgeClient;
}

/** Every client at once: for the local runtime and the CLI (Lambda functions build only theirs). */
export const createClients = (config: AwsConfig = {}): AwsClients => ({
  ...dynamoClients(config),
  sqs: awsClient(SQSClient, 'SQS', 'sqs', config),
  eventbridge: awsClient(EventBridgeClient, 'EventBridge', 'eventbridge', config),
});
