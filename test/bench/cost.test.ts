import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template as Assert } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { estimateIdleMonthlyCost, PriceData, Template } from '../../scripts/bench/cost';

const prices: PriceData = JSON.parse(fs.readFileSync(path.join(__dirname, '../../scripts/prices.json'), 'utf8'));

/** Price of an item of the data file, so the expectations follow the file when a price changes. */
const unit = (item: string) => prices.items[item].price;
const HOURS = prices.hoursPerMonth;

function interfaceEndpoint(subnets: number) {
  return {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: { VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-east-1.sts', SubnetIds: Array.from({ length: subnets }, (_, i) => ({ Ref: `Subnet${i}` })) },
  };
}

describe('the price data file', () => {
  test('every item has a unit, a non-negative price, a source URL and a date', () => {
    expect(prices.region).toBe('us-east-1');
    expect(prices.hoursPerMonth).toBe(730);
    for (const [name, item] of Object.entries(prices.items)) {
      expect({ name, unit: item.unit }).toEqual({ name, unit: expect.stringMatching(/-(hour|month)$/) });
      expect(item.price).toBeGreaterThanOrEqual(0);
      expect(item.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(item.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('estimateIdleMonthlyCost', () => {
  test('2 interface endpoints in 3 AZs are 6 endpoint-AZ-hours for a whole month', () => {
    const estimate = estimateIdleMonthlyCost({ Resources: { A: interfaceEndpoint(3), B: interfaceEndpoint(3) } }, prices);
    expect(estimate.lines).toEqual([expect.objectContaining({ item: 'interfaceEndpointAzHour', quantity: 6, hourly: true })]);
    expect(estimate.monthly).toBeCloseTo(6 * unit('interfaceEndpointAzHour') * HOURS, 2);
    expect(estimate.monthly).toBeCloseTo(43.8, 2); // 6 × $0.01 × 730 h at the recorded list price
  });

  test('a template with no billable resources costs 0', () => {
    const app = new App();
    const stack = new Stack(app, 'Free');
    new s3.Bucket(stack, 'Bucket');
    const template = Assert.fromStack(stack).toJSON() as Template;
    const estimate = estimateIdleMonthlyCost(template, prices);
    expect(estimate).toEqual({ monthly: 0, lines: [], notModelled: [], unpriced: [] });
    expect(estimateIdleMonthlyCost({}, prices).monthly).toBe(0);
  });

  test('gateway endpoints are free', () => {
    const app = new App();
    const stack = new Stack(app, 'Gateway');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, restrictDefaultSecurityGroup: false });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const estimate = estimateIdleMonthlyCost(Assert.fromStack(stack).toJSON() as Template, prices);
    expect(estimate.monthly).toBe(0);
    expect(estimate.notModelled).toEqual([]);
  });

  test('NAT gateways and their Elastic IPs are priced per hour', () => {
    const app = new App();
    const stack = new Stack(app, 'Nat');
    new ec2.Vpc(stack, 'Vpc', { natGateways: 2, maxAzs: 2, restrictDefaultSecurityGroup: false });
    const estimate = estimateIdleMonthlyCost(Assert.fromStack(stack).toJSON() as Template, prices);
    expect(estimate.monthly).toBeCloseTo(2 * (unit('natGatewayHour') + unit('publicIpv4Hour')) * HOURS, 2);
  });

  test('keys, a web ACL with its rules, alarms (per metric) and secrets are priced per month', () => {
    const estimate = estimateIdleMonthlyCost({
      Resources: {
        Key1: { Type: 'AWS::KMS::Key' },
        Key2: { Type: 'AWS::KMS::Key' },
        Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }] } },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Period: 300 } },
        MathAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ Id: 'a', MetricStat: { Period: 300 } }, { Id: 'b', MetricStat: { Period: 300 } }, { Id: 'e', Expression: 'a/b' }] } },
        FastAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Period: 10 } },
        Secret: { Type: 'AWS::SecretsManager::Secret' },
        Trail: { Type: 'AWS::CloudTrail::Trail' },
      },
    }, prices);
    const expected = 2 * unit('kmsKeyMonth') + unit('wafWebAclMonth') + 3 * unit('wafRuleMonth')
      + 3 * unit('cloudWatchAlarmMetricMonth') + unit('cloudWatchHighResAlarmMetricMonth') + unit('secretMonth') + 0;
    expect(estimate.monthly).toBeCloseTo(expected, 2);
    expect(estimate.lines.find((l) => l.item === 'cloudWatchAlarmMetricMonth')?.quantity).toBe(3);
    expect(estimate.lines.find((l) => l.item === 'cloudTrailTrailMonth')?.monthly).toBe(0);
  });

  test('a SageMaker endpoint bills its initial instances of its config; a serverless variant bills nothing', () => {
    const template: Template = {
      Resources: {
        Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }, { ServerlessConfig: { MaxConcurrency: 1 } }] } },
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } },
      },
    };
    const estimate = estimateIdleMonthlyCost(template, prices);
    expect(estimate.monthly).toBeCloseTo(2 * prices.sageMakerHostingInstanceHour.prices['ml.m5.large'] * HOURS, 2);
    expect(estimate.unpriced).toEqual([]);
  });

  test('what it cannot price is reported, not silently counted as free', () => {
    const estimate = estimateIdleMonthlyCost({
      Resources: {
        Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ VariantName: 'Big', InstanceType: 'ml.p5.48xlarge', InitialInstanceCount: 1 }] } },
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } },
        Imported: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: { 'Fn::Split': [',', 'x'] } } },
        Db: { Type: 'AWS::RDS::DBInstance' },
      },
    }, prices);
    expect(estimate.monthly).toBe(0);
    expect(estimate.unpriced).toEqual([expect.stringContaining('ml.p5.48xlarge'), expect.stringContaining('Imported')]);
    expect(estimate.notModelled).toEqual(['AWS::RDS::DBInstance']);
  });
});
