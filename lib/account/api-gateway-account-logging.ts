import { ArnFormat, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { invalidProp } from '../private/errors';
import { nagName } from '../private/nag-names';

/**
 * Properties of an ApiGatewayAccountLogging.
 */
export interface ApiGatewayAccountLoggingProps {
  /**
   * What happens to the role and the account setting when they leave the stack.
   *
   * Keep RETAIN: the setting is one per account and Region and every REST API and WebSocket API
   * there logs through the role it names. CloudFormation does not clear the setting when the
   * `AWS::ApiGateway::Account` resource is deleted, so deleting the role would leave the account
   * naming a role that no longer exists, and execution and access logging would stop for every
   * API of the account, not only this stage's (the reason aws-cdk-lib's RestApi `cloudWatchRole`
   * retains both too).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const TAG = Symbol.for('cdk-secure-ai.ApiGatewayAccountLogging');

/**
 * The account-level setting API Gateway needs before any stage can log to CloudWatch Logs:
 * an IAM role API Gateway assumes (`apigateway.amazonaws.com`) and the
 * `AWS::ApiGateway::Account` resource that names it.
 *
 * Without it, a stage with execution logging fails to deploy with "CloudWatch Logs role ARN
 * must be set in account settings to enable logging" (API Gateway developer guide, "Set up
 * CloudWatch logging for REST APIs in API Gateway"). There is one such setting per account and
 * Region: deploy exactly one ApiGatewayAccountLogging there, in a stack deployed before the stacks
 * that hold APIs, and let those stacks depend on it.
 *
 * The role's permissions are those of the AWS managed policy the guide names
 * (AmazonAPIGatewayPushToCloudWatchLogs: create and describe log groups and streams, put, get
 * and filter log events), in a customer-managed policy scoped to the log groups of this account
 * and Region (AwsSolutions-IAM4 reports AWS managed policies). Log group names are chosen per
 * API (`API-Gateway-Execution-Logs_<api id>/<stage>`, access-log groups of any name) and the one
 * role serves every API of the account, so the log-group wildcard cannot be narrowed.
 *
 * Role and setting are retained by default (see `removalPolicy`).
 *
 * @example
 * // in a stack every API stack of the account and Region depends on
 * new ApiGatewayAccountLogging(accountStack, 'ApiGatewayLogging');
 */
export class ApiGatewayAccountLogging extends Construct {
  /**
   * The ApiGatewayAccountLogging of a stack, or undefined.
   *
   * @param stack the stack to look in
   */
  public static inStack(stack: Stack): ApiGatewayAccountLogging | undefined {
    return stack.node.findAll().find(isAccountLogging);
  }

  /** The role API Gateway assumes to write execution and access logs. */
  public readonly role: iam.Role;
  /** The permissions of the role. */
  public readonly policy: iam.ManagedPolicy;
  /** The account-level API Gateway setting (`AWS::ApiGateway::Account`). */
  public readonly account: apigateway.CfnAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountLoggingProps = {}) {
    super(scope, id);
    Object.defineProperty(this, TAG, { value: true });
    const stack = Stack.of(this);
    this.assertSingleton(stack);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes execution and access logs of every API of this account and Region to CloudWatch Logs',
    });
    const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const logStreams = `${logGroups}:log-stream:*`;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Permissions of AmazonAPIGatewayPushToCloudWatchLogs, on the log groups of this account and Region only',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'LogGroupsOfThisAccountAndRegion',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:FilterLogEvents'],
          resources: [logGroups],
        }),
        new iam.PolicyStatement({
          sid: 'LogEventsOfThisAccountAndRegion',
          actions: ['logs:PutLogEvents', 'logs:GetLogEvents'],
          resources: [logStreams],
        }),
      ],
    });
    this.account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    // API Gateway checks the role when the setting is made: attach its permissions first.
    this.account.node.addDependency(this.policy);
    this.role.applyRemovalPolicy(removalPolicy);
    (this.policy.node.defaultChild as iam.CfnManagedPolicy).applyRemovalPolicy(removalPolicy);
    this.account.applyRemovalPolicy(removalPolicy);

    const flat = (arn: string) => nagName(stack.resolve(arn));
    acknowledge(this.policy, [
      { id: `AwsSolutions-IAM5[Resource::${flat(logGroups)}]`, source: FindingSource.CDK_NAG },
      { id: `AwsSolutions-IAM5[Resource::${flat(logStreams)}]`, source: FindingSource.CDK_NAG },
    ], 'API Gateway uses one CloudWatch Logs role for every API of the account and Region, and names the log groups after each API and stage; the wildcard covers the log groups of this account and Region only.');
  }

  private assertSingleton(stack: Stack): void {
    const root = Stage.of(stack)?.node.root ?? stack.node.root;
    const known = (s: Stack) => !Token.isUnresolved(s.account) && !Token.isUnresolved(s.region);
    for (const other of root.node.findAll()) {
      if (other === this || !isAccountLogging(other)) continue;
      const otherStack = Stack.of(other);
      const sameAccount = otherStack === stack
        || (known(stack) && known(otherStack) && otherStack.account === stack.account && otherStack.region === stack.region);
      if (sameAccount) {
        invalidProp(this, 'scope', other.node.path,
          'API Gateway has one CloudWatch Logs role setting per account and Region (AWS::ApiGateway::Account): a second one would overwrite the first. Create one ApiGatewayAccountLogging per account and Region and let the API stacks depend on its stack.');
      }
    }
  }
}

function isAccountLogging(x: unknown): x is ApiGatewayAccountLogging {
  return typeof x === 'object' && x !== null && (x as any)[TAG] === true;
}
