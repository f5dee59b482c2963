import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * The synthesized IAM of a Heed deployment, made concrete: CloudFormation intrinsics (Ref,
 * Fn::GetAtt, Fn::Join, Fn::Sub, Fn::ImportValue across stacks, Fn::Select, Fn::Split) resolved
 * to the ARNs they would have in one account and region, so a policy simulator can decide on them.
 * Physical names are the logical ids (CloudFormation would add a suffix; nothing in Heed's
 * policies depends on names it does not reference).
 */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-central-1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}
interface TemplateJson {
  readonly Resources: Record<string, Resource>;
  readonly Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export class DeployedIam {
  readonly #templates = new Map<string, TemplateJson>();
  readonly #exports = new Map<string, { stack: string; value: Json }>();

  constructor(stacks: readonly Stack[]) {
    for (const stack of stacks) {
      const json = Template.fromStack(stack).toJSON() as TemplateJson;
      this.#templates.set(stack.stackName, json);
    }
    for (const [stack, json] of this.#templates)
      for (const output of Object.values(json.Outputs ?? {}))
        if (output.Export)
          this.#exports.set(this.#string(stack, output.Export.Name), { stack, value: output.Value });
  }

  /** The ARN a construct's resource would have (its `Arn` attribute). */
  arnOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
    return this.#string(stack.stackName, { 'Fn::GetAtt': [this.#logicalId(stack, construct), 'Arn'] });
  }

  /** A DynamoDB table's stream ARN. */
  streamArnOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
    return this.#string(stack.stackName, { 'Fn::GetAtt': [this.#logicalId(stack, construct), 'StreamArn'] });
  }

  /** Every statement of the identity policies attached to a role (inline, in its stack). */
  statementsOf(stack: Stack, role: { node: { defaultChild?: unknown } }): PolicyStatement[] {
    const roleId = this.#logicalId(stack, role);
    const json = this.#template(stack.stackName);
    const statements: Json[] = [];
    for (const resource of Object.values(json.Resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::IAM::Policy') {
        const roles = (props.Roles ?? []) as Json[];
        if (roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
          statements.push(...((props.PolicyDocument as { Statement: Json[] }).Statement ?? []));
      }
    }
    for (const inline of (json.Resources[roleId]?.Properties?.Policies ?? []) as {
      PolicyDocument: { Statement: Json[] };
    }[])
      statements.push(...inline.PolicyDocument.Statement);
    return statements.map((s) => this.#resolve(stack.stackName, s) as unknown as PolicyStatement);
  }

  /** A KMS key's key policy (KMS decides on it as well as on the caller's policies). */
  keyPolicyOf(stack: Stack, key: { node: { defaultChild?: unknown } }): Record<string, unknown> {
    const props = this.#template(stack.stackName).Resources[this.#logicalId(stack, key)]?.Properties ?? {};
    return this.#resolve(stack.stackName, props.KeyPolicy as Json) as Record<string, unknown>;
  }

  /** The role's ARN, as the principal of a simulated request. */
  roleArnOf(stack: Stack, role: { node: { defaultChild?: unknown } }): string {
    return this.arnOf(stack, role);
  }

  #logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
    return stack.getLogicalId(construct.node.defaultChild as never);
  }

  #template(stack: string): TemplateJson {
    const json = this.#templates.get(stack);
    if (!json) throw new Error(`no template for stack ${stack}`);
    return json;
  }

  #string(stack: string, value: Json): string {
    const resolved = this.#resolve(stack, value);
    if (typeof resolved !== 'string') throw new Error(`not a string: ${JSON.stringify(value)}`);
    return resolved;
  }

  #resolve(stack: string, value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.#resolve(stack, v));
    if (value === null || typeof value !== 'object') return value;
    const [key, arg] = Object.entries(value)[0] ?? [];
    if (Object.keys(value).length === 1 && key !== undefined && arg !== undefined)
      switch (key) {
        case 'Ref':
          return this.#ref(stack, arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : arg) as [string, string];
          return this.#attribute(stack, id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, Json[]];
          return parts.map((p) => this.#string(stack, p)).join(separator);
        }
        case 'Fn::Sub': {
          const [text, vars] = (typeof arg === 'string' ? [arg, {}] : arg) as [string, Record<string, Json>];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
            name in vars
              ? this.#string(stack, vars[name] as Json)
              : name.includes('.')
                ? this.#string(stack, { 'Fn::GetAtt': name.split('.') })
                : this.#ref(stack, name),
          );
        }
        case 'Fn::ImportValue': {
          const name = this.#string(stack, arg);
          const exported = this.#exports.get(name);
          if (!exported) throw new Error(`no export named ${name}`);
          return this.#resolve(exported.stack, exported.value);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, Json];
          return (this.#resolve(stack, list) as Json[])[Number(index)] ?? null;
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, Json];
          return this.#string(stack, text).split(separator);
        }
      }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#resolve(stack, v)]));
  }

  #ref(stack: string, id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack,
    };
    if (pseudo[id]) return pseudo[id];
    const resource = this.#template(stack).Resources[id];
    if (!resource) throw new Error(`${stack} has no resource ${id}`);
    const name = this.#name(id, resource);
    if (resource.Type === 'AWS::SQS::Queue') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
    if (resource.Type === 'AWS::KMS::Key') return id;
    return name;
  }

  #name(id: string, resource: Resource): string {
    const props = resource.Properties ?? {};
    const given = props.TableName ?? props.QueueName ?? props.Name ?? props.RoleName ?? props.FunctionName;
    return typeof given === 'string' ? given : id;
  }

  #attribute(stack: string, id: string, attribute: string): string {
    const resource = this.#template(stack).Resources[id];
    if (!resource) throw new Error(`${stack} has no resource ${id}`);
    const name = this.#name(id, resource);
    const arn = (service: string, rest: string, region = REGION) =>
      `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;
    const arns: Record<string, () => string> = {
      'AWS::DynamoDB::Table': () => arn('dynamodb', `table/${name}`),
      'AWS::SQS::Queue': () => arn('sqs', name),
      'AWS::Events::EventBus': () => arn('events', `event-bus/${name}`),
      'AWS::KMS::Key': () => arn('kms', `key/${id}`),
      'AWS::IAM::Role': () => `arn:aws:iam::${ACCOUNT}:role/${name}`,
      'AWS::Scheduler::ScheduleGroup': () => arn('scheduler', `schedule-group/${name}`),
      'AWS::Lambda::Function': () => arn('lambda', `function:${name}`),
      'AWS::Logs::LogGroup': () => arn('logs', `log-group:${name}:*`),
      'AWS::SNS::Topic': () => arn('sns', name),
      'AWS::S3::Bucket': () => `arn:aws:s3:::${name}`,
    };
    if (attribute === 'Arn') {
      const make = arns[resource.Type];
      if (!make) throw new Error(`no Arn for ${resource.Type} ${id}`);
      return make();
    }
    if (attribute === 'StreamArn')
      return `${arn('dynamodb', `table/${name}`)}/stream/2026-01-01T00:00:00.000`;
    if (attribute === 'QueueName' || attribute === 'Name') return name;
    if (attribute === 'QueueUrl') return this.#ref(stack, id);
    throw new Error(`attribute ${attribute} of ${resource.Type} ${id} is not modelled`);
  }
}
