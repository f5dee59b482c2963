import { createHash } from 'node:crypto';

/**
 * API keys look like `heed_<tenant>_<secret>`. The tenant prefix lets intake find the key's hash
 * under the tenant's own partition (every key starts with the tenant) without a global index.
 */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
const KEY_PATTERN = /^heed_([a-z0-9][a-z0-9-]{1,38}[a-z0-9])_([A-Za-z0-9_-]{32,128})$/;

export class InvalidTenantIdError extends Error {
  override readonly name = 'InvalidTenantIdError';
  constructor(id: string) {
    super(`tenant id ${JSON.stringify(id)} must be 3-40 characters of a-z, 0-9 and '-' (not at either end)`);
  }
}

export const assertTenantId = (tenantId: string): void => {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new InvalidTenantIdError(tenantId);
};

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new API key for a tenant from 32 random bytes (the caller's: the core draws no randomness). */
export const newApiKey = (tenantId: string, entropy: Uint8Array): string => {
  assertTenantId(tenantId);
  return `heed_${tenantId}_${Buffer.from(entropy).toString('base64url')}`;
};

/** Splits a presented key into its tenant and hash, or null when it is not shaped like a Heed key. */
export const parseApiKey = (key: string): { tenantId: string; hash: string } | null => {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] ? { tenantId: match[1], hash: hashApiKey(key) } : null;
};
