import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ConnectorProvider, TENANT_ID_PATTERN } from '@heed/core';
import type { SecretSealer } from './secrets';
import { tenantPk } from './table-schema';

const CONNECTOR_SK_PREFIX = 'CONNECTOR#';

/** A connector as stored: its secret sealed, bound to the tenant and connector. */
export interface ConnectorRecord {
  readonly connectorId: string;
  readonly tenantId: string;
  readonly provider: ConnectorProvider;
  readonly secret: string;
  readonly createdAt: string;
}

export class ConnectorNotFoundError extends Error {
  override readonly name = 'ConnectorNotFoundError';
}

/** Where a connector's secret belongs: its seal opens only for this tenant and connector. */
export const connectorSecretContext = (tenantId: string, connectorId: string) => ({
  purpose: 'heed-connector-secret',
  tenantId,
  connectorId,
});

/** `<tenant>.<20 random characters>`: the tenant is read from the id, so a lookup is one GetItem. */
const CONNECTOR_ID = /^([a-z0-9][a-z0-9-]{1,38}[a-z0-9])\.([A-Za-z0-9]{20})$/;

/** The tenant a connector id belongs to, or null when it is no connector id. */
export const tenantOfConnector = (connectorId: string): string | null => {
  const tenant = CONNECTOR_ID.exec(connectorId)?.[1] ?? null;
  return tenant && TENANT_ID_PATTERN.test(tenant) ? tenant : null;
};

const randomId = (): string => {
  // 20 of A-Z a-z 0-9 (rejection sampling: no modulo bias).
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < 20)
    for (const b of randomBytes(32)) if (b < 248 && out.length < 20) out += alphabet[b % 62];
  return out;
};

/**
 * The tenants' inbound connectors, in the tenants table beside their keys. The secret is the
 * product's signing key (Help Scout's, or Heed's own that the tenant pastes there; Chatwoot
 * generates its own, which the tenant gives Heed): stored sealed, opened by intake to verify.
 */
export class DynamoConnectorStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sealer: SecretSealer,
  ) {}

  /** Adds a connector; `secret` when the product made one, else a new one. Returns it in clear, once. */
  async add(
    tenantId: string,
    provider: ConnectorProvider,
    now: Date,
    secret: string = randomBytes(24).toString('base64url'),
  ): Promise<{ connectorId: string; secret: string }> {
    const connectorId = `${tenantId}.${randomId()}`;
    const record: ConnectorRecord = {
      connectorId,
      tenantId,
      provider,
      secret: await this.sealer.seal(secret, connectorSecretContext(tenantId, connectorId)),
      createdAt: now.toISOString(),
    };
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: tenantPk(tenantId), sk: `${CONNECTOR_SK_PREFIX}${connectorId}`, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { connectorId, secret };
  }

  /** The connector and its secret opened, or null when there is none by that id. */
  async open(connectorId: string): Promise<(ConnectorRecord & { readonly opened: string }) | null> {
    const tenantId = tenantOfConnector(connectorId);
    if (!tenantId) return null;
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPk(tenantId), sk: `${CONNECTOR_SK_PREFIX}${connectorId}` },
      }),
    );
    const record = out.Item as ConnectorRecord | undefined;
    if (!record) return null;
    return {
      ...record,
      opened: await this.sealer.open(record.secret, connectorSecretContext(tenantId, connectorId)),
    };
  }

  async list(tenantId: string): Promise<Omit<ConnectorRecord, 'secret'>[]> {
    const out = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':p': CONNECTOR_SK_PREFIX },
      }),
    );
    return (out.Items ?? []).map((i) => {
      const {
        pk: _pk,
        sk: _sk,
        secret: _secret,
        ...rest
      } = i as ConnectorRecord & { pk: string; sk: string };
      return rest;
    });
  }

  async remove(tenantId: string, connectorId: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: tenantPk(tenantId), sk: `${CONNECTOR_SK_PREFIX}${connectorId}` },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConnectorNotFoundError(`tenant ${tenantId} has no connector ${connectorId}`);
      throw error;
    }
  }
}
