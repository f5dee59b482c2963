import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/lib/app';
import { LAMBDA_ENV } from '../support/lambda-env';

const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

describe('Lambda bundles', () => {
  it('are built by the local esbuild as ESM and load and answer like the deployed function', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'heed-synth-'));
    const { app } = buildApp(
      new App({
        outdir,
        context: {
          ...cdkContext,
          'aws:cdk:bundling-stacks': ['HeedIntake', 'HeedDelivery', 'HeedSla', 'HeedTimers', 'HeedFollowUp'],
        },
      }),
    );
    app.synth();
    // Only the stacks named were bundled: their eight functions are the code assets.
    const assets = readdirSync(outdir)
      .filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')))
      .map((d) => join(outdir, d));
    expect(assets).toHaveLength(8);
    for (const dir of assets) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code).toMatch(/^import { createRequire as __heedCreateRequire }/);
      // Cold starts stay short: every function's bundle is at most 250 KB (the budget set when
      // zod's locales and JSON-Schema code were cut out).
      expect(Buffer.byteLength(code), dir).toBeLessThanOrEqual(250 * 1024);
    }

    // The intake bundle, imported as Lambda would: no credentials needed to refuse a missing key.
    Object.assign(process.env, LAMBDA_ENV);
    // Every bundle loads (imports resolve, module-scope setup runs) and exports a handler.
    for (const dir of assets) {
      const loaded = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler?: unknown };
      expect(typeof loaded.handler, dir).toBe('function');
    }
    const intakeDir =
      assets.find((dir) =>
        readFileSync(join(dir, 'index.mjs'), 'utf8').includes('the batch envelope is invalid'),
      ) ?? '';
    const mod = (await import(pathToFileURL(join(intakeDir, 'index.mjs')).href)) as {
      handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;
    };
    const response = await mod.handler(
      {
        version: '2.0',
        routeKey: 'POST /v1/events',
        rawPath: '/v1/events',
        rawQueryString: '',
        headers: {},
        isBase64Encoded: false,
        body: '{}',
        requestContext: {
          http: { method: 'POST', path: '/v1/events' },
        } as APIGatewayProxyEventV2['requestContext'],
      },
      { functionName: 'intake', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as Context,
    );
    expect(response.statusCode).toBe(401);
  }, 120_000);
});
