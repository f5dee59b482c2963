import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHeed } from '../support/npm-start';
import { eventually } from '../support/runtime';

/**
 * `npm start` as a person runs it: in a terminal (its own process group, so Ctrl-C reaches every
 * process of it), and stopped with Ctrl-C or killed outright. Nothing may be left behind.
 */
interface Started {
  readonly child: ChildProcess;
  readonly cwd: string;
  readonly output: () => string;
  /** The port of its DynamoDB Local, from the state file the runtime writes for the CLI. */
  readonly dynamodbPort: string;
  readonly stateFile: string;
}

const start = async (): Promise<Started> => {
  const cwd = mkdtempSync(join(tmpdir(), 'heed-start-'));
  const { child, output, port } = await startHeed(cwd, { HEED_CLOCK_SPEED: '0' });
  const stateFile = join(cwd, '.heed', `runtime-${port}.json`);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { dynamodbEndpoint: string };
  return { child, cwd, output, dynamodbPort: new URL(state.dynamodbEndpoint).port, stateFile };
};

/** Java processes still serving that DynamoDB Local port. */
const javaOn = (port: string): string[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter(
      (line) =>
        /^\s*\d+\s+java /.test(line) && line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port} `),
    );

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('npm start', () => {
  it('keeps its secrets key to the owner, stops on Ctrl-C within 5 s, quietly, and leaves nothing', async () => {
    const heed = await start();
    expect(javaOn(heed.dynamodbPort)).toHaveLength(1);
    expect(statSync(heed.stateFile).mode & 0o077).toBe(0); // the local secrets key is in it
    const begun = Date.now();
    process.kill(-(heed.child.pid as number), 'SIGINT'); // what Ctrl-C sends to the whole group
    expect(await exited(heed.child)).toBe(0);
    const took = Date.now() - begun;
    expect(took).toBeLessThan(5_000);
    expect(heed.output()).toContain('stopping Heed');
    expect(heed.output()).not.toContain('"level":"ERROR"'); // no "stream poll failed … ECONNREFUSED"
    await eventually(() => (javaOn(heed.dynamodbPort).length === 0 ? true : undefined), 5_000);
  }, 90_000);

  it('takes DynamoDB Local with it even when its whole process group is killed outright', async () => {
    const heed = await start();
    expect(javaOn(heed.dynamodbPort)).toHaveLength(1);
    process.kill(-(heed.child.pid as number), 'SIGKILL');
    await exited(heed.child);
    await eventually(() => (javaOn(heed.dynamodbPort).length === 0 ? true : undefined), 10_000);
  }, 90_000);
});
