import type { CredentialVerifier } from '@heed/aws';
import { HttpError } from './http';

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/**
 * Resolves `Authorization: Bearer <key>` to the tenant. Positive answers are cached briefly per
 * Lambda container, so a busy producer costs one key lookup a minute, not one per request; a
 * revoked key therefore stops working within `ttlMs`.
 */
export class BearerAuthenticator {
  readonly #cache = new Map<string, { tenantId: string; until: number }>();
  constructor(
    private readonly verifier: CredentialVerifier,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async tenantOf(authorization: string | undefined): Promise<string> {
    if (!authorization) throw unauthorized('missing Authorization: Bearer <API key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const key = match?.[1];
    if (!key) throw unauthorized('Authorization must be "Bearer <API key>"');
    const cached = this.#cache.get(key);
    if (cached && cached.until > this.now()) return cached.tenantId;
    const tenantId = await this.verifier.tenantFor(key);
    if (!tenantId) throw unauthorized('unknown or revoked API key');
    if (this.#cache.size > 1000) this.#cache.clear();
    this.#cache.set(key, { tenantId, until: this.now() + this.ttlMs });
    return tenantId;
  }
}
