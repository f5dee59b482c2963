import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SEALED_WEBHOOK_FIELDS, type TenantConfig } from '@heed/contracts';
import { webhookId } from '@heed/core';
import { TtlCache } from './ttl-cache';

/**
 * Seals secrets (webhook signing secrets) before they are stored, bound to where they belong
 * (tenant and endpoint: a sealed secret copied to another tenant does not open). In AWS a KMS
 * key does it (only the notifier may decrypt); locally an AES-256-GCM key of the runtime.
 */
export interface SecretSealer {
  seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<string>;
  open(sealed: string, context: Readonly<Record<string, string>>): Promise<string>;
}

export class SecretSealError extends Error {
  override readonly name = 'SecretSealError';
}

export const KMS_PREFIX = 'sealed:kms:';
const LOCAL_PREFIX = 'sealed:local:';
export const isSealed = (secret: string): boolean => secret.startsWith('sealed:');

const aad = (context: Readonly<Record<string, string>>): Buffer =>
  Buffer.from(
    Object.keys(context)
      .sort()
      .map((k) => `${k}=${context[k]}`)
      .join('\u0000'),
  );

/** The local stand-in for KMS: AES-256-GCM, the context as additional authenticated data. */
export class LocalSealer implements SecretSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretSealError('the local secrets key must be 32 bytes');
  }

  async seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${LOCAL_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  async open(sealed: string, context: Readonly<Record<string, string>>): Promise<string> {
    if (!sealed.startsWith(LOCAL_PREFIX)) throw new SecretSealError('not sealed with the local key');
    const raw = Buffer.from(sealed.slice(LOCAL_PREFIX.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12)).setAAD(aad(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretSealError('the sealed secret does not open here (another key, tenant or endpoint)');
    }
  }
}

/** Where a webhook's secret belongs: its seal opens only for this tenant and endpoint. */
export const webhookSecretContext = (tenantId: string, hook: { id?: string | undefined; url: string }) => ({
  purpose: 'heed-webhook-secret',
  tenantId,
  webhookId: webhookId(hook),
});

/** The configuration as stored: every webhook secret sealed (already sealed ones are kept). */
export const sealConfigSecrets = async (
  tenantId: string,
  config: TenantConfig,
  sealer: SecretSealer,
): Promise<TenantConfig> => ({
  ...config,
  delivery: {
    ...config.delivery,
    webhooks: await Promise.all(
      config.delivery.webhooks.map(async (hook) => {
        const seal = async (secret: string) =>
          isSealed(secret) ? secret : await sealer.seal(secret, webhookSecretContext(tenantId, hook));
        return {
          ...hook,
          ...Object.fromEntries(
            await Promise.all(
              SEALED_WEBHOOK_FIELDS.flatMap((field) => {
                const value = hook[field];
                return value ? [seal(value).then((sealed) => [field, sealed] as const)] : [];
              }),
            ),
          ),
          ...(hook.previousSecret && {
            previousSecret: { ...hook.previousSecret, secret: await seal(hook.previousSecret.secret) },
          }),
        };
      }),
    ),
  },
});

/**
 * Opens sealed secrets for the notifier, caching each for `ttlMs` per container (one KMS
 * Decrypt per secret per five minutes, not one per message). A secret stored before sealing
 * existed is used as it is.
 */
export class SecretOpener {
  readonly #cache: TtlCache<string, string>;
  constructor(
    private readonly sealer: SecretSealer,
    ttlMs = 5 * 60_000,
  ) {
    this.#cache = new TtlCache(ttlMs);
  }

  async open(secret: string, context: Readonly<Record<string, string>>): Promise<string> {
    if (!isSealed(secret)) return secret;
    return (await this.#cache.get(`${JSON.stringify(context)}:${secret}`, () =>
      this.sealer.open(secret, context),
    )) as string;
  }
}
