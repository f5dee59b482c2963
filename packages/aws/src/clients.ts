import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';

/** Counts AWS API calls by command, for the benchmark's "calls per accepted event". */
export class CallCounter {
  readonly counts = new Map<string, number>();
  record(service: string, command: string): void {
    const key = `${service}.${command}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
  reset(): void {
    this.counts.clear();
  }
}

export interface AwsConfig {
  readonly region?: string;
  /** Per-service endpoints: set by the local runtime to point at the emulators. */
  readonly endpoints?: { readonly dynamodb?: string; readonly sqs?: string; readonly eventbridge?: string };
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly counter?: CallCounter;
  /**
   * Sockets per client for plain-HTTP endpoints. The local runtime serves many requests in one
   * process, where the SDK's default of 50 would queue; in Lambda one request runs at a time.
   */
  readonly maxSockets?: number;
}

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly eventbridge: EventBridgeClient;
}

interface Countable {
  middlewareStack: {
    add(
      middleware: InitializeMiddleware<object, MetadataBearer>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

const withCounter = <C>(client: C & Countable, service: string, counter?: CallCounter): C => {
  if (counter) {
    client.middlewareStack.add(
      (next, context) => (args) => {
        counter.record(service, String(context.commandName ?? 'unknown').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'heedCallCounter' },
    );
  }
  return client;
};

/** Builds the SDK clients once per process (module scope in Lambda, once per runtime locally). */
export const createClients = (config: AwsConfig = {}): AwsClients => {
  const base = {
    ...(config.region !== undefined && { region: config.region }),
    ...(config.credentials !== undefined && { credentials: config.credentials }),
    ...(config.maxSockets !== undefined && {
      requestHandler: new NodeHttpHandler({
        httpAgent: new Agent({ keepAlive: true, maxSockets: config.maxSockets }),
      }),
    }),
  };
  const dynamodb = withCounter(
    new DynamoDBClient({
      ...base,
      ...(config.endpoints?.dynamodb && { endpoint: config.endpoints.dynamodb }),
    }),
    'DynamoDB',
    config.counter,
  );
  return {
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
    sqs: withCounter(
      new SQSClient({ ...base, ...(config.endpoints?.sqs && { endpoint: config.endpoints.sqs }) }),
      'SQS',
      config.counter,
    ),
    eventbridge: withCounter(
      new EventBridgeClient({
        ...base,
        ...(config.endpoints?.eventbridge && { endpoint: config.endpoints.eventbridge }),
      }),
      'EventBridge',
      config.counter,
    ),
  };
};
