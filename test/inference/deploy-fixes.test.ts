import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { baseProps, inferenceStack } from './fixture';
import { PrivateInferenceEndpoint } from '../../lib';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';

/**
 * Findings of the review against the AWS documentation (issue 11, items 1, 7, 8, 9, 14) that live
 * in PrivateInferenceEndpoint. Each describe block failed on the construct before its fix.
 */

const S3_PREFIX_LIST = 'pl-63a5400a';
/** An address of S3 in us-east-1 (a member of the S3 prefix list, reached through the gateway endpoint). */
const S3_ADDRESS = '52.216.8.1';

interface Destination { readonly ip?: string; readonly prefixListId?: string }

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => (acc * 256) + Number(octet), 0);
}
function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  return ipToInt(ip) >= start && ipToInt(ip) < start + size;
}

/**
 * Security-group egress evaluation: does any egress rule of the group (inline or a separate
 * AWS::EC2::SecurityGroupEgress) allow TCP `port` to the destination? A rule matches when its
 * protocol is tcp or -1, its port range holds the port, and its CIDR holds the address or it names
 * the prefix list the destination belongs to.
 */
function egressAllows(template: Template, groupLogicalId: string, port: number, to: Destination & { memberOfPrefixList?: string }): boolean {
  const json = template.toJSON();
  const inline: any[] = json.Resources[groupLogicalId].Properties.SecurityGroupEgress ?? [];
  const separate = Object.values<any>(json.Resources)
    .filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && JSON.stringify(r.Properties.GroupId).includes(groupLogicalId))
    .map((r) => r.Properties);
  return [...inline, ...separate].some((rule) => {
    const protocolOk = rule.IpProtocol === '-1' || rule.IpProtocol === 'tcp';
    const portOk = rule.IpProtocol === '-1' || (rule.FromPort <= port && port <= rule.ToPort);
    const cidrOk = to.ip !== undefined && typeof rule.CidrIp === 'string' && cidrContains(rule.CidrIp, to.ip);
    const plOk = to.memberOfPrefixList !== undefined && rule.DestinationPrefixListId === to.memberOfPrefixList;
    return protocolOk && portOk && (cidrOk || plOk);
  });
}

