import { fileURLToPath } from 'node:url';
import { INDEX } from '@heed/aws/table-schema';
import { METRIC_NAMESPACE } from '@heed/contracts';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { BUNDLING } from './bundling';

/** The DynamoDB actions Heed's functions use; anything else is never granted. */
export type TableAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'ConditionCheckItem';

export interface ServiceFunctionProps {
  /** The folder under services/ whose code this function runs. */
  readonly service: string;
  /** Handler module in `services/<service>/src/`. @default 'handler.ts' */
  readonly handlerFile?: string;
  /** Powertools service name: the `service` dimension of its metrics and logs. */
  readonly serviceName: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default the X-Ray-traced, arm64, nodejs24.x defaults */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Actions besides X-Ray's that this function's event sources grant on Resource "*" because
   * they support no resource-level scoping; named in the IAM5 suppression.
   * @default none
   */
  readonly unscopedActions?: readonly string[];
}

/**
 * Every Heed Lambda: nodejs24.x on arm64, an ESM bundle built by the local esbuild (no Docker),
 * source maps, X-Ray tracing, its own log group with retention, and Powertools configured.
 * Resources reach the code only through `bind…` helpers, which pair the environment variable
 * with the narrowest grant.
 */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: fileURLToPath(
        new URL(
          `../../../services/${props.service}/src/${props.handlerFile ?? 'handler.ts'}`,
          import.meta.url,
        ),
      ),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        ...BUNDLING,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [...BUNDLING.externalModules],
        format: OutputFormat.ESM,
        forceDockerBundling: false,
        // `cdk synth` says which asset it bundles; esbuild's size table per bundle is noise there.
        logLevel: LogLevel.ERROR,
      },
    });
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: `${['xray:PutTraceSegments', 'xray:PutTelemetryRecords', ...(props.unscopedActions ?? [])].join(', ')} support no resource-level scoping (Resource "*" is required); every other statement names its resources.`,
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }

  /**
   * Names the table to the code and allows exactly the DynamoDB actions it uses, on the table
   * (and its secondary index when `index` is set), nothing wider: no Scan, no DeleteItem, no
   * BatchWriteItem. Transactions need the per-item actions they contain.
   */
  bindTable(
    envName: string,
    table: ITable,
    actions: readonly TableAction[],
    options: { index?: boolean } = {},
  ): this {
    this.addEnvironment(envName, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn, ...(options.index ? [`${table.tableArn}/index/${INDEX.name}`] : [])],
      }),
    );
    return this;
  }

  bindBus(envName: string, bus: IEventBus): this {
    this.addEnvironment(envName, bus.eventBusName);
    bus.grantPutEventsTo(this);
    return this;
  }
}
