import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SageMakerWorkload } from './least-privilege-sagemaker-role-props';
import { SAGEMAKER, WORKLOAD } from './sagemaker-workloads';
import { REASONS } from './unavoidable-wildcards';

/** Statements of one policy of the execution role, and the wildcards among their resources IAM makes unavoidable. */
export interface PolicyContent {
  readonly statements: iam.PolicyStatement[];
  /** In the order they are acknowledged. */
  readonly wildcards: { readonly resource: string; readonly reason: string }[];
}

/**
 * CloudWatch Logs to the SageMaker log groups of the workloads (streams of jobs named with
 * `jobNamePrefix`; for INFERENCE the per-endpoint log groups), metrics in `namespaces` (default:
 * the namespaces of the workloads).
 */
export function loggingStatements(scope: Construct, workloads: SageMakerWorkload[], jobNamePrefix: string | undefined,
  namespaces: string[] | undefined): PolicyContent {
  const stack = Stack.of(scope);
  const logArn = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const streamPattern = `${jobNamePrefix ?? ''}*`;
  const groups: string[] = [];
  const streams: string[] = [];
  const wildcards: PolicyContent['wildcards'] = [];
  const seen = new Set<string>();
  for (const w of workloads) {
    // PROCESSING and MONITORING share the processing-job log group.
    if (seen.has(WORKLOAD[w].logGroup)) continue;
    seen.add(WORKLOAD[w].logGroup);
    if (w === SageMakerWorkload.INFERENCE) {
      const group = logArn(`${WORKLOAD[w].logGroup}/${jobNamePrefix ?? ''}*`);
      groups.push(group);
      streams.push(`${group}:log-stream:*`);
      wildcards.push({ resource: group, reason: REASONS.endpointLogGroups });
      wildcards.push({ resource: `${group}:log-stream:*`, reason: REASONS.endpointLogGroups });
    } else {
      const group = logArn(WORKLOAD[w].logGroup);
      groups.push(group);
      streams.push(`${group}:log-stream:${streamPattern}`);
      wildcards.push({ resource: `${group}:log-stream:${streamPattern}`, reason: REASONS.jobLogStreams });
    }
  }
  const statements = [
    new iam.PolicyStatement({
      sid: 'SageMakerLogGroupsOfThisAccountAndRegion',
      actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
      resources: groups,
    }),
    new iam.PolicyStatement({
      sid: 'SageMakerLogStreams',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: streams,
    }),
    new iam.PolicyStatement({
      sid: 'MetricsInSageMakerNamespaces',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': namespaces ?? [...new Set(workloads.flatMap((w) => WORKLOAD[w].namespaces))] } },
    }),
  ];
  wildcards.push({ resource: '*', reason: REASONS.metrics });
  return { statements, wildcards };
}

/** ECR pulls from the named repositories, and the registry token (which has no resource). */
export function imagePullStatements(repositories: ecr.IRepository[]): PolicyContent {
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'PullFromNamedRepositories',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: repositories.map((r) => r.repositoryArn),
      }),
      new iam.PolicyStatement({
        sid: 'RegistryAuthorizationToken',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    ],
    wildcards: [{ resource: '*', reason: REASONS.ecrToken }],
  };
}

/** VPC-mode network interfaces in the named subnets and security groups of `vpc`. */
export function networkStatements(scope: Construct, vpc: ec2.IVpc, subnetIds: string[], securityGroupIds: string[]): PolicyContent {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const subnetArns = subnetIds.map((id) => ec2Arn('subnet', id));
  const vpcArn = ec2Arn('vpc', vpc.vpcId);
  const eni = ec2Arn('network-interface', '*');
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'CreateInterfacesInNamedSubnetsAndSecurityGroups',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [...subnetArns, ...securityGroupIds.map((id) => ec2Arn('security-group', id)), eni],
      }),
      new iam.PolicyStatement({
        sid: 'LetSageMakerUseInterfacesInNamedSubnets',
        actions: ['ec2:CreateNetworkInterfacePermission'],
        resources: [eni],
        conditions: {
          StringEquals: { 'ec2:AuthorizedService': SAGEMAKER },
          ArnEquals: { 'ec2:Subnet': subnetArns, 'ec2:Vpc': vpcArn },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DeleteInterfacesInNamedSubnets',
        actions: ['ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [eni],
        conditions: { ArnEquals: { 'ec2:Subnet': subnetArns, 'ec2:Vpc': vpcArn } },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeNetwork',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions'],
        resources: ['*'],
      }),
    ],
    wildcards: [{ resource: eni, reason: REASONS.eni }, { resource: '*', reason: REASONS.ec2Describe }],
  };
}
