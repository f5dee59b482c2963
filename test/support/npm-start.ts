import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './runtime';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Started {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  readonly output: () => string;
  /** The API's port, from the start banner. */
  readonly port: number;
}

/**
 * `npm start` as a person runs it in a terminal: in `cwd`, its own process group (so Ctrl-C
 * reaches every process of it), on a free port, with `env` added; resolves once its banner says
 * it is running.
 */
export const startHeed = async (cwd: string, env: Record<string, string> = {}): Promise<Started> => {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'packages/local/src/main.ts')], {
    cwd,
    detached: true,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN', ...env, HEED_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  await eventually(() => (out.includes('Ctrl-C stops everything') ? true : undefined), 60_000);
  return { child, output: () => out, port: Number(/API {8}http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]) };
};
