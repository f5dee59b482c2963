import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where running `npm start`s tell the CLI how to reach them: one file per port. */
export const STATE_DIR = join(process.cwd(), '.heed');
const fileFor = (port: number, dir = STATE_DIR): string => join(dir, `runtime-${port}.json`);

export interface RuntimeState {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly tables: { readonly tickets: string; readonly tenants: string };
  /** The local key sealing webhook secrets (base64): `config push` seals with it. */
  readonly secretsKey: string;
  /** Consumer queues and their dead-letter queues, by consumer name. */
  readonly queues: Readonly<Record<string, { readonly url: string; readonly dlqUrl: string }>>;
}

export class AmbiguousRuntimeError extends Error {
  override readonly name = 'AmbiguousRuntimeError';
}

/** The file holds the local secrets key: readable by its owner only (0600, in a 0700 folder). */
export const writeState = (state: RuntimeState, dir = STATE_DIR): void => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = fileFor(state.port, dir);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // a file left by an older run keeps its mode on overwrite
};

const alive = (file: string): RuntimeState | null => {
  try {
    const state = JSON.parse(readFileSync(join(STATE_DIR, file), 'utf8')) as RuntimeState;
    process.kill(state.pid, 0); // throws when that runtime is gone
    return state;
  } catch {
    return null;
  }
};

/**
 * The running local runtime: the one on `port`, or the only one running. Several at once (two
 * `npm start`s in one checkout, on different ports) need `--port`.
 */
export const readState = (port?: number): RuntimeState | null => {
  if (port !== undefined) {
    try {
      return alive(`runtime-${port}.json`);
    } catch {
      return null;
    }
  }
  let files: string[] = [];
  try {
    files = readdirSync(STATE_DIR).filter((f) => /^runtime-\d+\.json$/.test(f));
  } catch {
    return null;
  }
  const running = files.map(alive).filter((s): s is RuntimeState => s !== null);
  if (running.length > 1)
    throw new AmbiguousRuntimeError(
      `${running.length} local runtimes are running (ports ${running.map((r) => r.port).join(', ')}); pass --port`,
    );
  return running[0] ?? null;
};

export const clearState = (port: number): void => rmSync(fileFor(port), { force: true });
