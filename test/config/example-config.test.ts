import { readFileSync } from 'node:fs';
import { validateTenantConfig } from '@heed/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('packages/contracts/examples/tenant.yaml', () => {
  it('is a valid configuration', () => {
    const result = validateTenantConfig(
      parse(readFileSync(new URL('../../packages/contracts/examples/tenant.yaml', import.meta.url), 'utf8')),
    );
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
