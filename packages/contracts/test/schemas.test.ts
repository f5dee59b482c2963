import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSUMERS, DETAIL_TYPES, eventPatternFor, ROUTES, SOURCE } from '../src';
import { jsonSchemaFiles } from '../src/json-schemas';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const onDisk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? onDisk(join(dir, e.name)) : [relative(root, join(dir, e.name))],
  );

describe('published JSON Schemas', () => {
  it('are up to date with the zod definitions (run `npm run schemas` when this fails)', () => {
    const expected = jsonSchemaFiles();
    // Beside them, the OpenAPI document (its own test checks it).
    expect(
      onDisk(root)
        .filter((f) => f !== 'openapi.json')
        .sort(),
    ).toEqual(Object.keys(expected).sort());
    for (const [file, schema] of Object.entries(expected)) {
      expect(JSON.parse(readFileSync(join(root, file), 'utf8')), file).toEqual(schema);
    }
  });
});

describe('routing table', () => {
  it('routes only known detail-types and gives every consumer at least one', () => {
    for (const consumer of CONSUMERS) {
      expect(ROUTES[consumer].length).toBeGreaterThan(0);
      for (const type of ROUTES[consumer]) expect(DETAIL_TYPES).toContain(type);
    }
  });

  it('builds rule patterns on the heed source', () => {
    expect(eventPatternFor('acknowledger')).toEqual({
      source: [SOURCE],
      'detail-type': ['Ticket Received', 'Ticket Reopened'],
    });
  });
});
