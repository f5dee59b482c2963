/**
 * The environment CDK binds to Heed's functions, with placeholder resources: enough for a bundle's
 * module-scope setup to run as at a cold start (no AWS call is made while loading).
 */
export const LAMBDA_ENV: Readonly<Record<string, string>> = {
  HEED_TICKETS_TABLE: 'tickets',
  HEED_TENANTS_TABLE: 'tenants',
  HEED_EVENT_BUS: 'bus',
  HEED_NOTIFIER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/notifier',
  HEED_SCHEDULE_GROUP: 'heed-timers',
  HEED_FEEDBACK_KEY: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  HEED_PUBLIC_URL: 'https://api.example.com',
  ...Object.fromEntries(
    ['SLA', 'FOLLOWUP'].flatMap((owner) => [
      [`HEED_${owner}_QUEUE_URL`, `https://sqs.us-east-1.amazonaws.com/000000000000/${owner}`],
      [`HEED_${owner}_QUEUE_ARN`, `arn:aws:sqs:us-east-1:000000000000:${owner}`],
      [`HEED_${owner}_DLQ_ARN`, `arn:aws:sqs:us-east-1:000000000000:${owner}-dlq`],
      [`HEED_${owner}_SCHEDULER_ROLE_ARN`, `arn:aws:iam::000000000000:role/${owner}`],
    ]),
  ),
};
