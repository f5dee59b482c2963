import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesizedApp } from '../support/cdk-app';
import { claimHolds, type DocCommand, docBlocks } from '../support/doc-blocks';
import { startHeed } from '../support/npm-start';
import { eventually } from '../support/runtime';

/**
 * Docs are product: every `sh` block of README.md and docs/*.md is run here as a reader would
 * run it, in order, one shell environment per page, against `npm start` (started the way the
 * page says, on a free port) and a local receiver; every `# → …` claim is checked against what
 * the command printed. What cannot run here: `npm install`/`npm test` (this is the test), and
 * `cdk bootstrap`/`cdk deploy` (no AWS account): each deploy line is synthesized instead, with its
 * context.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const pages = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)].filter((p) =>
  p.endsWith('.md'),
);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** One reader's terminal: a directory, exported variables kept between commands, what runs in the background. */
class Terminal {
  readonly cwd = mkdtempSync(join(tmpdir(), 'heed-docs-'));
  readonly #env = join(this.cwd, '.env.sh');
  readonly #children: ChildProcess[] = [];
  readonly #pids = join(this.cwd, '.pids');
  #background = 0;
  apiPort = 0;
  receiverPort = 0;
  banner = '';

  constructor() {
    // Paths in the docs are relative to a checkout.
    for (const entry of ['packages', 'services', 'infra', 'test'])
      symlinkSync(join(root, entry), join(this.cwd, entry));
    writeFileSync(this.#env, '');
    writeFileSync(this.#pids, '');
  }

  /** The command as it runs here: this runtime's port, this receiver's port, the CLI without npm. */
  #local(text: string): string {
    return text
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${this.apiPort}`)
      .replaceAll('--port 3000', `--port ${this.apiPort}`)
      .replaceAll('127.0.0.1:4000', `127.0.0.1:${this.receiverPort}`)
      .replaceAll('listen(4000)', `listen(${this.receiverPort})`)
      .replaceAll(
        /npm run (-s )?heed --/g,
        `"${root}node_modules/.bin/tsx" "${root}packages/local/src/cli.ts"`,
      );
  }

  async start(line: string): Promise<string> {
    const env = Object.fromEntries(
      [...line.matchAll(/(\w+)=(\S+)\s+/g)]
        .filter((m) => (m.index ?? 0) < line.indexOf('npm start'))
        .map((m) => [m[1] as string, this.#local(m[2] as string)]),
    );
    const started = await startHeed(this.cwd, env);
    this.#children.push(started.child);
    const out = started.output();
    this.apiPort = started.port;
    const key = /API key {4}(\S+)/.exec(out)?.[1] ?? '';
    writeFileSync(this.#env, `${readFileSync(this.#env, 'utf8')}\nexport KEY='${key}'\n`);
    this.banner = out;
    return out;
  }

  /** Runs one command in bash with what earlier commands exported; background ones log to a file. */
  async sh(text: string): Promise<{ output: string; log?: string }> {
    const local = this.#local(text).trim();
    const background = local.endsWith('&') && !local.endsWith('&&');
    const log = background ? join(this.cwd, `.background-${++this.#background}.log`) : undefined;
    const command = background
      ? `( ${local.slice(0, -1)} ) > '${log}' 2>&1 & echo $! >> '${this.#pids}'`
      : local;
    const script = `set -a; . '${this.#env}'; ${command}\nexport -p > '${this.#env}.next'; mv '${this.#env}.next' '${this.#env}'`;
    try {
      const { stdout, stderr } = await run('bash', ['-c', script], { cwd: this.cwd, timeout: 120_000 });
      return { output: stdout + stderr, ...(log && { log }) };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: number };
      throw new Error(`exit ${e.code}: ${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }

  async close(): Promise<void> {
    for (const pid of readFileSync(this.#pids, 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(-Number(pid), 'SIGTERM');
      } catch {
        try {
          process.kill(Number(pid), 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
    for (const child of this.#children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-(child.pid as number), 'SIGINT');
      await exited;
    }
  }
}

/** Reading, not writing: safe to run again while waiting for what it shows to happen. */
const readsOnly = (text: string) =>
  /^(cat|grep|tail)\b/.test(text.trim()) || (/^curl\b/.test(text.trim()) && !/-X\s+POST|\s-d\s/.test(text));

const terminals: Terminal[] = [];
afterAll(async () => {
  await Promise.all(terminals.map((t) => t.close()));
});

describe.each(pages)('%s', (page) => {
  const blocks = docBlocks(readFileSync(join(root, page), 'utf8'));
  it.skipIf(blocks.length === 0)(
    'runs every sh block as written and shows what its comments claim',
    async () => {
      const terminal = new Terminal();
      terminals.push(terminal);
      terminal.receiverPort = await freePort();
      const check = async (c: DocCommand, output: () => Promise<string>, retry: boolean) => {
        for (const claim of c.expect) {
          const where = `${page}:${c.line}: ${c.text.split('\n')[0]}\n  claims: ${claim}`;
          if (retry)
            await eventually(
              async () => (claimHolds(await output(), claim) ? true : undefined),
              20_000,
            ).catch(async () => expect(await output(), where).toBe(claim));
          else
            expect(
              claimHolds(await output(), claim),
              `${where}\n  got: ${JSON.stringify(await output())}`,
            ).toBe(true);
        }
      };
      // What runs in the background prints over the page's whole story: checked at its end.
      const later: (() => Promise<void>)[] = [];
      for (const block of blocks) {
        for (const c of block.commands) {
          const text = c.text.trim();
          if (/^npm (install|ci|test)\b/.test(text) && !text.includes('npm start')) continue;
          if (/^KEY=/.test(text)) continue; // the key npm start printed: set by `start`
          if (/\bnpm start\b/.test(text)) {
            const banner = await terminal.start(text);
            await check(c, async () => banner, false);
            continue;
          }
          if (/^npx cdk bootstrap\b/.test(text)) continue; // an AWS account's business
          const deploy = /^npx cdk deploy --all((?:\s+-c\s+\S+=\S+)*)/.exec(text);
          if (deploy) {
            const context = Object.fromEntries(
              [...(deploy[1] ?? '').matchAll(/-c\s+(\S+?)=(\S+)/g)].map((m) => [m[1], m[2]]),
            );
            const app = synthesizedApp(context);
            const names = app.app
              .synth({ force: true })
              .stacks.map((s) => s.stackName)
              .sort();
            await check(c, async () => names.join(', '), false);
            continue;
          }
          const result = await terminal.sh(text);
          const { log } = result;
          if (log) {
            later.push(() => check(c, async () => readFileSync(log, 'utf8'), true));
            continue;
          }
          const output = async () => (readsOnly(text) ? (await terminal.sh(text)).output : result.output);
          await check(c, output, readsOnly(text));
        }
      }
      for (const claim of later) await claim();
    },
    300_000,
  );
});

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

describe('links between the pages', () => {
  it.each(pages)('%s links only to pages and headings that exist', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    const dir = page.includes('/') ? page.slice(0, page.lastIndexOf('/') + 1) : '';
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^[a-z]+:/.test(target)) continue;
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const path = file ? join(root, dir, file) : join(root, page);
      expect(existsSync(path), `${page} → ${target}`).toBe(true);
      if (!anchor || !path.endsWith('.md')) continue;
      const headings = [...readFileSync(path, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] ?? ''));
      expect(headings, `${page} → ${target}`).toContain(anchor);
    }
  });
});
