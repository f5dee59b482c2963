import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateTenantConfig } from '../src';

describe('packages/contracts/examples/tenant.yaml', () => {
  it('is a valid configuration', () => {
    const result = validateTenantConfig(
      parse(readFileSync(new URL('../../contracts/examples/tenant.yaml', import.meta.url), 'utf8')),
    );
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
