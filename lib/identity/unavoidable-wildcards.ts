import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { nagName } from '../private/nag-names';

/** A wildcard the design makes unavoidable, acknowledged on exactly one policy with its reason. */
export interface UnavoidableWildcard {
  readonly policy: iam.ManagedPolicy;
  readonly resource: string;
  readonly reason: string;
}

export const REASONS = {
  objectPrefix: 'S3 object ARNs can name a key prefix only with a trailing wildcard; access is limited to the key prefix the user named.',
  jobLogStreams: 'SageMaker names log streams after the job (job name, slash, host) when the job starts; the wildcard covers the streams of jobs with the given name prefix in the SageMaker log group of this account and Region only.',
  endpointLogGroups: 'SageMaker creates one log group per endpoint (/aws/sagemaker/Endpoints/ followed by the endpoint name) with the endpoint; the wildcard covers the endpoints with the given name prefix in this account and Region only.',
  metrics: 'cloudwatch:PutMetricData supports no resource-level permission; the statement is limited by the cloudwatch:namespace condition to the namespaces the role names.',
  ecrToken: 'ecr:GetAuthorizationToken supports no resource-level permission (it returns a registry token); image pulls are limited to the named repositories by the other statement.',
  ec2Describe: 'The EC2 Describe* actions SageMaker calls in VPC mode (network interfaces, VPCs, subnets, security groups, DHCP options) support no resource-level permission; they return metadata only.',
  eni: 'Network interface IDs are assigned when SageMaker creates them; creation is limited to the named subnets and security groups, and permission/delete actions by the ec2:Subnet, ec2:Vpc and ec2:AuthorizedService conditions.',
  jobArns: 'SageMaker job, model and endpoint ARNs end with a name chosen at creation; the wildcard covers names with the role\'s jobNamePrefix in this account and Region only, and the request conditions pin VPC, KMS key and isolation.',
};

/**
 * Acknowledges the AwsSolutions-IAM5 finding of each wildcard a LeastPrivilegeSageMakerRole wrote
 * because IAM offers nothing narrower — one finding ID per resource pattern, on the one policy
 * that holds it. `acknowledged` holds the findings already acknowledged, should this run again.
 */
export function acknowledgeUnavoidableWildcards(wildcards: readonly UnavoidableWildcard[], acknowledged: Set<string>): void {
  const byPolicy = new Map<iam.ManagedPolicy, Map<string, string>>();
  for (const w of wildcards) {
    const flat = nagName(Stack.of(w.policy).resolve(w.resource));
    const id = `AwsSolutions-IAM5[Resource::${flat}]`;
    // Acknowledge each finding once, should the aspect run again.
    const key = `${w.policy.node.path}|${id}`;
    if (!flat.includes('*') || acknowledged.has(key)) continue;
    acknowledged.add(key);
    const findings = byPolicy.get(w.policy) ?? new Map<string, string>();
    findings.set(id, w.reason);
    byPolicy.set(w.policy, findings);
  }
  for (const [policy, findings] of byPolicy) {
    const byReason = new Map<string, string[]>();
    for (const [id, reason] of findings) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
    for (const [reason, ids] of byReason) {
      acknowledge(policy, ids.map((id) => ({ id, source: FindingSource.CDK_NAG })), reason);
    }
  }
}
