import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a running `npm start` tells the CLI how to reach it. */
export const STATE_FILE = join(process.cwd(), '.heed', 'runtime.json');

export interface RuntimeState {
  readonly pid: number;
  readonly url: string;
  readonly dynamodbEndpoint: string;
  readonly tables: { readonly tickets: string; readonly tenants: string };
}

export const writeState = (state: RuntimeState): void => {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
};

export const readState = (): RuntimeState | null => {
  try {
    const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as RuntimeState;
    process.kill(state.pid, 0); // throws when that runtime is gone
    return state;
  } catch {
    return null;
  }
};

export const clearState = (): void => rmSync(STATE_FILE, { force: true });
