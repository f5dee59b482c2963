import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';

/** Counts AWS API calls by command, for the benchmark's "calls per accepted event". */
export type PlatformRequest =
  | 'API Gateway request'
  | 'Lambda invocation'
  | 'EventBridge event'
  | 'SQS request by a rule'
  | 'SQS request by an event source'
  | 'Scheduler invocation'
  | 'SQS request by Scheduler';

/**
 * One kind of AWS call a function made: what IAM decides on (the command, the names of the
 * resources it touches, a KMS encryption context), not the payload. Recorded when a counter traces (the IAM test).
 */
export interface TracedCall {
  /** The function whose invocation made the call (`asFunction`), or null outside any. */
  readonly fn: string | null;
  readonly service: string;
  readonly command: string;
  /** The input's resource names: TableName, IndexName, QueueUrl, EventBusName, GroupName, … */
  readonly resources: Readonly<Record<string, unknown>>;
}

const invocation = new AsyncLocalStorage<string>();

/** Runs `work` as an invocation of the named function: the calls it makes are traced under that name. */
export const asFunction = <T>(fn: string, work: () => T): T => invocation.run(fn, work);

/** The input fields IAM decides on, without the items and messages. */
const RESOURCE_FIELDS = [
  'TableName',
  'IndexName',
  'QueueUrl',
  'EventBusName',
  'GroupName',
  'Name',
  'KeyId',
  'EncryptionContext',
] as const;

