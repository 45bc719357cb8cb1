import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import {
  AccessAnalysis, AiSecurityMonitoring, BedrockInvocationLogging, BedrockModel, GuardedBedrockAccess, PrivateInferenceEndpoint,
  ModelQualityProblemType, MonitoringFrequency, NetworkStage, RegionalAlertForwarder, SecureDeliveryPipeline, SecureModelRepository, SegmentedAiVpc,
} from '../../lib';
import { baseProps } from '../inference/fixture';
import { CONNECTION_ARN } from '../pipeline/fixture';

/**
 * Every numeric prop of the library, in each form a number can take:
 * - a literal out of range is refused at construction, naming the prop;
 * - a value that is not a number (a string from JavaScript or another jsii language, null) is
 *   refused at construction and reported by its type (not as `null`);
 * - a `Lazy.number` is resolved at synthesis: an out-of-range one is refused then, naming the prop
 *   and the resolved value; an in-range one reaches the template;
 * - a value known only at deployment (a CfnParameter) is left to CloudFormation, except where the
 *   construct writes the number into a document it builds (then it is refused, naming the prop).
 * Synthesis-time checks are run through the construct tree's validations (what `app.synth()` runs);
 * templates are rendered without synthesis, to keep this file fast.
 */
interface Case {
  readonly construct: string;
  readonly prop: string;
  /** Builds the construct with `value` for `prop` (and whatever else it needs), in a fresh app. */
  readonly build: (stack: Stack, value: any) => IConstruct;
  readonly good: number;
  readonly bad: number;
  /** The part of the rendered template that carries the value. */
  readonly rendered: (template: any, value: number) => boolean;
  /** Why a value known only at deployment is refused; undefined when it is left to CloudFormation. */
  readonly synthOnly?: RegExp;
}

const ENV = { account: '111122223333', region: 'us-east-1' };
const MODEL = BedrockModel.foundationModel('anthropic.claude-3-haiku-20240307-v1:0');

const resources = (template: any, type: string): any[] => Object.values<any>(template.Resources).filter((r) => r.Type === type);
const alarmWith = (template: any, value: number) => resources(template, 'AWS::CloudWatch::Alarm').some((a) => a.Properties.Threshold === value);
const logGroupWith = (template: any, value: number) => resources(template, 'AWS::Logs::LogGroup').some((g) => g.Properties.RetentionInDays === value);
const severityRule = (template: any, value: number) => resources(template, 'AWS::Events::Rule')
  .some((r) => JSON.stringify(r.Properties.EventPattern?.detail?.severity) === JSON.stringify([{ numeric: ['>=', value] }]));

