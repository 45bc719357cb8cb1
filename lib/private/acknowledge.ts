import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Where a finding comes from. The plugin name is the namespace CDK's validation report
 * uses to match an acknowledgement to a violation.
 */
export enum FindingSource {
  /** A cdk-nag pack (AwsSolutions, HIPAA.Security, NIST.800.53.R5, PCI.DSS.321, Serverless). */
  CDK_NAG = 'cdk-nag',
  /** A rule of the AWS Control Tower proactive controls, run by the cfn-guard validator. */
  CFN_GUARD = 'cdk-validator-cfnguard',
}

/** One acknowledged finding. */
export interface Finding {
  /**
   * The rule, as the report names it: `AwsSolutions-S1`, `AwsSolutions-IAM5[Resource::*]`,
   * `HIPAA.Security-S3BucketLoggingEnabled`, or a guard rule name such as
   * `s3_bucket_logging_enabled_check`.
   */
  readonly id: string;
  /** Which tool reports it. */
  readonly source: FindingSource;
}

const MIN_REASON_LENGTH = 20;

/**
 * Acknowledges findings on exactly one resource, with a reason a reviewer can check.
 *
 * Writes the cdk-nag v3 acknowledgement (`Validations.of(resource).acknowledge`), which also
 * silences the finding in CDK's validation report, and the cdk-nag v2 suppression metadata
 * (`Metadata.cdk_nag.rules_to_suppress`) on the CloudFormation resource, so users of either
 * major version see the same result.
 *
 * @param scope the resource, or an L2 construct whose default child is the resource
 */
export function acknowledge(scope: IConstruct, findings: Finding[], reason: string): void {
  const resource = resourceOf(scope);
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`acknowledge(${resource.node.path}): a reason a reviewer can check is required (got ${JSON.stringify(reason)})`);
  }
  if (findings.length === 0) {
    throw new Error(`acknowledge(${resource.node.path}): name at least one finding`);
  }
  for (const finding of findings) {
    const id = finding.source === FindingSource.CFN_GUARD ? `${FindingSource.CFN_GUARD}::${finding.id}` : finding.id;
    Validations.of(resource).acknowledge({ id, reason });
    if (finding.source === FindingSource.CDK_NAG) addV2Suppression(resource, finding.id, reason);
  }
}

function resourceOf(scope: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(scope)) return scope;
  const child = scope.node.defaultChild;
  if (child && CfnResource.isCfnResource(child)) return child;
  throw new Error(`acknowledge(${scope.node.path}): not a CloudFormation resource nor an L2 construct with one; acknowledge on the resource itself`);
}

/** cdk-nag v2 format: `{ id: 'AwsSolutions-IAM5', reason, appliesTo: ['Resource::*'] }`. */
function addV2Suppression(resource: CfnResource, findingId: string, reason: string): void {
  const match = /^([^[]+)\[(.+)\]$/.exec(findingId);
  const entry = match ? { id: match[1], reason, appliesTo: [match[2]] } : { id: findingId, reason };
  const metadata = resource.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined;
  const rules = [...(metadata?.rules_to_suppress ?? []), entry];
  resource.addMetadata('cdk_nag', { ...metadata, rules_to_suppress: rules });
}