const resourcesOf = (input: Record<string, unknown>): Record<string, unknown> => {
  const picked: Record<string, unknown> = {};
  for (const field of RESOURCE_FIELDS) if (input[field] !== undefined) picked[field] = input[field];
  const target = input.Target as { RoleArn?: unknown } | undefined;
  if (target?.RoleArn !== undefined) picked.RoleArn = target.RoleArn;
  // A transaction is decided item by item: the operation and its table.
  if (Array.isArray(input.TransactItems))
    picked.TransactItems = (input.TransactItems as Record<string, { TableName?: string }>[]).map((item) =>
      Object.fromEntries(Object.entries(item).map(([op, body]) => [op, body.TableName])),
    );
  if (input.RequestItems && typeof input.RequestItems === 'object')
    picked.RequestItems = Object.keys(input.RequestItems);
  if (Array.isArray(input.Entries))
    picked.Entries = (input.Entries as { EventBusName?: string }[]).map((e) => e.EventBusName ?? 'default');
  return picked;
};
export class CallCounter {
  readonly counts = new Map<string, number>();
  /** DynamoDB request units the counted calls consumed, as DynamoDB reports them: RRU and WRU. */
  readonly units = new Map<'RRU' | 'WRU', number>();
  /** Distinct calls per function, when tracing (`traceCalls`); keyed by their JSON. */
  readonly traced = new Map<string, TracedCall>();
  constructor(readonly traceCalls = false) {}
  record(service: string, command: string, input?: Record<string, unknown>): void {
    const key = `${service}.${command}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.traceCalls) this.trace(invocation.getStore() ?? null, service, command, input ?? {});
  }
  /**
   * Records a call made with a function's role but not by its code (an event source mapping
   * reading its queue or stream), traced only: AWS does not bill it as the function's call.
   */
  trace(fn: string | null, service: string, command: string, input: Record<string, unknown>): void {
    if (!this.traceCalls) return;
    const call: TracedCall = { fn, service, command, resources: resourcesOf(input) };
    this.traced.set(JSON.stringify(call), call);
  }
  /**
   * Requests AWS makes or bills on Heed's behalf, outside the handlers' own SDK calls: what the
   * local runtime's stand-ins for API Gateway, Lambda, EventBridge rules, event source mappings
   * and Scheduler would each cost.
   */
  readonly platform = new Map<PlatformRequest, number>();
  recordPlatform(what: PlatformRequest, n = 1): void {
    this.platform.set(what, (this.platform.get(what) ?? 0) + n);
  }
  recordUnits(kind: 'RRU' | 'WRU', units: number): void {
    this.units.set(kind, (this.units.get(kind) ?? 0) + units);
  }
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
  reset(): void {
    this.counts.clear();
    this.units.clear();
    this.platform.clear();
    this.traced.clear();
  }
}

/**
 * Failures to inject into a client's calls (the local runtime's fault mode, HEED_FAULTS): asked
 * for every call before it is sent (an error to throw instead), and for every write after it
 * succeeded (an error to throw although the write happened: its reply was lost). Injected above
 * the SDK's own retries, so the handler sees each one, as it would a failure the SDK gave up on.
 */
export interface CallFaults {
  before(service: string, command: string): Error | null;
  afterWrite(service: string, command: string): Error | null;
}

const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;

export interface AwsConfig {
  readonly region?: string;
  /** Per-service endpoints: set by the local runtime to point at the emulators. */
  readonly endpoints?: { readonly dynamodb?: string; readonly sqs?: string; readonly eventbridge?: string };
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly counter?: CallCounter;
  /** Injected failures (local fault mode only). */
  readonly faults?: CallFaults;
  /**
   * Sockets per client for plain-HTTP endpoints. The local runtime serves many requests in one
   * process, where the SDK's default of 50 would queue; in Lambda one request runs at a time.
   */
  readonly maxSockets?: number;
}

interface Countable {
  middlewareStack: {
    add(
      middleware: InitializeMiddleware<object, MetadataBearer>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
const READS = /^(Get|BatchGet|Query|Scan|TransactGet)/;
const ITEM_CALLS = /^(Get|BatchGet|Query|Scan|TransactGet|Put|Update|Delete|BatchWrite|TransactWrite)/;

const withFaults = <C>(client: C & Countable, service: string, faults?: CallFaults): C => {
  if (faults)
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        const refused = faults.before(service, command);
        if (refused) throw refused;
        const result = await next(args);
        const lost = WRITES.test(command) ? faults.afterWrite(service, command) : null;
        if (lost) throw lost;
        return result;
      },
      // Added after the counter: counted calls include the ones that then fail.
      { step: 'initialize', name: 'heedFaults' },
    );
  return client;
};

const withCounter = <C>(client: C & Countable, service: string, counter?: CallCounter): C => {
  if (counter) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        counter.record(service, command, args.input as Record<string, unknown>);
        if (service !== 'DynamoDB' || !ITEM_CALLS.test(command)) return next(args);
        // Ask DynamoDB what each call consumed: the benchmark prices request units, not calls.
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
        for (const c of [consumed ?? []].flat()) {
          const units = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
          counter.recordUnits(READS.test(command) ? 'RRU' : 'WRU', units);
        }
        return result;
      },
      { step: 'initialize', name: 'heedCallCounter' },
    );
  }
  return client;
};

const baseOptions = (config: AwsConfig) => ({
  ...(config.region !== undefined && { region: config.region }),
  ...(config.credentials !== undefined && { credentials: config.credentials }),
  ...(config.maxSockets !== undefined && {
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: config.maxSockets }),
    }),
  }),
});

/** A client of one AWS service, counted when a counter is given and pointed at an emulator when one is. */
export const awsClient = <C>(
  Client: new (options: Record<string, unknown>) => C & Countable,
  service: string,
  endpoint: keyof NonNullable<AwsConfig['endpoints']> | null,
  config: AwsConfig = {},
): C => {
  const url = endpoint ? config.endpoints?.[endpoint] : undefined;
  const client = new Client({ ...baseOptions(config), ...(url && { endpoint: url }) });
  withCounter(client, service, config.counter);
  return withFaults(client, service, config.faults);
};

export interface DynamoClients {
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
}

/**
 * DynamoDB clients, built once per process (module scope in Lambda). Each function imports only
 * the SDK clients it uses: an unused client still costs its import at every cold start.
 */
export const dynamoClients = (config: AwsConfig = {}): DynamoClients => {
  const dynamodb = awsClient(DynamoDBClient, 'DynamoDB', 'dynamodb', config);
  return {
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  };
};
