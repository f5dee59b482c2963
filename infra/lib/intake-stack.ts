import { ENV } from '@heed/aws/env';
import { STREAM_RETRY_ATTEMPTS } from '@heed/aws/messaging';
import { OUTBOX_STREAM_FILTER } from '@heed/aws/table-schema';
import { FEEDBACK_ROUTE_KEYS, ROUTE_KEYS } from '@heed/contracts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  type DlqDestinationConfig,
  FilterCriteria,
  type IEventSourceMapping,
  type IFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, S3OnFailureDestination } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { privateBucket } from './constructs/private-bucket';
import { ServiceFunction } from './constructs/service-function';
import { SurveyEdge } from './constructs/survey-edge';

/**
 * The S3 on-failure destination with the two permissions Lambda needs to write there
 * (s3:PutObject, s3:ListBucket), instead of CDK's read-write grant.
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
class PutOnlyS3OnFailure extends S3OnFailureDestination {
  constructor(private readonly target: IBucket) {
    super(target);
  }
  override bind(_mapping: IEventSourceMapping, fn: IFunction): DlqDestinationConfig {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.target.bucketArn] }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.target.arnForObjects('*')] }),
    );
    return { destination: this.target.bucketArn };
  }
}

export interface IntakeStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  readonly bus: IEventBus;
  /** Requests per second across the API before API Gateway answers 429. @default 500 */
  readonly rateLimit?: number;
  /** The survey links' HMAC key (the feedback page verifies with it). */
  readonly feedbackKey: IKey;
  /** Seals the connectors' secrets; intake opens them (only as connector secrets) to verify a product's signature. */
  readonly secretsKey: IKey;
  /** Requests per second on each public survey route (no API key there). @default 50 */
  readonly feedbackRateLimit?: number;
  /**
   * Put the survey pages behind CloudFront with an AWS WAF rate-based rule: this many requests
   * per IP address in 5 minutes. @default no WAF (each link is limited per token by the function)
   */
  readonly surveyWafRateLimit?: number;
}

/**
 * The intake service: the HTTP API producers post to, the function behind it, and the outbox
 * relay that moves accepted events from the tickets table's stream onto the bus.
 */
export class IntakeStack extends Stack {
  readonly api: HttpApi;
  readonly intakeFunction: ServiceFunction;
  readonly relayFunction: ServiceFunction;
  /** The public survey pages (`GET|POST /v1/feedback/{token}`). */
  readonly feedbackFunction: ServiceFunction;
  /** Whole stream records the relay could not publish before they left the stream. */
  readonly relayFailures: Bucket;
  /** The WAF-protected edge of the survey pages, when asked for. */
  readonly surveyEdge?: SurveyEdge;
  /** Base URL survey links point at: the edge when there is one, else the API. */
  readonly surveyUrl: string;

