import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { SEALED_WEBHOOK_FIELDS, type TenantConfig } from '@heed/contracts';
import { assertTenantId, DEFAULT_TENANT_CONFIG, hashApiKey, newApiKey, parseApiKey } from '@heed/core';
import { isSealed, SecretSealError, type SecretSealer, sealConfigSecrets } from './secrets';
import { CONFIG_SK, KEY_SK_PREFIX, PROFILE_SK, tenantPk } from './table-schema';

/** At most two keys are active per tenant: the current one and the one being rotated out. */
export const MAX_ACTIVE_KEYS = 2;

export interface ApiKeyInfo {
  /** Short public id of a key (first 12 hex chars of its hash): safe to show and log. */
  readonly keyId: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export interface IssuedKey {
  readonly tenantId: string;
  readonly keyId: string;
  /** The clear key: returned once, never stored. */
  readonly apiKey: string;
}

export class TenantExistsError extends Error {
  override readonly name = 'TenantExistsError';
}
export class TenantNotFoundError extends Error {
  override readonly name = 'TenantNotFoundError';
}
export class KeyNotFoundError extends Error {
  override readonly name = 'KeyNotFoundError';
}
export class TooManyKeysError extends Error {
  override readonly name = 'TooManyKeysError';
}

interface KeyItem {
  keyId: string;
  hash: string;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt?: string;
}

/** Where services read a tenant's configuration from. */
export interface ConfigSource {
  /** The tenant's configuration, or the shipped default when it has none. */
  configOf(tenantId: string): Promise<TenantConfig>;
}

export interface CredentialVerifier {
  /** The tenant a presented API key belongs to, or null when the key is unknown or revoked. */
  tenantFor(apiKey: string): Promise<string | null>;
}

/**
 * Tenants and their API keys. Keys are stored only as SHA-256 hashes under the tenant's partition;
 * the profile's `activeKeys` counter, updated in the same transaction as the key, enforces the
 * two-active-keys limit even when two rotations race.
 */
export class DynamoTenantStore implements CredentialVerifier, ConfigSource {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Seals webhook secrets on write; needed only by those who push configuration. */
    private readonly sealer?: SecretSealer,
  ) {}

