import { randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DEFAULT_TENANT_CONFIG } from '@heed/core';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  isSealed,
  KmsSealer,
  LocalSealer,
  SecretOpener,
  SecretSealError,
  sealConfigSecrets,
  webhookSecretContext,
} from '../src';

const config = {
  ...DEFAULT_TENANT_CONFIG,
  delivery: {
    ...DEFAULT_TENANT_CONFIG.delivery,
    webhooks: [
      {
        id: 'crm',
        format: 'heed' as const,
        url: 'https://a.example.com/h',
        secret: 'first-secret-0123456789',
        audiences: ['customer' as const],
      },
      {
        format: 'heed' as const,
        url: 'https://b.example.com/h',
        secret: 'second-secret-0123456789',
        audiences: ['internal' as const],
      },
    ],
  },
};

describe('sealed webhook secrets', () => {
  it('seals every secret bound to its tenant and endpoint, and opens only there', async () => {
    const sealer = new LocalSealer(randomBytes(32));
    const sealed = await sealConfigSecrets('acme', config, sealer);
    const [a, b] = sealed.delivery.webhooks;
    expect(JSON.stringify(sealed)).not.toContain('first-secret');
    expect(isSealed(a?.secret ?? '')).toBe(true);
    expect(
      await sealer.open(a?.secret ?? '', webhookSecretContext('acme', config.delivery.webhooks[0] as never)),
    ).toBe('first-secret-0123456789');
    // Moved to another tenant or another endpoint, it does not open.
    await expect(
      sealer.open(a?.secret ?? '', webhookSecretContext('globex', { id: 'crm', url: 'x' })),
    ).rejects.toThrow(SecretSealError);
    await expect(
      sealer.open(a?.secret ?? '', webhookSecretContext('acme', { url: 'https://b.example.com/h' })),
    ).rejects.toThrow(SecretSealError);
    await expect(new LocalSealer(randomBytes(32)).open(b?.secret ?? '', {})).rejects.toThrow(SecretSealError);
    // Sealing again leaves sealed secrets as they are.
    expect(await sealConfigSecrets('acme', sealed, sealer)).toEqual(sealed);
  });

  it('uses KMS with the encryption context, and the opener decrypts each secret once per five minutes', async () => {
    const kms = mockClient(KMSClient);
    kms.on(EncryptCommand).callsFake((input: { Plaintext: Uint8Array }) => ({
      CiphertextBlob: Buffer.concat([Buffer.from('ct:'), Buffer.from(input.Plaintext)]),
    }));
    kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array }) => ({
      Plaintext: Buffer.from(input.CiphertextBlob).subarray(3),
    }));
    const sealer = new KmsSealer(new KMSClient({}), 'arn:aws:kms:us-east-1:000000000000:key/k');
    const context = webhookSecretContext('acme', { id: 'crm', url: 'u' });
    const sealed = await sealer.seal('s3cret-value-0123456789', context);
    expect(sealed).toMatch(/^sealed:kms:/);
    expect(kms.commandCalls(EncryptCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'arn:aws:kms:us-east-1:000000000000:key/k',
      EncryptionContext: { purpose: 'heed-webhook-secret', tenantId: 'acme', webhookId: 'crm' },
    });
    const opener = new SecretOpener(sealer);
    expect(await opener.open(sealed, context)).toBe('s3cret-value-0123456789');
    expect(await opener.open(sealed, context)).toBe('s3cret-value-0123456789');
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input.EncryptionContext).toEqual(context);
    await expect(new KmsSealer(new KMSClient({})).seal('x', context)).rejects.toThrow('no KMS key');
  });
});
