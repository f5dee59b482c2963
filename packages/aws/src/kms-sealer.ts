import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { KMS_PREFIX, SecretSealError, type SecretSealer } from './secrets';

/** KMS Encrypt/Decrypt with an encryption context; secrets are ≤ 256 bytes, well under KMS's 4 KB. */
export class KmsSealer implements SecretSealer {
  constructor(
    private readonly kms: KMSClient,
    /** Key id or ARN used to seal (opening needs none: the ciphertext names its key). */
    private readonly keyId?: string,
  ) {}

  async seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<string> {
    if (!this.keyId) throw new SecretSealError('no KMS key to seal with (pass --kms-key)');
    const out = await this.kms.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: Buffer.from(plaintext, 'utf8'),
        EncryptionContext: { ...context },
      }),
    );
    return `${KMS_PREFIX}${Buffer.from(out.CiphertextBlob ?? new Uint8Array()).toString('base64')}`;
  }

  async open(sealed: string, context: Readonly<Record<string, string>>): Promise<string> {
    if (!sealed.startsWith(KMS_PREFIX)) throw new SecretSealError('not sealed with KMS');
    const out = await this.kms.send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(sealed.slice(KMS_PREFIX.length), 'base64'),
        EncryptionContext: { ...context },
      }),
    );
    return Buffer.from(out.Plaintext ?? new Uint8Array()).toString('utf8');
  }
}
