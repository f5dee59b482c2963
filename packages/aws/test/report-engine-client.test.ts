import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EngineRunError, runOnEngine } from '../src/report-engine-client';

const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  sfn.reset();
  s3.reset();
});

const run = (waits: number[]) => ({
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Report',
  bucket: 'reports',
  input: { task: 'plan', tenantId: 'acme', from: '2026-11-01', to: '2026-11-30' },
  run: 'heed-report-1',
  wait: async (ms: number) => void waits.push(ms),
  pollMs: 1_000,
  timeoutMs: 5_000,
});

describe('the report engine from the CLI', () => {
  it('starts a named run, waits while it runs, and reads the report it wrote', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolvesOnce({ status: 'RUNNING' })
      .resolves({
        status: 'SUCCEEDED',
        output: JSON.stringify({ report: { key: 'runs/heed-report-1/report.json' } }),
      });
    s3.on(GetObjectCommand, { Bucket: 'reports', Key: 'runs/heed-report-1/report.json' }).resolves({
      Body: { transformToString: async () => '{"groups":[]}' } as never,
    });
    const waits: number[] = [];
    expect(await runOnEngine(new SFNClient({}), new S3Client({}), run(waits))).toEqual({ groups: [] });
    expect(waits).toEqual([1_000, 1_000]);
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.name).toBe('heed-report-1');
    expect(JSON.parse(start?.input ?? '{}')).toMatchObject({
      task: 'plan',
      tenantId: 'acme',
      run: 'heed-report-1',
    });
  });

  it('says why a run failed, and gives up on one that never ends', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'InvalidRunError', cause: 'from: must be a date' });
    await expect(runOnEngine(new SFNClient({}), new S3Client({}), run([]))).rejects.toThrow(
      /failed: InvalidRunError from: must be a date/,
    );
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    await expect(runOnEngine(new SFNClient({}), new S3Client({}), run([]))).rejects.toBeInstanceOf(
      EngineRunError,
    );
  });
});
