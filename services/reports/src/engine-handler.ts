import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoReportSource, ENV, lambdaFoundation, requireEnv, systemClock } from '@heed/aws';
import { type EngineInput, engineTask, type RunStore } from './engine';

const foundation = lambdaFoundation();
const s3 = new S3Client({});
const bucket = requireEnv(ENV.reportsBucket);

/** The run's objects in the reports bucket (encrypted at rest, expired after 30 days). */
const store: RunStore = {
  async put(key, body) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  },
  async get(key) {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await got.Body?.transformToString('utf8')) ?? '';
  },
};

// One function for the three steps of the state machine: `task` says which.
export const handler = (input: EngineInput) =>
  engineTask(input, {
    source: new DynamoReportSource(foundation.documents, foundation.ticketsTable),
    configs: foundation.configs,
    store,
    clock: systemClock,
  });
