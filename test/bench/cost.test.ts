import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template as Assert } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AccessAnalysis, SensitiveDataDiscovery } from '../../lib';
import { estimateIdleMonthlyCost, executionsPerMonth, PriceData, Template } from '../../scripts/bench/cost';
import { stageOf } from '../../scripts/bench/inventory';

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

  test('every type it cannot price has a reason, a source URL and a date, and is in no other list', () => {
    expect(Object.keys(prices.notPriced.types)).toContain('AWS::SageMaker::MonitoringSchedule');
    for (const [type, entry] of Object.entries(prices.notPriced.types)) {
      expect(entry.reason.length).toBeGreaterThan(40);
      expect(entry.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(entry.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(prices.usageOnly.types).not.toContain(type);
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

  test('an external access analyzer is free; an unused access analyzer bills each IAM role and user of the account\'s templates', () => {
    const role = { Type: 'AWS::IAM::Role' };
    const operations: Template = {
      Resources: {
        External: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { Type: 'ACCOUNT' } },
        Unused: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { Type: 'ACCOUNT_UNUSED_ACCESS', AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } } } },
        OwnRole: role,
      },
    };
    const data: Template = { Resources: { RoleA: role, RoleB: role, User: { Type: 'AWS::IAM::User' }, Bucket: { Type: 'AWS::S3::Bucket' } } };
    const estimate = estimateIdleMonthlyCost(operations, prices, [operations, data]);
    expect(estimate.lines).toEqual([
      expect.objectContaining({ item: 'accessAnalyzerExternalMonth', quantity: 1, monthly: 0 }),
      expect.objectContaining({ item: 'accessAnalyzerUnusedPrincipalMonth', quantity: 4 }),
    ]);
    expect(estimate.monthly).toBeCloseTo(4 * unit('accessAnalyzerUnusedPrincipalMonth'), 2);
    expect(estimate.notModelled).toEqual([]);
    // Canary: without the other templates of the account, only the analyzer's own stack is counted.
    expect(estimateIdleMonthlyCost(operations, prices).lines.find((l) => l.item === 'accessAnalyzerUnusedPrincipalMonth')?.quantity).toBe(1);
  });

  test('a Macie session bills each S3 bucket of the account\'s templates; a paused one is reported, not priced', () => {
    const operations: Template = { Resources: { Session: { Type: 'AWS::Macie::Session', Properties: { Status: 'ENABLED' } }, Trail: { Type: 'AWS::S3::Bucket' } } };
    const data: Template = { Resources: { Training: { Type: 'AWS::S3::Bucket' }, Logs: { Type: 'AWS::S3::Bucket' }, Role: { Type: 'AWS::IAM::Role' } } };
    const estimate = estimateIdleMonthlyCost(operations, prices, [operations, data]);
    expect(estimate.lines).toEqual([expect.objectContaining({ item: 'macieBucketMonth', quantity: 3, hourly: false })]);
    expect(estimate.monthly).toBeCloseTo(3 * unit('macieBucketMonth'), 2);
    // The other templates are counted, not priced themselves: the data stack alone costs nothing.
    expect(estimateIdleMonthlyCost(data, prices, [operations, data]).monthly).toBe(0);
    const paused = estimateIdleMonthlyCost({ Resources: { Session: { Type: 'AWS::Macie::Session', Properties: { Status: 'PAUSED' } } } }, prices);
    expect(paused.monthly).toBe(0);
    expect(paused.unpriced).toEqual([expect.stringContaining('Session: Macie session with status "PAUSED"')]);
  });

  test('the AccessAnalysis and SensitiveDataDiscovery constructs are priced by these rules, counting the stage\'s other stacks', () => {
    const app = new App();
    const operations = new Stack(app, 'SecureAi-Prod-Operations');
    const alerting = { topic: new sns.Topic(operations, 'Topic'), deadLetterQueue: new sqs.Queue(operations, 'Dlq', { enforceSSL: true }) };
    new AccessAnalysis(operations, 'AccessAnalysis', alerting);
    new SensitiveDataDiscovery(operations, 'SensitiveData', { ...alerting, enableMacie: true });
    const data = new Stack(app, 'SecureAi-Prod-Data');
    new s3.Bucket(data, 'Training');
    new iam.Role(data, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const [ops, dat] = [operations, data].map((st) => Assert.fromStack(st).toJSON() as Template);
    expect(stageOf(operations.stackName)).toBe(stageOf(data.stackName));
    const count = (t: Template, type: string) => Object.values(t.Resources ?? {}).filter((r) => r.Type === type).length;
    const estimate = estimateIdleMonthlyCost(ops, prices, [ops, dat]);
    const quantity = (item: string) => estimate.lines.find((l) => l.item === item)?.quantity;
    expect(quantity('accessAnalyzerExternalMonth')).toBe(1);
    expect(quantity('accessAnalyzerUnusedPrincipalMonth')).toBe(count(ops, 'AWS::IAM::Role') + 1);
    expect(quantity('macieBucketMonth')).toBe(count(ops, 'AWS::S3::Bucket') + 1);
    expect(estimate.unpriced).toEqual([]);
    expect(estimate.notModelled).toEqual([]);
  });

  test('analyzers it cannot count or price are reported, not counted as free', () => {
    const estimate = estimateIdleMonthlyCost({
      Resources: {
        Org: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { Type: 'ORGANIZATION_UNUSED_ACCESS' } },
        Internal: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { Type: 'ACCOUNT_INTERNAL_ACCESS' } },
        Role: { Type: 'AWS::IAM::Role' },
      },
    }, prices);
    expect(estimate.monthly).toBe(0);
    expect(estimate.lines).toEqual([]);
    expect(estimate.unpriced).toEqual([expect.stringMatching(/^Org: unused access analyzer of the organization/), expect.stringMatching(/^Internal: .*"ACCOUNT_INTERNAL_ACCESS"/)]);
  });

  test('a Model Monitor schedule is listed as not priced, with its executions a month, runtime and instances; its job definition costs nothing', () => {
    const schedule = (expression: string) => ({
      Resources: {
        JobDefinition: {
          Type: 'AWS::SageMaker::DataQualityJobDefinition',
          Properties: { JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 } }, StoppingCondition: { MaxRuntimeInSeconds: 3600 } },
        },
        Schedule: {
          Type: 'AWS::SageMaker::MonitoringSchedule',
          Properties: {
            MonitoringScheduleConfig: {
              MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['JobDefinition', 'JobDefinitionArn'] }] }] },
              MonitoringType: 'DataQuality',
              ScheduleConfig: { ScheduleExpression: expression },
            },
          },
        },
      },
    });
    const hourly = estimateIdleMonthlyCost(schedule('cron(0 * ? * * *)'), prices);
    expect(hourly).toEqual({ monthly: 0, lines: [], notModelled: [], unpriced: [expect.any(String)] });
    expect(hourly.unpriced[0]).toContain(`Schedule: SageMaker Model Monitor schedule (DataQuality), ${HOURS} executions a month (cron(0 * ? * * *)), each up to 3600 s on 1 × ml.m5.xlarge: `);
    expect(hourly.unpriced[0]).toContain(prices.notPriced.types['AWS::SageMaker::MonitoringSchedule'].reason);
    const daily = estimateIdleMonthlyCost(schedule('cron(0 3 ? * * *)'), prices);
    expect(daily.unpriced[0]).toContain(`${Math.round((HOURS / 24) * 10) / 10} executions a month (cron(0 3 ? * * *))`);
    // Canary: a schedule whose job definition is elsewhere still names its schedule, and says so.
    const alone = estimateIdleMonthlyCost({ Resources: { Schedule: schedule('cron(0 * ? * * *)').Resources.Schedule } }, prices);
    expect(alone.unpriced[0]).toContain('each up to an unstated time (job definition not in this template)');
  });

  test('executionsPerMonth reads the schedule expressions Model Monitor accepts', () => {
    expect(executionsPerMonth('cron(0 * ? * * *)', 730)).toBe(730);
    expect(executionsPerMonth('cron(0 0 ? * * *)', 730)).toBe(30.4);
    expect(executionsPerMonth('cron(0 12 ? * * *)', 730)).toBe(30.4);
    expect(executionsPerMonth('cron(0 0/6 ? * * *)', 730)).toBe(121.7);
    expect(executionsPerMonth('NOW', 730)).toBeUndefined();
    expect(executionsPerMonth('cron(0 0 1 * ? *)', 730)).toBeUndefined();
    expect(executionsPerMonth({ Ref: 'Expression' }, 730)).toBeUndefined();
  });
});
