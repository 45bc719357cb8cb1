import { RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as macie from 'aws-cdk-lib/aws-macie';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { routeToTopic } from './finding-routes';
import { invalidProp } from '../private/errors';

/** The severity of a Macie finding (`detail.severity.description`: Low, Medium or High). */
export enum MacieFindingSeverity {
  /** Low, Medium and High findings. */
  LOW = 'Low',
  /** Medium and High findings. */
  MEDIUM = 'Medium',
  /** High findings only. */
  HIGH = 'High',
}

/** How often Macie publishes updates to existing policy findings (AWS::Macie::Session). */
export enum MacieFindingPublishingFrequency {
  /** Every 15 minutes. */
  FIFTEEN_MINUTES = 'FIFTEEN_MINUTES',
  /** Every hour. */
  ONE_HOUR = 'ONE_HOUR',
  /** Every six hours (the Macie default). */
  SIX_HOURS = 'SIX_HOURS',
}

/** Properties of `SensitiveDataDiscovery`. */
export interface SensitiveDataDiscoveryProps {
  /** The topic that Macie findings are published to (e.g. `AiSecurityMonitoring.topic`). */
  readonly topic: sns.ITopic;
  /**
   * The queue EventBridge sends findings to when it cannot deliver them to the topic
   * (e.g. `AiSecurityMonitoring.deadLetterQueue`, which already alarms when it holds a message).
   */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Lowest Macie finding severity sent to the topic.
   * @default MacieFindingSeverity.MEDIUM
   */
  readonly severityThreshold?: MacieFindingSeverity;
  /**
   * Enable Macie in this account and Region (AWS::Macie::Session). Leave it false when Macie is
   * already enabled (by hand, or by an organization's Macie administrator): CloudFormation cannot
   * create a second session.
   * @default false
   */
  readonly enableMacie?: boolean;
  /**
   * How often Macie publishes updates to existing policy findings (new findings are published
   * as they are created). Only with `enableMacie`.
   * @default MacieFindingPublishingFrequency.FIFTEEN_MINUTES when `enableMacie` is true
   */
  readonly findingPublishingFrequency?: MacieFindingPublishingFrequency;
  /**
   * What happens to the Macie session when it leaves the stack. Deleting it disables Macie and
   * deletes its findings and settings, so it is retained by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const SEVERITIES = [MacieFindingSeverity.LOW, MacieFindingSeverity.MEDIUM, MacieFindingSeverity.HIGH];

/**
 * Sensitive-data discovery with Amazon Macie: optionally enables Macie (the account-level
 * session), and publishes Macie findings (sensitive data found in S3 objects, and policy findings
 * about S3 buckets) of a severity threshold or more to the alert topic.
 *
 * It does not start discovery: automated sensitive data discovery is an account setting that
 * CloudFormation does not manage (see the README for the command).
 */
export class SensitiveDataDiscovery extends Construct {
  /** The event pattern for findings of `threshold` severity or more (`detail.severity.description`). */
  public static findingsPattern(threshold: MacieFindingSeverity): events.EventPattern {
    return {
      source: ['aws.macie'],
      detailType: ['Macie Finding'],
      detail: { severity: { description: SEVERITIES.slice(SEVERITIES.indexOf(threshold)) } },
    };
  }

  /** The Macie session, when `enableMacie` is true. */
  public readonly session?: macie.CfnSession;
  /** The EventBridge rule that publishes findings to the topic. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: SensitiveDataDiscoveryProps) {
    super(scope, id);
    const threshold = props.severityThreshold ?? MacieFindingSeverity.MEDIUM;
    if (!SEVERITIES.includes(threshold)) {
      invalidProp(this, 'severityThreshold', threshold, 'Use MacieFindingSeverity.LOW, MEDIUM or HIGH.');
    }
    const enable = props.enableMacie ?? false;
    const frequency = props.findingPublishingFrequency;
    if (frequency !== undefined && !enable) {
      invalidProp(this, 'findingPublishingFrequency', frequency,
        'The frequency is a setting of the Macie session: set enableMacie to true, or change it where Macie was enabled.');
    }
    if (frequency !== undefined && !Object.values(MacieFindingPublishingFrequency).includes(frequency)) {
      invalidProp(this, 'findingPublishingFrequency', frequency, 'Use MacieFindingPublishingFrequency.FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS.');
    }
    if (props.removalPolicy !== undefined && !enable) {
      invalidProp(this, 'removalPolicy', props.removalPolicy, 'Only the Macie session has a removal policy: set enableMacie to true or remove the prop.');
    }

    if (enable) {
      this.session = new macie.CfnSession(this, 'Session', {
        status: 'ENABLED',
        findingPublishingFrequency: frequency ?? MacieFindingPublishingFrequency.FIFTEEN_MINUTES,
      });
      this.session.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    }

    this.rule = new events.Rule(this, 'Findings', {
      description: `Macie findings (sensitive data, S3 bucket policy) of severity ${threshold} or more`,
      eventPattern: SensitiveDataDiscovery.findingsPattern(threshold),
    });
    routeToTopic(this.rule, props.topic, props.deadLetterQueue);
  }
}