describe('issue 11 #1: SageMaker reaches S3 (artifact, data capture) through the gateway endpoint', () => {
  test('the evaluator can fail: a group with HTTPS to the VPC CIDR only does not reach S3 (canary)', () => {
    const template = Template.fromJSON({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' }] } } } });
    expect(egressAllows(template, 'Sg', 443, { ip: S3_ADDRESS, memberOfPrefixList: S3_PREFIX_LIST })).toBe(false);
    expect(egressAllows(template, 'Sg', 443, { ip: '10.0.3.7' })).toBe(true);
  });

  test('by default the model\'s group allows HTTPS to S3 and to the interface endpoints, and nothing else', () => {
    const { stack, endpoint } = inferenceStack({}, { checks: false });
    const template = Template.fromStack(stack);
    const sg = stack.getLogicalId(endpoint.securityGroup.node.defaultChild as any);
    expect(egressAllows(template, sg, 443, { ip: S3_ADDRESS, memberOfPrefixList: S3_PREFIX_LIST })).toBe(true);
    expect(egressAllows(template, sg, 443, { ip: '10.0.3.7' })).toBe(true);
    expect(egressAllows(template, sg, 80, { ip: S3_ADDRESS })).toBe(false);
    expect(egressAllows(template, sg, 22, { ip: '10.0.3.7' })).toBe(false);
  });

  test('with s3PrefixListId, HTTPS goes to the VPC CIDR and the S3 prefix list only: not to other public addresses', () => {
    const { stack, endpoint } = inferenceStack({ s3PrefixListId: S3_PREFIX_LIST }, { checks: false });
    const template = Template.fromStack(stack);
    const sg = stack.getLogicalId(endpoint.securityGroup.node.defaultChild as any);
    expect(egressAllows(template, sg, 443, { ip: S3_ADDRESS, memberOfPrefixList: S3_PREFIX_LIST })).toBe(true);
    expect(egressAllows(template, sg, 443, { ip: '10.0.3.7' })).toBe(true);
    expect(egressAllows(template, sg, 443, { ip: '8.8.8.8' })).toBe(false);
  });

  test('a malformed prefix list ID is rejected, naming the prop', () => {
    expectInvalidProp(() => inferenceStack({ s3PrefixListId: 'com.amazonaws.us-east-1.s3' }, { checks: false }), 'Inference/Endpoint', /s3PrefixListId/);
  });

  test('with s3PrefixListId, an imported VPC without its CIDR is rejected naming the construct and `vpc` (not CDK\'s generic message)', () => {
    const noCidr = (stack: Stack) => ({
      s3PrefixListId: S3_PREFIX_LIST,
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'NoCidrVpc', {
        vpcId: 'vpc-0fedcba9876543210',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      }),
    });
    expectInvalidProp(() => inferenceStack(noCidr, { checks: false }), 'Inference/Endpoint', /invalid `vpc`.*vpcCidrBlock/s);
    // without the prefix list the CIDR is not needed: the same VPC is accepted
    expect(() => inferenceStack((stack) => ({ vpc: noCidr(stack).vpc }), { checks: false })).not.toThrow();
  });
});

describe('issue 11 #14: every API has its own name, and its alarms use it', () => {
  const app = createTestApp({ checks: false });
  const stack = new Stack(app, 'TwoApis', { env: { account: '111122223333', region: 'us-east-1' } });
  const props = baseProps(stack);
  const first = new PrivateInferenceEndpoint(stack, 'Sentiment', props);
  const second = new PrivateInferenceEndpoint(stack, 'Summary', { ...props, endpointName: 'summary' });
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const nameOf = (e: PrivateInferenceEndpoint) => json.Resources[stack.getLogicalId(e.api.node.defaultChild as any)].Properties.Name;

  test('two endpoints in one account get two API names', () => {
    expect(nameOf(first)).not.toEqual(nameOf(second));
    expect(nameOf(first)).toMatch(/Sentiment/);
  });

  test('every API Gateway alarm is keyed by the name of its own API', () => {
    for (const endpoint of [first, second]) {
      const apiAlarms = endpoint.alarms
        .map((a) => json.Resources[stack.getLogicalId(a.node.defaultChild as any)].Properties)
        .filter((p) => p.Namespace === 'AWS/ApiGateway');
      expect(apiAlarms).toHaveLength(3);
      for (const alarm of apiAlarms) {
        expect(alarm.Dimensions).toEqual(expect.arrayContaining([{ Name: 'ApiName', Value: nameOf(endpoint) }]));
      }
    }
  });

  test('a name is validated', () => {
    expectInvalidProp(() => inferenceStack({ apiName: '' }, { checks: false }), 'Inference/Endpoint', /apiName/);
  });
});

/** What API Gateway does with an AWS integration's response: the first selection pattern that matches the whole status code wins, else the default. */
function methodStatusFor(integrationResponses: any[], backendStatus: number): string {
  const matching = integrationResponses.filter((r) => r.SelectionPattern !== undefined && new RegExp(`^(?:${r.SelectionPattern})$`).test(String(backendStatus)));
  if (matching.length > 1) throw new Error(`status ${backendStatus} matches ${matching.length} selection patterns: the choice would be ambiguous`);
  return (matching[0] ?? integrationResponses.find((r) => r.SelectionPattern === undefined)).StatusCode;
}

describe('issue 11 #8: SageMaker errors reach the caller, and the 5XX alarm, as the right class', () => {
  const { stack, endpoint } = inferenceStack({}, { checks: false });
  const json = Template.fromStack(stack).toJSON();
  const method = json.Resources[stack.getLogicalId(endpoint.method.node.defaultChild as any)].Properties;
  const responses = method.Integration.IntegrationResponses;

  // InvokeEndpoint errors (SageMaker Runtime API reference, InvokeEndpoint, "Errors"):
  // ValidationError 400, ModelError 424, ModelNotReadyException 429, InternalFailure 500,
  // ServiceUnavailable 503, InternalDependencyException 530; AccessDenied on the integration role 403.
  test.each([
    [200, '200'],
    [400, '400'], // ValidationError: the caller's request
    [424, '502'], // ModelError: the container failed
    [429, '503'], // ModelNotReadyException: not ready, retry later
    [403, '500'], // the integration role may not invoke the endpoint: the API's own fault
    [500, '502'],
    [503, '503'],
    [530, '502'],
  ])('SageMaker %d answers the caller %s', (backend, expected) => {
    expect(methodStatusFor(responses, backend)).toBe(expected);
  });

  test('every status 400-599 maps to exactly one response, and model failures are never 4XX', () => {
    for (let status = 400; status < 600; status++) {
      const mapped = Number(methodStatusFor(responses, status));
      if (status === 424 || status >= 500) expect(mapped).toBeGreaterThanOrEqual(500);
    }
  });

  test('every mapped status is a declared method response', () => {
    const declared = method.MethodResponses.map((r: any) => r.StatusCode).sort();
    expect([...new Set(responses.map((r: any) => r.StatusCode))].sort()).toEqual(declared);
  });
});

describe('issue 11 #7: the stack owns API Gateway\'s execution log group', () => {
  const { stack, endpoint } = inferenceStack({}, { checks: false });
  const json = Template.fromStack(stack).toJSON();
  const apiId = stack.getLogicalId(endpoint.api.node.defaultChild as any);

  test('a log group named API-Gateway-Execution-Logs_{restApiId}/{stage}, KMS-encrypted, kept a year, retained', () => {
    const group = json.Resources[stack.getLogicalId(endpoint.executionLogGroup!.node.defaultChild as any)];
    expect(group.Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/prod']] });
    expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(endpoint.monitoringEncryptionKey.node.defaultChild as any), 'Arn'] });
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(group.DeletionPolicy).toBe('Retain');
  });

  test('the stage is created after the log group, so the service never creates its own', () => {
    const stage = json.Resources[stack.getLogicalId(endpoint.stage.node.defaultChild as any)];
    expect(stage.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(endpoint.executionLogGroup!.node.defaultChild as any)]));
  });

  test('the monitoring key lets CloudWatch Logs use it for that log group', () => {
    const key = json.Resources[stack.getLogicalId(endpoint.monitoringEncryptionKey.node.defaultChild as any)];
    const logs = key.Properties.KeyPolicy.Statement.find((s: any) => s.Principal?.Service === 'logs.us-east-1.amazonaws.com');
    const pattern: string = logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'];
    const arn = 'arn:aws:logs:us-east-1:111122223333:log-group:API-Gateway-Execution-Logs_a1b2c3d4e5/prod';
    expect(new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(arn)).toBe(true);
  });

  test('an upgrade of a deployed stage can leave the service\'s group alone', () => {
    const { endpoint: e } = inferenceStack({ createExecutionLogGroup: false }, { checks: false });
    expect(e.executionLogGroup).toBeUndefined();
  });
});