const BASELINE = { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' };

const CASES: Case[] = [
  {
    construct: 'SecureModelRepository',
    prop: 'maxTaggedImages',
    good: 7,
    bad: 0,
    build: (stack, v) => new SecureModelRepository(stack, 'Images', { maxTaggedImages: v }),
    rendered: (t, v) => resources(t, 'AWS::ECR::Repository')
      .some((r) => JSON.parse(r.Properties.LifecyclePolicy.LifecyclePolicyText).rules.some((rule: any) => rule.selection.countNumber === v)),
    synthOnly: /lifecycle policy text/,
  },
  {
    construct: 'AiSecurityMonitoring',
    prop: 'guardDutySeverityThreshold',
    good: 8,
    bad: 11,
    build: (stack, v) => new AiSecurityMonitoring(stack, 'Monitoring', { guardDutySeverityThreshold: v }),
    rendered: severityRule,
  },
  {
    construct: 'AiSecurityMonitoring',
    prop: 'accessDeniedThreshold',
    good: 3,
    bad: 0,
    build: (stack, v) => new AiSecurityMonitoring(stack, 'Monitoring', {
      trainingBuckets: [s3.Bucket.fromBucketName(stack, 'Data', 'training-data')], accessDeniedThreshold: v, // the alarm watches data events
    }),
    rendered: alarmWith,
  },
  {
    construct: 'AiSecurityMonitoring',
    prop: 'logRetention',
    good: logs.RetentionDays.TWO_YEARS,
    bad: logs.RetentionDays.ONE_MONTH,
    build: (stack, v) => new AiSecurityMonitoring(stack, 'Monitoring', { logRetention: v }),
    rendered: logGroupWith,
  },
  {
    construct: 'RegionalAlertForwarder',
    prop: 'guardDutySeverityThreshold',
    good: 4,
    bad: 0.5,
    build: (stack, v) => new RegionalAlertForwarder(stack, 'Alerts', { homeRegion: 'eu-west-1', guardDutySeverityThreshold: v }),
    rendered: severityRule,
  },
  {
    construct: 'AccessAnalysis',
    prop: 'unusedAccessAge',
    good: 45,
    bad: 366,
    build: (stack, v) => new AccessAnalysis(stack, 'AccessAnalysis', {
      topic: new sns.Topic(stack, 'Topic'), deadLetterQueue: new sqs.Queue(stack, 'Dlq'), unusedAccess: true, unusedAccessAge: v,
    }),
    rendered: (t, v) => resources(t, 'AWS::AccessAnalyzer::Analyzer').some((a) => a.Properties.AnalyzerConfiguration?.UnusedAccessConfiguration?.UnusedAccessAge === v),
  },
  {
    construct: 'GuardedBedrockAccess',
    prop: 'interventionAlarmThreshold',
    good: 5,
    bad: 0,
    build: (stack, v) => new GuardedBedrockAccess(stack, 'Access', { models: [MODEL], alertTopic: new sns.Topic(stack, 'Alerts'), interventionAlarmThreshold: v }),
    rendered: alarmWith,
  },
  {
    construct: 'GuardedBedrockAccess',
    prop: 'contextualGrounding.groundingThreshold',
    good: 0.75,
    bad: 1,
    build: (stack, v) => new GuardedBedrockAccess(stack, 'Access', { models: [MODEL], contextualGrounding: { groundingThreshold: v } }),
    rendered: (t, v) => resources(t, 'AWS::Bedrock::Guardrail')
      .some((g) => g.Properties.ContextualGroundingPolicyConfig?.FiltersConfig?.some((f: any) => f.Type === 'GROUNDING' && f.Threshold === v)),
  },
  {
    construct: 'BedrockInvocationLogging',
    prop: 'retention',
    good: logs.RetentionDays.FIVE_YEARS,
    bad: logs.RetentionDays.SIX_MONTHS,
    build: (stack, v) => new BedrockInvocationLogging(stack, 'Logging', { retention: v }),
    rendered: logGroupWith,
  },
  {
    construct: 'SecureDeliveryPipeline',
    prop: 'logRetention',
    good: logs.RetentionDays.EIGHTEEN_MONTHS,
    bad: logs.RetentionDays.THREE_MONTHS,
    build: (stack, v) => new SecureDeliveryPipeline(stack, 'Pipeline', { repository: 'example-org/ml-platform', connectionArn: CONNECTION_ARN, logRetention: v }),
    rendered: logGroupWith,
  },
  {
    construct: 'PrivateInferenceEndpoint',
    prop: 'throttlingRateLimit',
    good: 25,
    bad: -1,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), throttlingRateLimit: v }),
    rendered: (t, v) => resources(t, 'AWS::ApiGateway::Stage').some((s) => s.Properties.MethodSettings?.some((m: any) => m.ThrottlingRateLimit === v)),
  },
  {
    construct: 'PrivateInferenceEndpoint',
    prop: 'dataCaptureSamplingPercentage',
    good: 40,
    bad: 101,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), dataCaptureSamplingPercentage: v }),
    rendered: (t, v) => resources(t, 'AWS::SageMaker::EndpointConfig').some((c) => c.Properties.DataCaptureConfig?.InitialSamplingPercentage === v),
  },
  {
    construct: 'PrivateInferenceEndpoint',
    prop: 'logRetention',
    good: logs.RetentionDays.TEN_YEARS,
    bad: logs.RetentionDays.ONE_WEEK,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), logRetention: v }),
    rendered: logGroupWith,
  },
  {
    construct: 'PrivateInferenceEndpoint.dataQualityMonitoring',
    prop: 'instanceCount',
    good: 2,
    bad: 101,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), dataQualityMonitoring: { ...BASELINE, instanceCount: v } }),
    rendered: (t, v) => resources(t, 'AWS::SageMaker::DataQualityJobDefinition').some((j) => j.Properties.JobResources.ClusterConfig.InstanceCount === v),
  },
  {
    construct: 'PrivateInferenceEndpoint.dataQualityMonitoring',
    prop: 'dailyStartHour',
    good: 5,
    bad: 24,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', {
      ...baseProps(stack), dataQualityMonitoring: { ...BASELINE, frequency: MonitoringFrequency.DAILY, dailyStartHour: v },
    }),
    rendered: (t, v) => resources(t, 'AWS::SageMaker::MonitoringSchedule')
      .some((m) => m.Properties.MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression === `cron(0 ${v} ? * * *)`),
  },
  {
    construct: 'PrivateInferenceEndpoint.dataQualityMonitoring',
    prop: 'driftAlarms[0].threshold',
    good: 0.3,
    bad: 2,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', {
      ...baseProps(stack), dataQualityMonitoring: { ...BASELINE, driftAlarms: [{ feature: 'age', threshold: v }] },
    }),
    rendered: alarmWith,
  },
  {
    construct: 'PrivateInferenceEndpoint.modelQualityMonitoring',
    prop: 'probabilityThresholdAttribute',
    good: 0.5,
    bad: 1.5,
    build: (stack, v) => new PrivateInferenceEndpoint(stack, 'Endpoint', {
      ...baseProps(stack),
      modelQualityMonitoring: {
        problemType: ModelQualityProblemType.BINARY_CLASSIFICATION,
        probabilityAttribute: '0',
        probabilityThresholdAttribute: v,
        baselineConstraintsKey: 'baselines/model-quality/v1/constraints.json',
      },
    }),
    rendered: (t, v) => resources(t, 'AWS::SageMaker::ModelQualityJobDefinition')
      .some((j) => j.Properties.ModelQualityJobInput.EndpointInput.ProbabilityThresholdAttribute === v),
  },
  {
    construct: 'SegmentedAiVpc',
    prop: 'flowLogRetention',
    good: logs.RetentionDays.THIRTEEN_MONTHS,
    bad: logs.RetentionDays.TWO_WEEKS,
    build: (stack, v) => new SegmentedAiVpc(stack, 'Network', { stage: NetworkStage.DEV, flowLogRetention: v }),
    rendered: logGroupWith,
  },
];

