import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

export interface PrivateBucketProps {
  /** Objects expire this long after they are written: what Heed keeps in buckets holds customers' data. */
  readonly expireAfter: Duration;
  /** Why it has no access-log bucket of its own (cdk-nag AwsSolutions-S1). */
  readonly withoutAccessLogs: string;
}

/**
 * Encrypted, private, TLS-only buckets whose objects expire, retained with the stack: the one set
 * of defaults every Heed bucket gets.
 */
export const privateBucket = (scope: Construct, id: string, props: PrivateBucketProps): Bucket => {
  const bucket = new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ expiration: props.expireAfter }],
  });
  NagSuppressions.addResourceSuppressions(bucket, [
    { id: 'AwsSolutions-S1', reason: props.withoutAccessLogs },
  ]);
  return bucket;
};