  async create(
    tenantId: string,
    name: string,
    now: Date,
    apiKey = newApiKey(tenantId, randomBytes(32)),
  ): Promise<IssuedKey> {
    assertTenantId(tenantId);
    const key = this.#keyItem(apiKey, now);
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: tenantPk(tenantId),
                  sk: PROFILE_SK,
                  kind: 'tenant',
                  name,
                  createdAt: now.toISOString(),
                  activeKeys: 1,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: tenantPk(tenantId), sk: `${KEY_SK_PREFIX}${key.hash}`, ...key },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new TenantExistsError(`tenant ${tenantId} already exists`);
      throw error;
    }
    return { tenantId, keyId: key.keyId, apiKey };
  }

  async exists(tenantId: string): Promise<boolean> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: tenantPk(tenantId), sk: PROFILE_SK } }),
    );
    return out.Item !== undefined;
  }

  /** Issues one more key; fails when two are already active (revoke or rotate instead). */
  async issueKey(
    tenantId: string,
    now: Date,
    apiKey = newApiKey(tenantId, randomBytes(32)),
  ): Promise<IssuedKey> {
    const key = this.#keyItem(apiKey, now);
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: tenantPk(tenantId), sk: PROFILE_SK },
                UpdateExpression: 'SET activeKeys = activeKeys + :one',
                ConditionExpression: 'attribute_exists(pk) AND activeKeys < :max',
                ExpressionAttributeValues: { ':one': 1, ':max': MAX_ACTIVE_KEYS },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: tenantPk(tenantId), sk: `${KEY_SK_PREFIX}${key.hash}`, ...key },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        if (!(await this.exists(tenantId)))
          throw new TenantNotFoundError(`tenant ${tenantId} does not exist`);
        throw new TooManyKeysError(
          `tenant ${tenantId} already has ${MAX_ACTIVE_KEYS} active keys; revoke one first`,
        );
      }
      throw error;
    }
    return { tenantId, keyId: key.keyId, apiKey };
  }

  /**
   * Rotation: issues a new key and, when two are already active, revokes the oldest one, so the
   * previous key keeps working until its producers have switched.
   */
  async rotate(tenantId: string, now: Date): Promise<{ issued: IssuedKey; revoked: string | null }> {
    const active = (await this.listKeys(tenantId)).filter((k) => k.status === 'active');
    if (active.length < MAX_ACTIVE_KEYS) return { issued: await this.issueKey(tenantId, now), revoked: null };
    const oldest = [...active].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (!oldest) throw new KeyNotFoundError('no active key to rotate');
    await this.revoke(tenantId, oldest.keyId, now);
    return { issued: await this.issueKey(tenantId, now), revoked: oldest.keyId };
  }

  async revoke(tenantId: string, keyId: string, now: Date): Promise<void> {
    const items = await this.#keyItems(tenantId);
    const item = items.find((k) => k.keyId === keyId && k.status === 'active');
    if (!item) throw new KeyNotFoundError(`tenant ${tenantId} has no active key ${keyId}`);
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: tenantPk(tenantId), sk: `${KEY_SK_PREFIX}${item.hash}` },
                UpdateExpression: 'SET #s = :revoked, revokedAt = :now',
                ConditionExpression: '#s = :active',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':revoked': 'revoked',
                  ':active': 'active',
                  ':now': now.toISOString(),
                },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: tenantPk(tenantId), sk: PROFILE_SK },
                UpdateExpression: 'SET activeKeys = activeKeys - :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new KeyNotFoundError(`key ${keyId} was already revoked`);
      throw error;
    }
  }

  async listKeys(tenantId: string): Promise<ApiKeyInfo[]> {
    return (await this.#keyItems(tenantId)).map(({ hash: _hash, ...info }) => info);
  }

  async tenantFor(apiKey: string): Promise<string | null> {
    const parsed = parseApiKey(apiKey);
    if (!parsed) return null;
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPk(parsed.tenantId), sk: `${KEY_SK_PREFIX}${parsed.hash}` },
      }),
    );
    return out.Item?.status === 'active' ? parsed.tenantId : null;
  }

  /**
   * Stores an already validated configuration (validate with core's validateTenantConfig), its
   * webhook secrets sealed: the table (and its backups) never hold them in clear.
   */
  async putConfig(tenantId: string, input: TenantConfig, now: Date): Promise<void> {
    if (
      !this.sealer &&
      input.delivery.webhooks.some((w) =>
        SEALED_WEBHOOK_FIELDS.some((field) => w[field] !== undefined && !isSealed(w[field])),
      )
    )
      throw new SecretSealError('webhook secrets are sealed before they are stored: give the store a sealer');
    const config = this.sealer ? await sealConfigSecrets(tenantId, input, this.sealer) : input;
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: { pk: tenantPk(tenantId), sk: PROFILE_SK },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: tenantPk(tenantId),
                  sk: CONFIG_SK,
                  kind: 'config',
                  config,
                  updatedAt: now.toISOString(),
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new TenantNotFoundError(`tenant ${tenantId} does not exist`);
      throw error;
    }
  }

  async configOf(tenantId: string): Promise<TenantConfig> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: tenantPk(tenantId), sk: CONFIG_SK } }),
    );
    return (out.Item?.config as TenantConfig | undefined) ?? DEFAULT_TENANT_CONFIG;
  }

  #keyItem(apiKey: string, now: Date): KeyItem & { kind: 'apikey' } {
    const hash = hashApiKey(apiKey);
    return { kind: 'apikey', keyId: hash.slice(0, 12), hash, status: 'active', createdAt: now.toISOString() };
  }

  async #keyItems(tenantId: string): Promise<KeyItem[]> {
    const out = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :k)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':k': KEY_SK_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []) as KeyItem[];
  }
}
