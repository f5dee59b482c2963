import * as z from 'zod';
import { InboundEventSchema } from './inbound';
import { OUTBOUND_SCHEMAS, SCHEMA_VERSION, SOURCE } from './outbound';
import { TenantConfigSchema } from './tenant-config';

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * The published JSON Schemas, keyed by relative file path. Generated from the zod definitions so
 * they cannot drift; `npm run schemas` writes them and a test fails when the files are stale.
 */
export const jsonSchemaFiles = (): Record<string, unknown> => {
  const files: Record<string, unknown> = {};
  for (const option of InboundEventSchema.options) {
    const type = option.shape.type.value;
    files[`inbound/${type}.v${SCHEMA_VERSION}.json`] = {
      $id: `https://heed.dev/schemas/inbound/${type}.v${SCHEMA_VERSION}.json`,
      title: `Heed inbound event ${type}`,
      ...z.toJSONSchema(option, { io: 'input' }),
    };
  }
  for (const [detailType, schema] of Object.entries(OUTBOUND_SCHEMAS)) {
    files[`outbound/${slug(detailType)}.v${SCHEMA_VERSION}.json`] = {
      $id: `https://heed.dev/schemas/outbound/${slug(detailType)}.v${SCHEMA_VERSION}.json`,
      title: `Heed event "${detailType}" (source ${SOURCE}): the detail`,
      ...z.toJSONSchema(schema),
    };
  }
  files[`config/tenant-config.v${SCHEMA_VERSION}.json`] = {
    $id: `https://heed.dev/schemas/config/tenant-config.v${SCHEMA_VERSION}.json`,
    title: 'Heed tenant configuration (npm run heed -- config push)',
    ...z.toJSONSchema(TenantConfigSchema, { io: 'input' }),
  };
  return files;
};
