import type { TenantConfig } from '@heed/contracts';
import type { ConfigSource } from './tenant-store';
import { TtlCache } from './ttl-cache';

/**
 * Caches tenant configurations per container for `ttlMs`: a queue consumer handles many tickets
 * of the same tenant, and a pushed configuration takes effect within a minute.
 */
export class CachedConfigSource implements ConfigSource {
  readonly #cache: TtlCache<string, TenantConfig>;
  constructor(
    private readonly source: ConfigSource,
    ttlMs = 60_000,
    now?: () => number,
  ) {
    this.#cache = new TtlCache(ttlMs, now);
  }

  async configOf(tenantId: string): Promise<TenantConfig> {
    // configOf never answers null (the default stands in), so the load always caches.
    return (await this.#cache.get(tenantId, (id) => this.source.configOf(id))) as TenantConfig;
  }
}
