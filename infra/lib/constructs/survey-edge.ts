import { Stack, Token } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface SurveyEdgeProps {
  readonly api: HttpApi;
  /** Requests per IP address in any 5 minutes before WAF blocks that address (100 or more). */
  readonly ratePerFiveMinutes: number;
}

/**
 * An optional CloudFront distribution with an AWS WAF rate-based rule by IP in front of the
 * public survey pages (`-c surveyWafRateLimit=<n>`). API Gateway HTTP APIs cannot take a web ACL
 * (WAF protects REST APIs, CloudFront, ALB, AppSync…), so the rule sits on CloudFront, whose
 * web ACLs live in us-east-1; survey links then point at the distribution. Nothing is cached:
 * every page carries a token and says `no-store`.
 */
export class SurveyEdge extends Construct {
  readonly distribution: Distribution;
  readonly webAcl: CfnWebACL;
  /** Base URL the survey links point at. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SurveyEdgeProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    if (Token.isUnresolved(region) || region !== 'us-east-1')
      throw new Error(
        'surveyWafRateLimit needs HeedIntake in us-east-1 (set CDK_DEFAULT_REGION=us-east-1): web ACLs for CloudFront are created there, and HTTP APIs take no web ACL of their own',
      );
    if (!Number.isInteger(props.ratePerFiveMinutes) || props.ratePerFiveMinutes < 100)
      throw new Error(
        `surveyWafRateLimit must be a whole number of at least 100, got ${props.ratePerFiveMinutes}`,
      );
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'HeedSurveyPages',
        sampledRequestsEnabled: false,
      },
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: props.ratePerFiveMinutes } },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'HeedSurveyRatePerIp',
            sampledRequestsEnabled: false,
          },
        },
      ],
    });
    const origin = new HttpOrigin(`${props.api.apiId}.execute-api.${region}.amazonaws.com`);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Heed survey pages behind a WAF rate limit',
      webAclId: this.webAcl.attrArn,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // The page forms are posted form-encoded; the API sees every header but Host.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    NagSuppressions.addResourceSuppressions(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'Customers answer surveys from anywhere: no geo restriction.' },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'The API behind it keeps access logs of every request (without tokens or bodies).',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default CloudFront certificate (no custom domain); with a custom domain, set its own certificate and TLS policy.',
      },
    ]);
  }
}
