import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../packages/local/src/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
  }
}

/**
 * One DynamoDB Local (Java) and one SQS emulator for the whole test run; every test file then
 * creates its own tables and queues under a unique prefix, so files stay isolated and fast.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal();
  const { startFauxqs } = await import('fauxqs');
  const sqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('sqsEndpoint', sqs.address);
  return async () => {
    await sqs.stop();
    await dynamodb.stop();
  };
}
