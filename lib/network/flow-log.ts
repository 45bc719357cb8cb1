import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The flow log `FlowLog` of all the VPC's traffic to `logGroup`, in `scope`, delivered through the
 * role `FlowLogRole`: trusted by VPC Flow Logs of this account only (confused-deputy conditions),
 * with a managed policy `FlowLogPolicy` that writes to that log group and nothing else.
 */
export function createFlowLog(scope: Construct, vpc: ec2.IVpc, logGroup: logs.LogGroup): ec2.FlowLog {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'FlowLogRole', {
    description: `Delivers the VPC flow logs of ${scope.node.path} to CloudWatch Logs`,
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*` },
      },
    }),
  });
  // A managed policy, not the role's inline default policy (IAMNoInlinePolicy): the L2 flow
  // log gets a role that ignores its policy additions.
  role.addManagedPolicy(new iam.ManagedPolicy(scope, 'FlowLogPolicy', {
    description: `Lets VPC Flow Logs write to the flow-log group of ${scope.node.path}`,
    statements: [new iam.PolicyStatement({
      sid: 'WriteFlowLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    })],
  }));
  return new ec2.FlowLog(scope, 'FlowLog', {
    resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
    destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
}
