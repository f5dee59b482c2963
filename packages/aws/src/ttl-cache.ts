/**
 * A small per-container cache whose entries expire after `ttlMs`, bounded to `maxEntries`
 * (cleared when full). Caches only what `load` returns non-null: misses are asked again.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly maxEntries = 1000,
  ) {}

  async get(key: K, load: (key: K) => Promise<V | null>): Promise<V | null> {
    const hit = this.#entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const value = await load(key);
    if (value === null) return null;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, until: this.now() + this.ttlMs });
    return value;
  }
}
