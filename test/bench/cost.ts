import type { Usage } from './sla';

/**
 * AWS list prices, us-east-1, on-demand, without free tiers (DynamoDB after the November 2024
 * on-demand reduction). Scheduler API calls are free; it bills invocations.
 */
export const PRICES = {
  dynamoWru: 0.625 / 1e6,
  dynamoRru: 0.125 / 1e6,
  eventBridgeEvent: 1.0 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  /** arm64, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
  schedulerInvocation: 1.0 / 1e6,
  /** $0.03 per 10,000 requests (GenerateMac, VerifyMac), plus $1 per key-month, not per lifecycle. */
  kmsRequest: 0.03 / 1e4,
} as const;

/** Lambda duration is not measurable locally: assumed 50 ms billed at 1 GB per invocation. */
export const LAMBDA_ASSUMPTION = { ms: 50, gb: 1 } as const;

const sum = (map: ReadonlyMap<string, number>, test: (key: string) => boolean) =>
  [...map].filter(([k]) => test(k)).reduce((a, [, n]) => a + n, 0);

/** Quantities per unit of work and their list price per 1,000,000 units, by billed item. */
export const costRows = (usage: Usage, per: number): [string, number, number][] => {
  const p = (name: string) => usage.platform.get(name) ?? 0;
  const sqs =
    sum(usage.calls, (k) => k.startsWith('SQS.')) +
    p('SQS request by a rule') +
    p('SQS request by an event source') +
    p('SQS request by Scheduler');
  const invocations = p('Lambda invocation');
  const rows: [string, number, number][] = [
    ['DynamoDB write request units', usage.units.get('WRU') ?? 0, PRICES.dynamoWru],
    ['DynamoDB read request units', usage.units.get('RRU') ?? 0, PRICES.dynamoRru],
    ['EventBridge events', p('EventBridge event'), PRICES.eventBridgeEvent],
    ['SQS requests (sent, received, deleted)', sqs, PRICES.sqsRequest],
    ['Lambda invocations', invocations, PRICES.lambdaRequest],
    [
      `Lambda duration (assumed ${LAMBDA_ASSUMPTION.ms} ms at ${LAMBDA_ASSUMPTION.gb} GB each)`,
      invocations,
      PRICES.lambdaGbSecond * (LAMBDA_ASSUMPTION.ms / 1000) * LAMBDA_ASSUMPTION.gb,
    ],
    ['API Gateway HTTP API requests', p('API Gateway request'), PRICES.httpApiRequest],
    ['Scheduler invocations', p('Scheduler invocation'), PRICES.schedulerInvocation],
    [
      'KMS requests (survey links signed and verified)',
      sum(usage.calls, (k) => k.startsWith('KMS.')),
      PRICES.kmsRequest,
    ],
  ];
  return rows.map(([name, quantity, price]) => [name, quantity / per, (quantity / per) * price * 1e6]);
};

export const totalPerMillion = (rows: readonly [string, number, number][]): number =>
  rows.reduce((a, [, , dollars]) => a + dollars, 0);
