import { Token } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { routeToTopic } from './finding-routes';
import { invalidProp } from '../private/errors';
import { checkNumberProp } from '../private/numbers';

/** Whose principals IAM Access Analyzer trusts: findings are about access from outside this zone. */
export enum AccessAnalysisZoneOfTrust {
  /** The account of the stack (analyzer types ACCOUNT and ACCOUNT_UNUSED_ACCESS). */
  ACCOUNT = 'ACCOUNT',
  /**
   * The organization of the account (ORGANIZATION and ORGANIZATION_UNUSED_ACCESS). The stack must
   * be deployed in the organization's management account or a delegated administrator account.
   */
  ORGANIZATION = 'ORGANIZATION',
}

/** Which analyzer of `AccessAnalysis` an archive rule belongs to. */
export enum AccessAnalysisAnalyzer {
  /** The external-access analyzer (resource policies that grant access outside the zone of trust). */
  EXTERNAL_ACCESS = 'EXTERNAL_ACCESS',
  /** The unused-access analyzer (roles, users, permissions, keys and passwords not used). */
  UNUSED_ACCESS = 'UNUSED_ACCESS',
}

/**
 * One criterion of an archive rule: a finding property (a filter key of the IAM user guide,
 * "IAM Access Analyzer filter keys", e.g. `resource`, `principal.AWS`, `resourceType`) and at
 * least one operator.
 */
export interface AccessArchiveFilter {
  /**
   * The finding property the criterion applies to, e.g. `resource` or `principal.AWS`.
   */
  readonly property: string;
  /**
   * The property equals one of these values (1 to 20 values).
   * @default - not this operator
   */
  readonly eq?: string[];
  /**
   * The property equals none of these values (1 to 20 values).
   * @default - not this operator
   */
  readonly neq?: string[];
  /**
   * The property contains one of these values (1 to 20 values).
   * @default - not this operator
   */
  readonly contains?: string[];
  /**
   * The property exists (true) or does not (false).
   * @default - not this operator
   */
  readonly exists?: boolean;
}

/**
 * An archive rule: new findings that match every filter are archived automatically, so they do
 * not page (IAM user guide, "Archive rules").
 */
export interface AccessArchiveRule {
  /** The rule name: a letter, then letters, digits, `_`, `.` or `-`; at most 255 characters. */
  readonly ruleName: string;
  /** The criteria, all of which a finding must meet (at least one). */
  readonly filters: AccessArchiveFilter[];
  /**
   * The analyzer the rule archives findings of.
   * @default AccessAnalysisAnalyzer.EXTERNAL_ACCESS
   */
  readonly analyzer?: AccessAnalysisAnalyzer;
}

/** Properties of `AccessAnalysis`. */
export interface AccessAnalysisProps {
  /** The topic that active findings are published to (e.g. `AiSecurityMonitoring.topic`). */
  readonly topic: sns.ITopic;
  /**
   * The queue EventBridge sends findings to when it cannot deliver them to the topic
   * (e.g. `AiSecurityMonitoring.deadLetterQueue`, which already alarms when it holds a message).
   */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * The zone of trust of both analyzers.
   * @default AccessAnalysisZoneOfTrust.ACCOUNT
   */
  readonly zoneOfTrust?: AccessAnalysisZoneOfTrust;
  /**
   * Create the external-access analyzer (free of charge).
   * @default true
   */
  readonly externalAccess?: boolean;
  /**
   * Create the unused-access analyzer (charged per IAM role and user analyzed per month).
   * @default true
   */
  readonly unusedAccess?: boolean;
  /**
   * The tracking period of the unused-access analyzer, in days, 1 to 365
   * (CloudFormation, AWS::AccessAnalyzer::Analyzer UnusedAccessConfiguration).
   * @default 90
   */
  readonly unusedAccessAge?: number;
  /**
   * Name prefix of the analyzers (`<prefix>-external-access`, `<prefix>-unused-access`): a letter,
   * then letters, digits, `_`, `.` or `-`.
   * @default - CloudFormation generates the names
   */
  readonly analyzerNamePrefix?: string;
  /**
   * Archive rules for findings that are expected (e.g. a bucket shared on purpose).
   * @default - none
   */
  readonly archiveRules?: AccessArchiveRule[];
}

