import { METRIC_NAMESPACE, type MetricName } from '@heed/contracts';
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  type IWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/*
 * What every part of the deployment watches itself with: Heed's metrics (names from the
 * contracts package, which the services record with), the alarm defaults, and the topic alarms
 * go to. Each service's construct makes its own alarms and widgets with these; the ops stack
 * only gathers the widgets.
 */

export const FIVE_MINUTES = Duration.minutes(5);

/** One of Heed's own metrics, as the service named records it (its Powertools `service`). */
export const heedMetric = (
  metricName: MetricName,
  service: string,
  statistic = 'Sum',
  period: Duration = FIVE_MINUTES,
): Metric =>
  new Metric({ namespace: METRIC_NAMESPACE, metricName, dimensionsMap: { service }, statistic, period });

/** Share of `part` in `whole`, in percent, defined as 0 when there was no traffic. */
export const rate = (part: IMetric, whole: IMetric, label: string): MathExpression =>
  new MathExpression({
    expression: 'IF(whole > 0, 100 * part / whole, 0)',
    usingMetrics: { part, whole },
    label,
    period: FIVE_MINUTES,
  });

/** Every series of a dimensioned metric (a breakdown by channel, clock, reason…). */
export const search = (expression: string): MathExpression =>
  new MathExpression({ expression: `SEARCH('${expression}', 'Sum', 300)`, label: '', period: FIVE_MINUTES });

/** What the dashboard shows of one part of Heed: a titled section of widget rows. */
export interface Watched {
  readonly widgets: readonly (readonly IWidget[])[];
}

/**
 * The SNS topic every alarm notifies (on alarm and on recovery), under a customer-managed key:
 * CloudWatch cannot publish to a topic under the AWS-managed SNS key.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { readonly email?: string } = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', { enableKeyRotation: true, description: 'Heed alarm topic' });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy "*" means this key
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'Heed alarms' });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}

/** An alarm with Heed's defaults: one five-minute period, missing data is fine, both transitions told. */
export const heedAlarm = (
  scope: Construct,
  id: string,
  topic: ITopic,
  args: {
    readonly metric: IMetric;
    readonly threshold: number;
    readonly description: string;
    readonly comparison?: ComparisonOperator;
  },
): Alarm => {
  const alarm = new Alarm(scope, id, {
    metric: args.metric,
    threshold: args.threshold,
    evaluationPeriods: 1,
    comparisonOperator: args.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: args.description,
  });
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
};
