import type { TenantConfig } from '@heed/contracts';
import type { ConfigSource } from './tenant-store';

/**
 * Caches tenant configurations per container for `ttlMs`: a queue consumer handles many tickets
 * of the same tenant, and a pushed configuration takes effect within a minute.
 */
export class CachedConfigSource implements ConfigSource {
  readonly #cache = new Map<string, { config: TenantConfig; until: number }>();
  constructor(
    private readonly source: ConfigSource,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async configOf(tenantId: string): Promise<TenantConfig> {
    const hit = this.#cache.get(tenantId);
    if (hit && hit.until > this.now()) return hit.config;
    const config = await this.source.configOf(tenantId);
    this.#cache.set(tenantId, { config, until: this.now() + this.ttlMs });
    return config;
  }
}
