import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/*
 * The operator's side of the report engine (`heed report sla --state-machine`): starts a run of
 * the report state machine, waits for it, and reads the report it wrote to S3. Only the CLI
 * imports this (a subpath export), so no function bundle carries the Step Functions client.
 */

export interface EngineRun {
  readonly stateMachineArn: string;
  readonly bucket: string;
  /** The state machine's input without its run name (task `plan`, tenant, period, proposal). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The run's name: unique per run, and the S3 prefix of its objects. */
  readonly run: string;
  /** Waits between looks at the execution (a test passes one that does not). */
  readonly wait: (ms: number) => Promise<void>;
  readonly pollMs?: number;
  /** Gives up after this long (the state machine's own timeout is 2 hours). */
  readonly timeoutMs?: number;
}

/** A run that failed, timed out or was aborted: the execution's error and cause. */
export class EngineRunError extends Error {
  override readonly name = 'EngineRunError';
}

export const runOnEngine = async (sfn: SFNClient, s3: S3Client, r: EngineRun): Promise<unknown> => {
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: r.stateMachineArn,
      name: r.run,
      input: JSON.stringify({ ...r.input, run: r.run }),
    }),
  );
  const executionArn = started.executionArn ?? '';
  const pollMs = r.pollMs ?? 2_000;
  for (let waited = 0; waited <= (r.timeoutMs ?? 7_200_000); waited += pollMs) {
    const run = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (run.status === 'SUCCEEDED') {
      const output = JSON.parse(run.output ?? '{}') as { report?: { key?: string } };
      const key = output.report?.key;
      if (!key) throw new EngineRunError(`run ${r.run} succeeded without a report key`);
      const got = await s3.send(new GetObjectCommand({ Bucket: r.bucket, Key: key }));
      return JSON.parse((await got.Body?.transformToString('utf8')) ?? 'null');
    }
    if (run.status !== 'RUNNING' && run.status !== 'PENDING_REDRIVE')
      throw new EngineRunError(
        `run ${r.run} ${run.status?.toLowerCase()}: ${run.error ?? ''} ${run.cause ?? ''}`.trim(),
      );
    await r.wait(pollMs);
  }
  throw new EngineRunError(
    `run ${r.run} did not finish within ${Math.round((r.timeoutMs ?? 7_200_000) / 60_000)} minutes`,
  );
};
