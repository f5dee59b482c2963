import { describe, expect, it } from 'vitest';
import { TtlCache } from '../src/ttl-cache';

describe('TtlCache', () => {
  it('serves a hit until it expires, and never caches a miss', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<string, string>(1000, () => now);
    const load = async (k: string) => {
      loads++;
      return k === 'missing' ? null : `v${loads}`;
    };
    expect(await cache.get('a', load)).toBe('v1');
    now = 999;
    expect(await cache.get('a', load)).toBe('v1');
    now = 1000;
    expect(await cache.get('a', load)).toBe('v2');
    expect(await cache.get('missing', load)).toBeNull();
    expect(await cache.get('missing', load)).toBeNull();
    expect(loads).toBe(4);
  });
});
