import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { BucketPrefixes, LeastPrivilegeSageMakerRoleProps, SageMakerWorkload } from './least-privilege-sagemaker-role-props';
import { policySize } from '../private/constraints';
import { invalidProp, isUnresolved } from '../private/errors';

const JOB_PREFIX = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,49}$/;

/** The workloads without duplicates; refuses an empty list and values that are no SageMakerWorkload. */
export function validateWorkloads(scope: IConstruct, prop: string, workloads: SageMakerWorkload[] | undefined): SageMakerWorkload[] {
  if (!Array.isArray(workloads) || workloads.length === 0) {
    invalidProp(scope, prop, workloads, 'Name what the role is for: [SageMakerWorkload.TRAINING], [SageMakerWorkload.PROCESSING], [SageMakerWorkload.INFERENCE], [SageMakerWorkload.MONITORING], or several.');
  }
  for (const w of workloads) {
    if (!Object.values(SageMakerWorkload).includes(w)) {
      invalidProp(scope, prop, workloads, `${String(w)} is not a SageMakerWorkload (TRAINING, PROCESSING, INFERENCE, MONITORING).`);
    }
  }
  return [...new Set(workloads)];
}

/** A SageMaker name prefix (a token passes unchecked). */
export function validateJobNamePrefix(scope: IConstruct, prefix: string | undefined): string | undefined {
  if (prefix === undefined || isUnresolved(prefix)) return prefix;
  if (!JOB_PREFIX.test(prefix)) {
    invalidProp(scope, 'jobNamePrefix', prefix,
      'SageMaker names allow letters, digits and hyphens and start with a letter or digit; give a prefix of at most 50 such characters, e.g. "fraud-".');
  }
  return prefix;
}

/** `inputs` or `outputs`: absent, or at least one entry. */
export function validateAccessList(scope: IConstruct, prop: string, list: BucketPrefixes[] | undefined): void {
  if (list === undefined) return;
  if (list.length === 0) invalidProp(scope, prop, list, `Name at least one bucket with prefixes, or leave \`${prop}\` out.`);
}

/** One bucket's access: a bucket, and folder prefixes or `wholeBucket` (not both). */
export function validateAccess(scope: IConstruct, at: string, access: BucketPrefixes): void {
  if (!access || !access.bucket) invalidProp(scope, `${at}.bucket`, access?.bucket, 'Give the bucket, e.g. `secureTrainingBucket.bucket`.');
  if (access.wholeBucket) {
    if (access.prefixes !== undefined) {
      invalidProp(scope, `${at}.prefixes`, access.prefixes, 'Give either `prefixes` or `wholeBucket: true`, not both.');
    }
    return;
  }
  if (access.prefixes === undefined) {
    invalidProp(scope, `${at}.prefixes`, access.prefixes, 'Name the key prefixes the jobs need, e.g. ["datasets/"]; whole buckets are granted only with `wholeBucket: true`.');
  }
  if (access.prefixes.length === 0) {
    invalidProp(scope, `${at}.prefixes`, access.prefixes, 'Name at least one key prefix, e.g. ["datasets/"].');
  }
  for (const p of access.prefixes) {
    if (Token.isUnresolved(p)) continue;
    if (p.trim() === '' || p.startsWith('/') || p.includes('*') || p.includes('?')) {
      invalidProp(scope, `${at}.prefixes`, access.prefixes, `"${p}" is not a key prefix: give one such as "datasets/" (not empty, no leading slash, no wildcard).`);
    }
    // "datasets" would be granted as datasets*, which also matches datasets-private/.
    if (!p.endsWith('/')) {
      invalidProp(scope, `${at}.prefixes`, access.prefixes,
        `"${p}" does not end with "/": it would be granted as "${p}*", which also matches keys such as "${p}-private/". Name the folder, e.g. "${p}/".`);
    }
  }
}

/** The subnet and security group IDs of VPC mode (none without `vpc`). */
export function validateNetwork(scope: IConstruct, props: LeastPrivilegeSageMakerRoleProps): { subnetIds: string[]; securityGroupIds: string[] } {
  if (!props.vpc) {
    if (props.vpcSubnets) invalidProp(scope, 'vpcSubnets', props.vpcSubnets, 'Subnets are selected from `vpc`: set `vpc` too.');
    if (props.securityGroups) invalidProp(scope, 'securityGroups', props.securityGroups, 'Security groups apply to VPC mode: set `vpc` too.');
    return { subnetIds: [], securityGroupIds: [] };
  }
  if (!props.securityGroups || props.securityGroups.length === 0) {
    invalidProp(scope, 'securityGroups', props.securityGroups, 'Name the security groups of the job network interfaces (VPC mode needs at least one).');
  }
  const selection = props.vpcSubnets ?? {};
  const subnetIds = props.vpc.selectSubnets(selection).subnetIds;
  if (subnetIds.length === 0) {
    invalidProp(scope, 'vpcSubnets', props.vpcSubnets, 'The selection matches no subnet of `vpc`; select the private or isolated subnets the jobs run in.');
  }
  return { subnetIds, securityGroupIds: props.securityGroups.map((sg) => sg.securityGroupId) };
}

/**
 * C-IAM-4: a managed policy document has at most 6,144 characters, whitespace not counted;
 * C-IAM-5: at most 10 managed policies per role by default (IAM user guide, "IAM and AWS STS
 * quotas"). Sizes are counted as written in the template.
 */
export function policyQuotaErrors(scope: IConstruct): string[] {
  const errors: string[] = [];
  const policies = scope.node.findAll().filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy);
  for (const policy of policies) {
    const size = policySize(scope, policy.document);
    if (size > 6144) {
      errors.push(`[cdk-secure-ai] ${policy.node.path}: the policy document has ${size} characters (whitespace not counted); a managed policy has at most 6,144 [C-IAM-4; IAM user guide, IAM and AWS STS quotas]. Name fewer prefixes, buckets or keys per role.`);
    }
  }
  const attached = policies.length; // a permissions boundary passed in is not a child, and not counted
  if (attached > 10) {
    errors.push(`[cdk-secure-ai] ${scope.node.path}: the role has ${attached} managed policies; a role has at most 10 by default [C-IAM-5; IAM user guide, IAM and AWS STS quotas]. Raise the quota or combine grants.`);
  }
  return errors;
}
