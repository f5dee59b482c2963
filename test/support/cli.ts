import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeState } from '../../packages/local/src/state-file';
import type { TestRuntime } from './runtime';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** `npm run heed -- …` as an operator runs it, in a directory where a runtime left its state. */
export const heed = async (cwd: string, ...args: string[]): Promise<string> => {
  const out = await run(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'packages/local/src/cli.ts'), ...args],
    {
      cwd,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    },
  );
  return out.stdout;
};

/** A directory where `rt` left its state, as `npm start` does: the CLI run there finds it. */
export const cliDirectoryOf = (rt: TestRuntime): string => {
  const cwd = mkdtempSync(join(tmpdir(), 'heed-cli-'));
  writeState(
    {
      pid: process.pid,
      port: Number(new URL(rt.url).port),
      url: rt.url,
      dynamodbEndpoint: rt.dynamodbEndpoint,
      sqsEndpoint: rt.sqsEndpoint,
      secretsKey: rt.secretsKey.toString('base64'),
      tables: rt.tables,
      queues: Object.fromEntries(
        Object.entries(rt.queues).map(([c, q]) => [c, { url: q.url, dlqUrl: q.dlqUrl }]),
      ),
    },
    join(cwd, '.heed'),
  );
  return cwd;
};
