import { ENV } from '@heed/aws/env';
import { STREAM_RETRY_ATTEMPTS } from '@heed/aws/messaging';
import { OUTBOX_STREAM_FILTER } from '@heed/aws/table-schema';
import { ROUTE_KEYS } from '@heed/contracts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { secureQueue } from './constructs/secure-queue';
import { ServiceFunction } from './constructs/service-function';

export interface IntakeStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  readonly bus: IEventBus;
  /** Requests per second across the API before API Gateway answers 429. @default 500 */
  readonly rateLimit?: number;
}

/**
 * The intake service: the HTTP API producers post to, the function behind it, and the outbox
 * relay that moves accepted events from the tickets table's stream onto the bus.
 */
export class IntakeStack extends Stack {
  readonly api: HttpApi;
  readonly intakeFunction: ServiceFunction;
  readonly relayFunction: ServiceFunction;
  readonly relayFailures: Queue;

  constructor(scope: Construct, id: string, props: IntakeStackProps) {
    super(scope, id, props);

    this.intakeFunction = new ServiceFunction(this, 'IntakeFunction', {
      service: 'intake',
      serviceName: 'intake',
      timeout: Duration.seconds(15),
    })
      .bindTable(ENV.ticketsTable, props.ticketsTable, 'readWrite')
      .bindTable(ENV.tenantsTable, props.tenantsTable, 'read');

    this.relayFunction = new ServiceFunction(this, 'OutboxRelayFunction', {
      service: 'intake',
      handlerFile: 'relay-handler.ts',
      serviceName: 'outbox-relay',
    }).bindBus(ENV.eventBus, props.bus);

    // Records the relay could not publish after every retry land here (and raise an alarm).
    this.relayFailures = secureQueue(this, 'OutboxRelayFailures', { deadLetterFor: 'the outbox relay' });
    this.relayFunction.addEventSource(
      new DynamoEventSource(props.ticketsTable, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.relayFailures),
        filters: [FilterCriteria.filter(OUTBOX_STREAM_FILTER)],
      }),
    );

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'Heed intake: POST /v1/events, GET /v1/tickets/{ticketId}',
      createDefaultStage: false,
    });
    new HttpStage(this, 'DefaultStage', {
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

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL for POST /v1/events',
    });
    new CfnOutput(this, 'TenantsTableName', {
      value: props.tenantsTable.tableName,
      description: 'Pass to `npm run heed -- … --table` to manage tenants and keys',
    });
  }
}
