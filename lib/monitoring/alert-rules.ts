import * as events from 'aws-cdk-lib/aws-events';
import type { NumberRule } from '../private/numbers';

/**
 * The GuardDuty severity threshold of the alert rules: findings are rated 1.0 to 10.0 (GuardDuty
 * User Guide, "Severity levels of GuardDuty findings"). A Lazy threshold is checked at synthesis;
 * one known only at deployment is left to EventBridge.
 */
export const SEVERITY_RULE: NumberRule = { min: 1, max: 10, fix: 'Give a GuardDuty severity between 1 and 10, e.g. 7 for high and critical findings.' };

/** One EventBridge rule of the alerting: construct ID, description and event pattern. */
export interface AlertRuleSpec {
  readonly id: string;
  readonly description: string;
  readonly eventPattern: events.EventPattern;
}

/**
 * The EventBridge rules every Region of an account needs, in the home Region (targeting the alert
 * topic) and in the other Regions (forwarding to the home Region's default event bus): EventBridge
 * rules see only the events of their own Region.
 */
export function alertRuleSpecs(guardDutySeverityThreshold: number): AlertRuleSpec[] {
  return [
    {
      id: 'GuardDutyFindings',
      description: `GuardDuty findings of severity ${guardDutySeverityThreshold} or more`,
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', guardDutySeverityThreshold] }] },
      },
    },
    {
      id: 'SecurityHubFindings',
      description: 'New, active Security Hub findings labelled CRITICAL or HIGH',
      eventPattern: {
        source: ['aws.securityhub'],
        detailType: ['Security Hub Findings - Imported'],
        detail: { findings: { Severity: { Label: ['CRITICAL', 'HIGH'] }, RecordState: ['ACTIVE'], Workflow: { Status: ['NEW'] } } },
      },
    },
    {
      id: 'EcrScanFindings',
      description: 'ECR scans on push that found CRITICAL or HIGH vulnerabilities',
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Scan'],
        detail: {
          'scan-status': ['COMPLETE'],
          'finding-severity-counts': { $or: [{ CRITICAL: [{ numeric: ['>', 0] }] }, { HIGH: [{ numeric: ['>', 0] }] }] },
        },
      },
    },
    {
      id: 'EcrEnhancedScanFindings',
      description: 'Amazon Inspector (ECR enhanced scanning) findings of CRITICAL or HIGH severity on container images',
      eventPattern: {
        source: ['aws.inspector2'],
        detailType: ['Inspector2 Finding'],
        detail: { severity: ['CRITICAL', 'HIGH'], status: ['ACTIVE'], resources: { type: ['AWS_ECR_CONTAINER_IMAGE'] } },
      },
    },
    // "AWS API Call via CloudTrail" events need a trail with logging enabled (EventBridge user
    // guide, "Events from AWS services"). Unlike the metric-filter alarm, the rule does not read the
    // trail's log group, which the trail key encrypts, and it publishes to a topic under the alert
    // key: disabling the trail key does not silence it.
    {
      id: 'KmsKeyDisabledOrScheduledForDeletion',
      description: 'A KMS key of this account was disabled or scheduled for deletion (also the trail and alert keys)',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['kms.amazonaws.com'], eventName: ['DisableKey', 'ScheduleKeyDeletion'] },
      },
    },
    {
      id: 'SageMakerEndpointStateChanges',
      description: 'Every SageMaker endpoint state change (created, updating, failed, deleting...)',
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Endpoint State Change'],
      },
    },
  ];
}
