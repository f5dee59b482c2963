import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type FailedRecords, redacted, redactedStreamRecord } from './customer-erase';

/** A JSON value with every stream record in it redacted (whatever wraps the records). */
const redactedDeep = (value: unknown): unknown => {
  // A payload may be carried as JSON text inside the record.
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return JSON.stringify(redactedDeep(redacted(JSON.parse(value))));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(redactedDeep);
  if (typeof value !== 'object' || value === null) return value;
  if ('dynamodb' in value) return redactedStreamRecord(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactedDeep(v)]));
};

/**
 * The relay's S3 on-failure destination (its objects hold the failed batches' records whole): an
 * erasure reads each object that names one of the tickets and writes it back redacted. Only the
 * operator's command uses it (not a Lambda), so the S3 client stays out of the functions.
 */
export const s3FailedRecords = (s3: S3Client, bucket: string): FailedRecords => ({
  async redact(pks) {
    let changed = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
        const text = (await got.Body?.transformToString('utf8')) ?? '';
        if (!pks.some((pk) => text.includes(pk))) continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          value = null;
        }
        // Not JSON: nothing to keep apart, so the object is replaced by what can be said of it.
        const clean = value === null ? { redacted: 'not JSON; erased whole' } : redactedDeep(redacted(value));
        const body = JSON.stringify(clean);
        if (body === text) continue;
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.Key,
            Body: body,
            ContentType: 'application/json',
          }),
        );
        changed++;
      }
      token = page.NextContinuationToken;
    } while (token);
    return changed;
  },
});