function newStack(): Stack {
  return new Stack(new App(), 'Subject', { env: ENV });
}

/** Runs the validations synthesis runs, over the whole app, and returns the library's errors. */
function synthesisErrors(scope: IConstruct): string[] {
  const errors: string[] = [];
  for (const c of scope.node.root.node.findAll()) {
    try {
      c.node.validate();
    } catch (e) {
      if ((e as Error).name === 'SecureAiValidationError') errors.push((e as Error).message);
    }
  }
  return errors;
}

function rendered(stack: Stack): any {
  return stack.resolve((stack as any)._toCloudFormation());
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(CASES)('$construct.$prop', (c) => {
  const named = (received: string) => new RegExp(`invalid \`${escape(c.prop)}\` \\(received ${escape(received)}\\)`);

  test('a literal out of range is refused at construction', () => {
    expect(() => c.build(newStack(), c.bad)).toThrow(named(String(c.bad)));
  });

  test('a non-number is refused, named by its type', () => {
    expect(() => c.build(newStack(), String(c.good))).toThrow(new RegExp(`${named(`"${c.good}"`).source}.*Give a number, not a string`));
    expect(() => c.build(newStack(), null)).toThrow(/not a null/);
  });

  test('a Lazy number out of range is refused at synthesis with its resolved value', () => {
    const stack = newStack();
    c.build(stack, Lazy.number({ produce: () => c.bad }));
    const errors = synthesisErrors(stack);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(named(String(c.bad)));
  });

  test('a Lazy number in range reaches the template', () => {
    const stack = newStack();
    c.build(stack, Lazy.number({ produce: () => c.good }));
    expect(synthesisErrors(stack)).toEqual([]);
    expect(c.rendered(rendered(stack), c.good)).toBe(true);
    // the canary of the predicate: the literal renders where the predicate looks, another value does not
    expect(c.rendered(rendered(stack), c.good + 1)).toBe(false);
  });

  test(c.synthOnly ? 'a value known only at deployment is refused, naming why' : 'a value known only at deployment is left to CloudFormation', () => {
    const stack = newStack();
    c.build(stack, new CfnParameter(stack, 'Value', { type: 'Number' }).valueAsNumber);
    const errors = synthesisErrors(stack);
    if (c.synthOnly) {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`invalid \`${escape(c.prop)}\`.*known at synthesis.*${c.synthOnly.source}`));
    } else {
      expect(errors).toEqual([]);
    }
  });
});

