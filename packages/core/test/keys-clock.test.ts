import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertTenantId,
  hashApiKey,
  InvalidTenantIdError,
  ManualClock,
  newApiKey,
  parseApiKey,
  ticketReference,
} from '../src';

describe('API keys', () => {
  it('carry the tenant and parse back to it with the key hash', () => {
    const key = newApiKey('acme', Buffer.alloc(32, 7));
    expect(key.startsWith('heed_acme_')).toBe(true);
    expect(parseApiKey(key)).toEqual({ tenantId: 'acme', hash: hashApiKey(key) });
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects keys of the wrong shape', () => {
    for (const bad of [
      '',
      'acme',
      'heed_acme_short',
      'heed__xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'Bearer heed_acme_x',
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('validates tenant ids', () => {
    expect(() => assertTenantId('acme-eu')).not.toThrow();
    for (const bad of ['a', 'ACME', '-acme', 'acme-', 'ac#me', 'x'.repeat(41)]) {
      expect(() => assertTenantId(bad)).toThrow(InvalidTenantIdError);
    }
  });
});

describe('ticket reference', () => {
  it('is stable, short and differs by tenant', () => {
    expect(ticketReference('acme', 'T-1')).toBe(ticketReference('acme', 'T-1'));
    expect(ticketReference('acme', 'T-1')).toMatch(/^HD-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(ticketReference('acme', 'T-1')).not.toBe(ticketReference('globex', 'T-1'));
  });
});

describe('clocks', () => {
  it('ManualClock moves only when told', () => {
    const clock = new ManualClock('2026-11-23T00:00:00Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-11-23T00:01:30.000Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('the pure core', () => {
  it('reads no clock and draws no randomness anywhere in its source', () => {
    const root = new URL('../src/', import.meta.url).pathname;
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      // Comments may name what the code must not do.
      const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const impure of [
        /new Date\(\s*\)/,
        /Date\.now/,
        /randomBytes|randomUUID|getRandomValues/,
        /Math\.random/,
        /process\.env/,
      ])
        expect(impure.test(code), `${file}: ${impure}`).toBe(false);
    }
  });
});