  constructor(scope: Construct, id: string, props: IntakeStackProps) {
    super(scope, id, props);

    this.intakeFunction = new ServiceFunction(this, 'IntakeFunction', {
      service: 'intake',
      serviceName: 'intake',
      timeout: Duration.seconds(15),
    })
      // Records events (transactions of conditional puts) and reads tickets; looks up key hashes.
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'Query', 'PutItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    this.intakeFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.secretsKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'heed-connector-secret' } },
      }),
    );

    this.feedbackFunction = new ServiceFunction(this, 'FeedbackFunction', {
      service: 'followup',
      handlerFile: 'feedback-handler.ts',
      serviceName: 'feedback',
      timeout: Duration.seconds(10),
    })
      // Records an answer through the ticket write path, reads the ticket and the survey's answers,
      // and counts each link's requests (UpdateItem on its survey items).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem']);
    this.feedbackFunction.addEnvironment(ENV.feedbackKey, props.feedbackKey.keyArn);
    props.feedbackKey.grant(this.feedbackFunction, 'kms:VerifyMac');

    this.relayFunction = new ServiceFunction(this, 'OutboxRelayFunction', {
      service: 'intake',
      handlerFile: 'relay-handler.ts',
      serviceName: 'outbox-relay',
      // Granted by the DynamoDB stream event source.
      unscopedActions: ['dynamodb:ListStreams'],
    }).bindBus(ENV.eventBus, props.bus);

    // Records the relay could not publish before they left the stream (24 h) land here whole
    // (an SQS destination would get only their metadata). They only say what to redrive: `heed
    // outbox redrive` re-publishes from the log, which keeps every event. So they are kept 30
    // days (long enough to act on the iterator-age alarm), not longer: they hold customers' data.
    this.relayFailures = privateBucket(this, 'OutboxRelayFailures', {
      expireAfter: Duration.days(30),
      withoutAccessLogs:
        'Written only by the Lambda service as the stream mapping failure destination and read by operators; its writes are alarmed through the relay iterator age, so access logs would add a bucket for no signal.',
    });
    NagSuppressions.addResourceSuppressions(
      this.relayFunction.role ?? this.relayFunction,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Lambda writes failed stream records as new objects with generated names into the failure bucket: s3:PutObject on its objects only.',
          appliesTo: ['Resource::<OutboxRelayFailures549597FE.Arn>/*'],
        },
      ],
      true,
    );
    this.relayFunction.addEventSource(
      new DynamoEventSource(props.ticketsTable, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // Retry until the record leaves the stream; split a batch whose invocation fails, so one
        // bad record cannot hold up the others (partial failures checkpoint at the bad record).
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new PutOnlyS3OnFailure(this.relayFailures),
        filters: [FilterCriteria.filter(OUTBOX_STREAM_FILTER)],
      }),
    );

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new HttpApi(this, 'Api', {
      description:
        'Heed intake: POST /v1/events, GET /v1/tickets/{ticketId}; public survey pages /v1/feedback/{token}',
      createDefaultStage: false,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 500, burstLimit: (props.rateLimit ?? 500) * 2 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No headers or bodies: they carry the API key and customer data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration('IntakeIntegration', this.intakeFunction);
    for (const routeKey of Object.values(ROUTE_KEYS)) {
      const [method, path] = routeKey.split(' ') as [keyof typeof HttpMethod, string];
      const routes = this.api.addRoutes({ path, methods: [HttpMethod[method]], integration });
      for (const route of routes) {
        NagSuppressions.addResourceSuppressions(route, [
          {
            id: 'AwsSolutions-APIG4',
            reason:
              'Producers authenticate with per-tenant API keys (Bearer), verified by the intake function against hashed keys; IAM or Cognito authorizers do not fit helpdesk webhooks.',
          },
        ]);
      }
    }
    // What no route matches reaches the intake function too, which answers a 404 with Heed's
    // error body (API Gateway's own is {"message":"Not Found"}), before reading anything.
    const fallback = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration,
    });
    NagSuppressions.addResourceSuppressions(fallback, [
      {
        id: 'AwsSolutions-APIG4',
        reason: 'Unknown routes: the intake function answers 404 without authenticating or reading anything.',
      },
    ]);
    // The survey pages are public (customers click them from a message): the signed token in the
    // path is the credential, and each route has its own, lower throttle.
    const feedback = new HttpLambdaIntegration('FeedbackIntegration', this.feedbackFunction);
    const feedbackRoutes: HttpRoute[] = [];
    for (const routeKey of Object.values(FEEDBACK_ROUTE_KEYS)) {
      const [method, path] = routeKey.split(' ') as [keyof typeof HttpMethod, string];
      for (const route of this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: feedback,
      })) {
        feedbackRoutes.push(route);
        NagSuppressions.addResourceSuppressions(route, [
          {
            id: 'AwsSolutions-APIG4',
            reason:
              'A public survey page opened from a customer message: the HMAC-signed, expiring token in the path is the credential (verified with KMS); the route is throttled on its own.',
          },
        ]);
      }
    }
    const feedbackRate = props.feedbackRateLimit ?? 50;
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      Object.values(FEEDBACK_ROUTE_KEYS).map((key) => [
        key,
        // A JSON property: CloudFormation's own casing.
        { ThrottlingRateLimit: feedbackRate, ThrottlingBurstLimit: feedbackRate * 2 },
      ]),
    );
    // Route settings may name only routes that exist.
    for (const route of feedbackRoutes) stage.node.addDependency(route);

    if (props.surveyWafRateLimit !== undefined)
      this.surveyEdge = new SurveyEdge(this, 'SurveyEdge', {
        api: this.api,
        ratePerFiveMinutes: props.surveyWafRateLimit,
      });
    this.surveyUrl = this.surveyEdge?.url ?? this.api.apiEndpoint;
    if (this.surveyEdge)
      new CfnOutput(this, 'SurveyUrl', {
        value: this.surveyEdge.url,
        description: 'Survey links point here (CloudFront with the WAF rate limit)',
      });

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL for POST /v1/events',
    });
    new CfnOutput(this, 'TicketsTableName', {
      value: props.ticketsTable.tableName,
      description: 'Pass to `npm run heed -- outbox redrive … --tickets-table`',
    });
    new CfnOutput(this, 'EventBusName', {
      value: props.bus.eventBusName,
      description: 'Pass to `npm run heed -- outbox redrive … --bus`',
    });
    new CfnOutput(this, 'OutboxFailureBucket', {
      value: this.relayFailures.bucketName,
      description: 'Whole stream records the relay could not publish before they expired',
    });
    new CfnOutput(this, 'TenantsTableName', {
      value: props.tenantsTable.tableName,
      description: 'Pass to `npm run heed -- … --table` to manage tenants and keys',
    });
  }
}