describe('issue 11 #9: changing the instance type of an autoscaled variant', () => {
  const synth = (props: Record<string, unknown>) => {
    const { stack, endpoint } = inferenceStack(props, { checks: false });
    return { json: Template.fromStack(stack).toJSON(), stack, endpoint };
  };
  const ofType = (json: any, type: string) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type);

  test('a type change alone keeps the scalable target registered while the endpoint is updated: the update SageMaker refuses', () => {
    const before = synth({ instanceType: 'ml.m5.large' });
    const after = synth({ instanceType: 'ml.m5.xlarge' });
    const targetsBefore = ofType(before.json, 'AWS::ApplicationAutoScaling::ScalableTarget');
    const targetsAfter = ofType(after.json, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(targetsAfter).toEqual(targetsBefore); // unchanged: still registered during UpdateEndpoint
    const configBefore = ofType(before.json, 'AWS::SageMaker::EndpointConfig')[0][1].Properties.ProductionVariants[0].InstanceType;
    const configAfter = ofType(after.json, 'AWS::SageMaker::EndpointConfig')[0][1].Properties.ProductionVariants[0].InstanceType;
    expect([configBefore, configAfter]).toEqual(['ml.m5.large', 'ml.m5.xlarge']);
  });

  test('step 1, enableAutoScaling: false, deregisters the variant (no target, no policy) and leaves the endpoint as it is', () => {
    const before = synth({});
    const step1 = synth({ enableAutoScaling: false });
    expect(ofType(step1.json, 'AWS::ApplicationAutoScaling::ScalableTarget')).toEqual([]);
    expect(ofType(step1.json, 'AWS::ApplicationAutoScaling::ScalingPolicy')).toEqual([]);
    expect(ofType(step1.json, 'AWS::SageMaker::Endpoint')).toEqual(ofType(before.json, 'AWS::SageMaker::Endpoint'));
    expect(ofType(step1.json, 'AWS::SageMaker::EndpointConfig')).toEqual(ofType(before.json, 'AWS::SageMaker::EndpointConfig'));
    expect(step1.endpoint.scalableTarget).toBeUndefined();
  });

  test('step 2, the new type with autoscaling back on, registers the target only after the endpoint update', () => {
    const step2 = synth({ instanceType: 'ml.m5.xlarge' });
    const [, target] = ofType(step2.json, 'AWS::ApplicationAutoScaling::ScalableTarget')[0];
    const [endpointId] = ofType(step2.json, 'AWS::SageMaker::Endpoint')[0];
    expect(target.DependsOn).toEqual(expect.arrayContaining([endpointId]));
  });
});
