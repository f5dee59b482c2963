import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from '../src/json-schemas';
import { openApiDocument } from '../src/openapi';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
for (const [file, schema] of Object.entries(jsonSchemaFiles())) {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${file}`);
}

// The HTTP API's OpenAPI document, beside them (intake serves it at GET /v1/openapi.json).
writeFileSync(join(root, 'openapi.json'), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log('wrote schemas/openapi.json');
