import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alertRuleSpecs, SEVERITY_RULE } from './alert-rules';
import { alertDeadLetterQueue } from '../private/dead-letter-queue';
import { invalidProp } from '../private/errors';
import { createKey } from '../private/kms';
import { checkNumberProp } from '../private/numbers';

/** A commercial, GovCloud, China or ISO Region name such as `us-east-1` or `eu-central-2`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Properties of a RegionalAlertForwarder.
 */
export interface RegionalAlertForwarderProps {
  /**
   * The Region where the account's `AiSecurityMonitoring` (its alert topic and rules) is deployed.
   * Must differ from the Region of this construct's stack.
   */
  readonly homeRegion: string;

  /**
   * Lowest GuardDuty finding severity forwarded, between 1 and 10. Use the same value as the home
   * Region's `AiSecurityMonitoring`: the home rule filters again.
   *
   * @default 7 - high and critical findings
   */
  readonly guardDutySeverityThreshold?: number;

  /**
   * What happens to the dead-letter queue's key and queue when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Forwards the security events of one Region to the account's home Region, where
 * `AiSecurityMonitoring` sends them to the alert topic.
 *
 * EventBridge rules see only the events of their own Region, while the multi-Region trail (and its
 * metric-filter alarms) covers every Region. Deploy one forwarder in a stack of each other Region
 * the account uses, and list those Regions in the home monitoring's `forwardedRegions` (which adds
 * the home event bus policy). The forwarder has the same rules as the home Region (GuardDuty,
 * Security Hub, ECR and Inspector findings, KMS key disabling, SageMaker endpoint state changes);
 * each targets the home Region's default event bus through a role that may only put events there
 * (EventBridge user guide, "Sending and receiving events between AWS Regions").
 *
 * @example
 * new RegionalAlertForwarder(euStack, 'AlertForwarder', { homeRegion: 'us-east-1' });
 */
export class RegionalAlertForwarder extends Construct {
  /** The forwarding rules, one per alert rule of the home Region. */
  public readonly rules: events.Rule[] = [];
  /** The role EventBridge assumes to put the events on the home Region's bus. */
  public readonly role: iam.Role;
  /** The ARN of the home Region's default event bus. */
  public readonly homeEventBusArn: string;
  /**
   * Where EventBridge puts an event it could not forward (after retrying for a day). It is in this
   * Region, so no alarm of the home Region watches it: read it, or alarm on it in this Region.
   */
  public readonly deadLetterQueue: sqs.Queue;
  /** The KMS key of the dead-letter queue. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: RegionalAlertForwarderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(props.homeRegion) && !REGION_PATTERN.test(props.homeRegion)) {
      invalidProp(this, 'homeRegion', props.homeRegion, 'Give a Region name such as "us-east-1".');
    }
    if (!Token.isUnresolved(props.homeRegion) && !Token.isUnresolved(stack.region) && props.homeRegion === stack.region) {
      invalidProp(this, 'homeRegion', props.homeRegion,
        'The home Region\'s AiSecurityMonitoring already has these rules: deploy the forwarder in the other Regions only (give the stack an explicit env.region).');
    }
    const severity = props.guardDutySeverityThreshold ?? 7;
    checkNumberProp(this, 'guardDutySeverityThreshold', props.guardDutySeverityThreshold, SEVERITY_RULE);
    this.homeEventBusArn = `arn:${stack.partition}:events:${props.homeRegion}:${stack.account}:event-bus/default`;

    this.role = new iam.Role(this, 'Role', {
      description: `Lets EventBridge forward security events to the default event bus of ${props.homeRegion}`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    });
    new iam.ManagedPolicy(this, 'Policy', {
      description: 'Put events on the home Region\'s default event bus only',
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.homeEventBusArn] })],
    });

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = createKey(this, 'Key', { description: `Encrypts undelivered forwarded security events of ${this.node.path}`, removalPolicy });
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToDeadLetter',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    this.deadLetterQueue = alertDeadLetterQueue(this, 'DeadLetterQueue', { encryptionKey: this.encryptionKey, removalPolicy, reason: FORWARDER_DLQ_REASON });

    for (const spec of alertRuleSpecs(severity)) {
      const rule = new events.Rule(this, spec.id, { description: `${spec.description}: forwarded to ${props.homeRegion}`, eventPattern: spec.eventPattern });
      rule.addTarget({
        bind: () => ({
          arn: this.homeEventBusArn,
          role: this.role,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
        }),
      });
      this.rules.push(rule);
    }
    this.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheseEventBridgeRulesToDeadLetter',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.rules.map((r) => r.ruleArn) } },
    }));
  }
}

const FORWARDER_DLQ_REASON =
  'This queue is itself the dead-letter queue of the forwarding rules\' targets; a dead-letter queue of a dead-letter queue would only move the same undelivered events again.';
