import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING, FUNCTION_ENTRIES } from '../../infra/lib/constructs/bundling';
import { LAMBDA_ENV as BOUND_ENV } from '../support/lambda-env';
import { percentile } from './stats';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository, so that the runtime-provided AWS SDK resolves from node_modules.
const outDir = join(root, 'node_modules', '.cache', 'heed-bench');

/** The environment CDK binds, so module-scope setup runs as at a cold start. */
const LAMBDA_ENV = {
  ...BOUND_ENV,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

export interface BundleFigures {
  readonly fn: string;
  readonly kb: number;
  /** The whole cold-start import, the runtime-provided AWS SDK included. */
  readonly importMsP50: number;
  readonly importMsMax: number;
  /** The bundle's own code: imported after the SDK modules it uses are already loaded. */
  readonly ownMsP50: number;
  readonly sdk: readonly string[];
}

const timeImport = (file: string, preload: readonly string[]): number => {
  const script = `${preload.map((m) => `await import(${JSON.stringify(m)});`).join('')} const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...LAMBDA_ENV },
      encoding: 'utf8',
      cwd: root,
    }),
  );
};

/**
 * Builds every function exactly as CDK does (same esbuild options, SDK external) and imports
 * each bundle in a fresh Node process `runs` times: the module-scope work of a cold start.
 */
export const measureBundles = async (runs = 7): Promise<BundleFigures[]> => {
  mkdirSync(outDir, { recursive: true });
  const figures: BundleFigures[] = [];
  for (const [fn, { service, handlerFile }] of Object.entries(FUNCTION_ENTRIES)) {
    const outfile = join(outDir, `${fn}.mjs`);
    await build({
      entryPoints: [join(root, 'services', service, 'src', handlerFile)],
      outfile,
      bundle: true,
      platform: 'node',
      format: BUNDLING.format,
      target: BUNDLING.target,
      minify: BUNDLING.minify,
      mainFields: [...BUNDLING.mainFields],
      external: [...BUNDLING.externalModules],
      banner: { js: BUNDLING.banner },
      logLevel: 'silent',
    });
    const sdk = [...new Set(readFileSync(outfile, 'utf8').match(/@aws-sdk\/[a-z0-9-]+/g) ?? [])].sort();
    const times: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < runs; i++) {
      times.push(timeImport(outfile, []));
      own.push(timeImport(outfile, sdk));
    }
    figures.push({
      fn,
      kb: statSync(outfile).size / 1024,
      importMsP50: percentile(times, 50),
      importMsMax: Math.max(...times),
      ownMsP50: percentile(own, 50),
      sdk: sdk.map((m) => m.replace('@aws-sdk/', '')),
    });
  }
  return figures;
};
