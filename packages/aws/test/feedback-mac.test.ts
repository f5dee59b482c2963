import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { KmsMac, LocalMac } from '../src/feedback-mac';

const KEY = 'arn:aws:kms:us-east-1:000000000000:key/feedback';

describe('KmsMac', () => {
  it('signs with GenerateMac HMAC_SHA_256 on the feedback key', async () => {
    const kms = mockClient(KMSClient);
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(1) });
    const mac = await new KmsMac(kms as unknown as KMSClient, KEY).sign('payload');
    expect([...mac]).toEqual(new Array(32).fill(1));
    const input = kms.commandCalls(GenerateMacCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ KeyId: KEY, MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input?.Message ?? []).toString()).toBe('payload');
  });

  it('verifies with VerifyMac; a wrong MAC (an exception in KMS) is false, other errors propagate', async () => {
    const kms = mockClient(KMSClient);
    const mac = new KmsMac(kms as unknown as KMSClient, KEY);
    kms.on(VerifyMacCommand).resolves({ MacValid: true });
    expect(await mac.verify('payload', new Uint8Array(32))).toBe(true);
    kms.on(VerifyMacCommand).rejects(new KMSInvalidMacException({ message: 'bad', $metadata: {} }));
    expect(await mac.verify('payload', new Uint8Array(32))).toBe(false);
    kms.on(VerifyMacCommand).rejects(new Error('throttled'));
    await expect(mac.verify('payload', new Uint8Array(32))).rejects.toThrow('throttled');
  });

  it('does not ask KMS about a MAC of the wrong length', async () => {
    const kms = mockClient(KMSClient);
    expect(await new KmsMac(kms as unknown as KMSClient, KEY).verify('payload', new Uint8Array(31))).toBe(
      false,
    );
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('LocalMac', () => {
  it('verifies its own MAC and nothing else', async () => {
    const mac = new LocalMac(Buffer.alloc(32, 9));
    const signed = await mac.sign('payload');
    expect(await mac.verify('payload', signed)).toBe(true);
    expect(await mac.verify('payload2', signed)).toBe(false);
    expect(await new LocalMac(Buffer.alloc(32, 8)).verify('payload', signed)).toBe(false);
    expect(await mac.verify('payload', signed.subarray(0, 31))).toBe(false);
  });
});
