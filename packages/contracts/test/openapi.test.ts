import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_ROUTE_KEYS, REPORT_ROUTE_KEYS, ROUTE_KEYS } from '../src';
import { openApiDocument } from '../src/openapi';

const file = new URL('../schemas/openapi.json', import.meta.url);
const root = new URL('../../../', import.meta.url);

describe('the OpenAPI document', () => {
  it('is up to date with the zod definitions (run `npm run schemas` when this fails)', () => {
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('describes every route the API serves', () => {
    const doc = openApiDocument();
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      [
        ...Object.values(ROUTE_KEYS),
        ...Object.values(FEEDBACK_ROUTE_KEYS),
        ...Object.values(REPORT_ROUTE_KEYS),
      ].sort(),
    );
  });

  it('passes Redocly lint with its recommended rules', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        new URL('node_modules/@redocly/cli/bin/cli.js', root).pathname,
        'lint',
        '--format=stylish',
        file.pathname,
      ],
      {
        cwd: root.pathname,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    // A non-zero exit (an error) rejects; warnings would be counted here.
    expect(`${stdout}${stderr}`).toContain('Your API description is valid');
    expect(`${stdout}${stderr}`).not.toMatch(/You have \d+ warning/);
  }, 60_000);
});
