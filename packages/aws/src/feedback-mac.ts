import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  GenerateMacCommand,
  type KMSClient,
  KMSInvalidMacException,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';

/** Signs and checks survey-link tokens (HMAC-SHA256). */
export interface MacPort {
  sign(message: string): Promise<Uint8Array>;
  verify(message: string, mac: Uint8Array): Promise<boolean>;
}

/**
 * KMS HMAC key: the key never leaves KMS, and each function gets only the half it needs
 * (the follow-up service GenerateMac, the feedback page VerifyMac).
 */
export class KmsMac implements MacPort {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(message: string): Promise<Uint8Array> {
    const out = await this.kms.send(
      new GenerateMacCommand({
        KeyId: this.keyId,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(message),
      }),
    );
    return out.Mac ?? new Uint8Array();
  }

  async verify(message: string, mac: Uint8Array): Promise<boolean> {
    // An HMAC-SHA256 is 32 bytes; anything else cannot verify (and KMS would reject its length).
    if (mac.length !== 32) return false;
    try {
      const out = await this.kms.send(
        new VerifyMacCommand({
          KeyId: this.keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(message),
          Mac: mac,
        }),
      );
      return out.MacValid === true;
    } catch (error) {
      // KMS answers a wrong MAC with an error, not with MacValid false.
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}

/** The local runtime's key: derived from its secrets key, so links survive a restart with the same data. */
export class LocalMac implements MacPort {
  constructor(private readonly key: Uint8Array) {}

  async sign(message: string): Promise<Uint8Array> {
    return createHmac('sha256', this.key).update(message).digest();
  }

  async verify(message: string, mac: Uint8Array): Promise<boolean> {
    const expected = createHmac('sha256', this.key).update(message).digest();
    return mac.length === expected.length && timingSafeEqual(expected, mac);
  }
}