describe('latency alarm thresholds (Durations)', () => {
  const alarmThreshold = (stack: Stack, id: string) => resources(rendered(stack), 'AWS::CloudWatch::Alarm')
    .find((a) => String(a.Properties.AlarmDescription).startsWith(id))?.Properties.Threshold;
  test.each([
    ['modelLatencyAlarmThreshold', 'p99 model latency', 1000], // ModelLatency is in microseconds
    ['apiLatencyAlarmThreshold', 'p99 API latency', 1],
  ] as const)('%s: a Lazy number of milliseconds reaches the alarm; Duration.seconds of a token and a Lazy 0 are refused, naming the prop', (prop, alarm, unit) => {
    const stack = newStack();
    new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), [prop]: Duration.millis(Lazy.number({ produce: () => 2500 })) });
    expect(synthesisErrors(stack)).toEqual([]);
    expect(alarmThreshold(stack, alarm)).toBe(2500 * unit);
    const literal = newStack();
    new PrivateInferenceEndpoint(literal, 'Endpoint', { ...baseProps(literal), [prop]: Duration.millis(2500) });
    expect(alarmThreshold(literal, alarm)).toBe(2500 * unit); // canary: the same threshold as the literal
    expect(() => new PrivateInferenceEndpoint(newStack(), 'Endpoint', {
      ...baseProps(newStack()), [prop]: Duration.seconds(Lazy.number({ produce: () => 3 })),
    })).toThrow(new RegExp(`invalid \`${prop}\`.*Duration.millis`));
    const zero = newStack();
    new PrivateInferenceEndpoint(zero, 'Endpoint', { ...baseProps(zero), [prop]: Duration.millis(Lazy.number({ produce: () => 0 })) });
    expect(synthesisErrors(zero)).toEqual([expect.stringMatching(new RegExp(`invalid \`${prop}\` \\(received 0\\)`))]);
  });
});

describe('Model Monitor run time', () => {
  test('a Duration of a Lazy number beyond the schedule\'s limit is refused at synthesis, naming the prop and the constraint', () => {
    const stack = newStack();
    new PrivateInferenceEndpoint(stack, 'Endpoint', {
      ...baseProps(stack), dataQualityMonitoring: { ...BASELINE, maxRuntime: Duration.seconds(Lazy.number({ produce: () => 7200 })) },
    });
    const errors = synthesisErrors(stack);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/invalid `maxRuntime` \(received 7200\).*MM-2/);
    // canary: one hour is allowed
    const ok = newStack();
    new PrivateInferenceEndpoint(ok, 'Endpoint', {
      ...baseProps(ok), dataQualityMonitoring: { ...BASELINE, maxRuntime: Duration.seconds(Lazy.number({ produce: () => 3600 })) },
    });
    expect(synthesisErrors(ok)).toEqual([]);
  });
});

describe('derived defaults', () => {
  test('a token minInstanceCount needs an explicit maxInstanceCount (its default is computed from it)', () => {
    const stack = newStack();
    expect(() => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), minInstanceCount: Lazy.number({ produce: () => 2 }) }))
      .toThrow(/invalid `maxInstanceCount`.*Give maxInstanceCount when minInstanceCount or initialInstanceCount is a token/);
  });

  test('a default computed from literals is range-checked, naming the prop', () => {
    const stack = newStack();
    expect(() => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), initialInstanceCount: 600, minInstanceCount: 600 }))
      .toThrow(/invalid `maxInstanceCount` \(received "its default 1200"\)/);
  });
});

/**
 * Relations between props (a burst of at least the rate; minimum ≤ initial ≤ maximum instances),
 * with a `Lazy.number` on one side: resolved and checked at synthesis, naming the prop and its
 * resolved value (they were checked only when every side was a literal). A side known only at
 * deployment leaves the relation unchecked.
 */
interface RelationCase {
  readonly relation: string;
  /** The prop the error names. */
  readonly prop: string;
  /** Props that break the relation, `lazy` wrapping the value(s) given as Lazy numbers. */
  readonly bad: (lazy: (n: number) => number) => Record<string, unknown>;
  /** The value of `prop` the error reports. */
  readonly received: number;
  /** Props that keep the relation, Lazy in the same places. */
  readonly good: (lazy: (n: number) => number) => Record<string, unknown>;
}