/** A letter, then letters, digits, `_`, `.` or `-`, 1 to 255 characters (IAM Access Analyzer API reference, CreateAnalyzer). */
const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * IAM Access Analyzer for the account (or organization): an external-access analyzer and an
 * unused-access analyzer, whose ACTIVE findings an EventBridge rule publishes to the alert topic.
 *
 * Archived and resolved findings, and deletion events (`isDeleted: true`, status unchanged), do
 * not page (IAM user guide, "Monitoring AWS Identity and Access Management Access Analyzer with
 * Amazon EventBridge"). Access Analyzer is regional for external access: deploy one per Region in use.
 */
export class AccessAnalysis extends Construct {
  /** The event pattern of the rule: active, not deleted, external- or unused-access findings. */
  public static readonly FINDINGS_PATTERN: events.EventPattern = {
    source: ['aws.access-analyzer'],
    detailType: ['Access Analyzer Finding', 'Unused Access Finding for IAM entities'],
    detail: { status: ['ACTIVE'], isDeleted: [false] },
  };

  /** The external-access analyzer, if created. */
  public readonly externalAccessAnalyzer?: accessanalyzer.CfnAnalyzer;
  /** The unused-access analyzer, if created. */
  public readonly unusedAccessAnalyzer?: accessanalyzer.CfnAnalyzer;
  /** The EventBridge rule that publishes active findings to the topic. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: AccessAnalysisProps) {
    super(scope, id);
    const zone = props.zoneOfTrust ?? AccessAnalysisZoneOfTrust.ACCOUNT;
    const external = props.externalAccess ?? true;
    const unused = props.unusedAccess ?? true;
    if (!Object.values(AccessAnalysisZoneOfTrust).includes(zone)) {
      invalidProp(this, 'zoneOfTrust', zone, 'Use AccessAnalysisZoneOfTrust.ACCOUNT or ORGANIZATION.');
    }
    if (!external && !unused) {
      invalidProp(this, 'externalAccess', external, 'Enable at least one analyzer (externalAccess or unusedAccess), or do not create AccessAnalysis.');
    }
    const age = props.unusedAccessAge;
    if (age !== undefined && !unused) {
      invalidProp(this, 'unusedAccessAge', age, 'The tracking period applies to the unused-access analyzer only: remove it or set unusedAccess to true.');
    }
    checkNumberProp(this, 'unusedAccessAge', age, { integer: true, min: 1, max: 365, fix: 'Give a whole number of days between 1 and 365 (CloudFormation UnusedAccessConfiguration), e.g. 90.' });
    const prefix = props.analyzerNamePrefix;
    if (prefix !== undefined && !Token.isUnresolved(prefix) && !(NAME.test(prefix) && prefix.length <= 255 - '-external-access'.length)) {
      invalidProp(this, 'analyzerNamePrefix', prefix, 'Start with a letter and use only letters, digits, "_", "." or "-" (at most 239 characters), e.g. "ai-platform".');
    }
    const rules = props.archiveRules ?? [];
    rules.forEach((rule, i) => this.validateArchiveRule(rule, i, external, unused));
    const seen = new Set<string>();
    for (const r of rules) {
      const key = `${r.analyzer ?? AccessAnalysisAnalyzer.EXTERNAL_ACCESS}/${r.ruleName}`;
      if (seen.has(key)) invalidProp(this, 'archiveRules', r.ruleName, 'Give each archive rule of an analyzer a distinct ruleName.');
      seen.add(key);
    }
    const archiveRulesOf = (analyzer: AccessAnalysisAnalyzer): accessanalyzer.CfnAnalyzer.ArchiveRuleProperty[] | undefined => {
      const list = rules.filter((r) => (r.analyzer ?? AccessAnalysisAnalyzer.EXTERNAL_ACCESS) === analyzer).map((r) => ({
        ruleName: r.ruleName,
        filter: r.filters.map((f) => ({ property: f.property, eq: f.eq, neq: f.neq, contains: f.contains, exists: f.exists })),
      }));
      return list.length > 0 ? list : undefined;
    };

    if (external) {
      this.externalAccessAnalyzer = new accessanalyzer.CfnAnalyzer(this, 'ExternalAccessAnalyzer', {
        type: zone,
        analyzerName: prefix ? `${prefix}-external-access` : undefined,
        archiveRules: archiveRulesOf(AccessAnalysisAnalyzer.EXTERNAL_ACCESS),
      });
    }
    if (unused) {
      this.unusedAccessAnalyzer = new accessanalyzer.CfnAnalyzer(this, 'UnusedAccessAnalyzer', {
        type: `${zone}_UNUSED_ACCESS`,
        analyzerName: prefix ? `${prefix}-unused-access` : undefined,
        analyzerConfiguration: { unusedAccessConfiguration: { unusedAccessAge: age ?? 90 } },
        archiveRules: archiveRulesOf(AccessAnalysisAnalyzer.UNUSED_ACCESS),
      });
    }

    this.rule = new events.Rule(this, 'ActiveFindings', {
      description: 'Active IAM Access Analyzer findings (external and unused access); archived, resolved and deleted ones are not sent',
      eventPattern: AccessAnalysis.FINDINGS_PATTERN,
    });
    routeToTopic(this.rule, props.topic, props.deadLetterQueue);
  }

  private validateArchiveRule(rule: AccessArchiveRule, i: number, external: boolean, unused: boolean): void {
    const prop = `archiveRules[${i}]`;
    if (!Token.isUnresolved(rule.ruleName) && !(NAME.test(rule.ruleName) && rule.ruleName.length <= 255)) {
      invalidProp(this, `${prop}.ruleName`, rule.ruleName, 'Start with a letter and use only letters, digits, "_", "." or "-" (at most 255 characters).');
    }
    const analyzer = rule.analyzer ?? AccessAnalysisAnalyzer.EXTERNAL_ACCESS;
    if ((analyzer === AccessAnalysisAnalyzer.EXTERNAL_ACCESS && !external) || (analyzer === AccessAnalysisAnalyzer.UNUSED_ACCESS && !unused)) {
      invalidProp(this, `${prop}.analyzer`, analyzer, 'The rule targets an analyzer that is not created: enable it or point the rule at the other analyzer.');
    }
    if (!rule.filters || rule.filters.length === 0) {
      invalidProp(this, `${prop}.filters`, rule.filters, 'Give at least one filter: a rule without criteria would archive every new finding.');
    }
    rule.filters.forEach((f, j) => {
      const fp = `${prop}.filters[${j}]`;
      if (!f.property || (!Token.isUnresolved(f.property) && f.property.trim() === '')) {
        invalidProp(this, `${fp}.property`, f.property, 'Name the finding property, e.g. "resource" or "principal.AWS".');
      }
      const operators = (['eq', 'neq', 'contains', 'exists'] as const).filter((op) => f[op] !== undefined);
      if (operators.length === 0) {
        invalidProp(this, fp, f.property, 'Give an operator: eq, neq, contains or exists.');
      }
      for (const op of ['eq', 'neq', 'contains'] as const) {
        const values = f[op];
        if (values !== undefined && !Token.isUnresolved(values) && !(values.length >= 1 && values.length <= 20)) {
          invalidProp(this, `${fp}.${op}`, values, 'Give between 1 and 20 values (CloudFormation AWS::AccessAnalyzer::Analyzer Filter).');
        }
      }
    });
  }
}
