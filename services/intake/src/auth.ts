import { type CredentialVerifier, TtlCache } from '@heed/aws';
import { HttpError } from './http';

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/**
 * Resolves `Authorization: Bearer <key>` to the tenant. Positive answers are cached briefly per
 * Lambda container, so a busy producer costs one key lookup a minute, not one per request; a
 * revoked key therefore stops working within `ttlMs`.
 */
export class BearerAuthenticator {
  readonly #cache: TtlCache<string, string>;
  constructor(
    private readonly verifier: CredentialVerifier,
    ttlMs = 60_000,
    now?: () => number,
  ) {
    this.#cache = new TtlCache(ttlMs, now);
  }

  async tenantOf(authorization: string | undefined): Promise<string> {
    if (!authorization) throw unauthorized('missing Authorization: Bearer <API key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const key = match?.[1];
    if (!key) throw unauthorized('Authorization must be "Bearer <API key>"');
    const tenantId = await this.#cache.get(key, (k) => this.verifier.tenantFor(k));
    if (!tenantId) throw unauthorized('unknown or revoked API key');
    return tenantId;
  }
}