const RELATIONS: RelationCase[] = [
  {
    relation: 'throttlingBurstLimit >= throttlingRateLimit (a Lazy rate above the default burst)',
    prop: 'throttlingBurstLimit',
    bad: (lazy) => ({ throttlingRateLimit: lazy(200) }),
    received: 100,
    good: (lazy) => ({ throttlingRateLimit: lazy(80) }),
  },
  {
    relation: 'throttlingBurstLimit >= throttlingRateLimit (a Lazy burst below the default rate)',
    prop: 'throttlingBurstLimit',
    bad: (lazy) => ({ throttlingBurstLimit: lazy(10) }),
    received: 10,
    good: (lazy) => ({ throttlingBurstLimit: lazy(50) }),
  },
  {
    relation: 'usagePlanBurstLimit >= usagePlanRateLimit',
    prop: 'usagePlanBurstLimit',
    bad: (lazy) => ({ requireApiKey: true, usagePlanRateLimit: lazy(30), usagePlanBurstLimit: lazy(25) }),
    received: 25,
    good: (lazy) => ({ requireApiKey: true, usagePlanRateLimit: lazy(30), usagePlanBurstLimit: lazy(30) }),
  },
  {
    relation: 'minInstanceCount <= maxInstanceCount',
    prop: 'minInstanceCount',
    bad: (lazy) => ({ initialInstanceCount: 3, minInstanceCount: 3, maxInstanceCount: lazy(2) }),
    received: 3,
    good: (lazy) => ({ initialInstanceCount: 3, minInstanceCount: 3, maxInstanceCount: lazy(3) }),
  },
  {
    relation: 'minInstanceCount <= initialInstanceCount <= maxInstanceCount',
    prop: 'initialInstanceCount',
    bad: (lazy) => ({ initialInstanceCount: lazy(10), minInstanceCount: 2, maxInstanceCount: 4 }),
    received: 10,
    good: (lazy) => ({ initialInstanceCount: lazy(4), minInstanceCount: 2, maxInstanceCount: 4 }),
  },
];

describe.each(RELATIONS)('PrivateInferenceEndpoint: $relation', (r) => {
  const build = (stack: Stack, props: Record<string, unknown>) => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), ...props });
  const literal = (n: number) => n;
  const lazy = (n: number) => Lazy.number({ produce: () => n });
  const named = new RegExp(`invalid \`${escape(r.prop)}\` \\(received ${r.received}\\)`);

  test('as literals, refused at construction', () => {
    expect(() => build(newStack(), r.bad(literal))).toThrow(named);
    expect(() => build(newStack(), r.good(literal))).not.toThrow();
  });

  test('with a Lazy side, refused at synthesis with the resolved value', () => {
    const stack = newStack();
    build(stack, r.bad(lazy)); // unknown until synthesis
    const errors = synthesisErrors(stack);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(named);
  });

  test('with a Lazy side that keeps the relation, no error', () => {
    const stack = newStack();
    build(stack, r.good(lazy));
    expect(synthesisErrors(stack)).toEqual([]);
  });

  test('with a side known only at deployment, the relation is left unchecked', () => {
    const stack = newStack();
    const parameter = new CfnParameter(stack, 'Value', { type: 'Number' });
    build(stack, r.bad(() => parameter.valueAsNumber));
    expect(synthesisErrors(stack)).toEqual([]);
  });
});

/**
 * SegmentedAiVpc computes its subnets and the tier CIDR blocks of its network rules from the zone
 * count and the masks at construction: a token has no value then, so it is refused, naming the prop.
 */
describe.each(['availabilityZoneCount', 'trainingSubnetMask', 'inferenceSubnetMask', 'endpointSubnetMask'])('SegmentedAiVpc.%s', (prop) => {
  const build = (value: any) => new SegmentedAiVpc(newStack(), 'Network', { stage: NetworkStage.DEV, [prop]: value });

  test('a token (a Lazy number included) is refused at construction, naming why', () => {
    expect(() => build(Lazy.number({ produce: () => 2 }))).toThrow(new RegExp(`invalid \`${prop}\` \\(received "a token"\\).*computed from it at construction`));
  });

  test('a non-number is refused, named by its type', () => {
    expect(() => build('2')).toThrow(new RegExp(`invalid \`${prop}\` \\(received "2"\\).*not a string`));
  });
});
