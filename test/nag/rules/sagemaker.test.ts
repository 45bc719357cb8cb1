import { CfnCondition, CfnParameter, Fn, Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { describe1, fixtureStack, outcome } from './support';
import { SageMakerDomainKms } from '../../../lib/nag/rules/sagemaker/domain-kms';
import { SageMakerDomainVpcOnly } from '../../../lib/nag/rules/sagemaker/domain-vpc-only';
import { SageMakerEndpointConfigDataCapture } from '../../../lib/nag/rules/sagemaker/endpoint-config-data-capture';
import { SageMakerEndpointConfigDataCaptureKms } from '../../../lib/nag/rules/sagemaker/endpoint-config-data-capture-kms';
import { SageMakerEndpointConfigKms } from '../../../lib/nag/rules/sagemaker/endpoint-config-kms';
import { SageMakerEndpointConfigMultiInstance } from '../../../lib/nag/rules/sagemaker/endpoint-config-multi-instance';
import { SageMakerModelNetworkIsolation } from '../../../lib/nag/rules/sagemaker/model-network-isolation';
import { SageMakerModelVpcConfig } from '../../../lib/nag/rules/sagemaker/model-vpc-config';
import { SageMakerMonitoringInterContainerEncryption } from '../../../lib/nag/rules/sagemaker/monitoring-inter-container-encryption';
import { SageMakerMonitoringNetworkIsolation } from '../../../lib/nag/rules/sagemaker/monitoring-network-isolation';
import { SageMakerNotebookRootAccess } from '../../../lib/nag/rules/sagemaker/notebook-root-access';

const ROLE = 'arn:aws:iam::111111111111:role/SageMakerExecution';
const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/model:1.0.0';

function model(props: Partial<sagemaker.CfnModelProps> = {}) {
  const stack = fixtureStack();
  return { stack, node: new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE }, ...props }) };
}

function conditionalTrue(stack: ReturnType<typeof fixtureStack>) {
  const condition = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('prod', 'prod') });
  return Fn.conditionIf(condition.logicalId, true, false);
}

describe('AiSec-SageMakerModelNetworkIsolation', () => {
  const rule = SageMakerModelNetworkIsolation;
  test('network isolation on is compliant', () => expect(outcome(rule, model({ enableNetworkIsolation: true }).node)).toBe('COMPLIANT'));
  test('a token that resolves to true is compliant', () =>
    expect(outcome(rule, model({ enableNetworkIsolation: Lazy.any({ produce: () => true }) }).node)).toBe('COMPLIANT'));
  test('absent is non-compliant', () => expect(outcome(rule, model().node)).toBe('NON_COMPLIANT'));
  test('false is non-compliant', () => expect(outcome(rule, model({ enableNetworkIsolation: false }).node)).toBe('NON_COMPLIANT'));
  test('Fn::If: both branches are judged, and the failing branch is named', () => {
    const { stack, node } = model();
    node.enableNetworkIsolation = conditionalTrue(stack);
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
    expect(describe1(rule.name, node)).toMatch(/when condition IsProd is false: EnableNetworkIsolation is false/);
  });
  test('Fn::If with a compliant value in every branch is compliant', () => {
    const { stack, node } = model();
    const condition = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('prod', 'prod') });
    node.enableNetworkIsolation = Fn.conditionIf(condition.logicalId, true, 'true');
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('other resources are not applicable', () => {
    const stack = fixtureStack();
    expect(outcome(rule, new kms.CfnKey(stack, 'Key', {}))).toBe('N/A');
  });
});

describe('AiSec-SageMakerModelVpcConfig', () => {
  const rule = SageMakerModelVpcConfig;
  test('literal subnets and security groups are compliant', () =>
    expect(outcome(rule, model({ vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] } }).node)).toBe('COMPLIANT'));
  test('references to a security group and a subnet list parameter are compliant', () => {
    const { stack, node } = model();
    const sg = new ec2.CfnSecurityGroup(stack, 'Sg', { groupDescription: 'model', vpcId: 'vpc-1' });
    const subnets = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    node.vpcConfig = { subnets: subnets.valueAsList, securityGroupIds: [sg.attrGroupId] };
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('no VpcConfig is non-compliant', () => expect(outcome(rule, model().node)).toBe('NON_COMPLIANT'));
  test('an empty subnet list is non-compliant', () =>
    expect(outcome(rule, model({ vpcConfig: { subnets: [], securityGroupIds: ['sg-1'] } }).node)).toBe('NON_COMPLIANT'));
});

function endpointConfig(props: Partial<sagemaker.CfnEndpointConfigProps> = {}) {
  const stack = fixtureStack();
  return {
    stack,
    node: new sagemaker.CfnEndpointConfig(stack, 'Config', {
      productionVariants: [{ variantName: 'main', modelName: 'model', instanceType: 'ml.m5.large', initialInstanceCount: 2 }],
      ...props,
    }),
  };
}
const CAPTURE = { captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }], destinationS3Uri: 's3://capture/endpoint', initialSamplingPercentage: 100 };

describe('AiSec-SageMakerEndpointConfigKms', () => {
  const rule = SageMakerEndpointConfigKms;
  test('a Ref to a key in the same stack counts as a key', () => {
    const { stack, node } = endpointConfig();
    node.kmsKeyId = new kms.CfnKey(stack, 'Key', {}).ref;
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('a literal key ARN is compliant', () =>
    expect(outcome(rule, endpointConfig({ kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/1' }).node)).toBe('COMPLIANT'));
  test('no key is non-compliant', () => expect(outcome(rule, endpointConfig().node)).toBe('NON_COMPLIANT'));
  test('an empty key is non-compliant', () => expect(outcome(rule, endpointConfig({ kmsKeyId: '' }).node)).toBe('NON_COMPLIANT'));
});

describe('AiSec-SageMakerEndpointConfigDataCapture', () => {
  const rule = SageMakerEndpointConfigDataCapture;
  test('data capture configured is compliant', () =>
    expect(outcome(rule, endpointConfig({ dataCaptureConfig: CAPTURE }).node)).toBe('COMPLIANT'));
  test('EnableCapture as a token resolving to true is compliant', () =>
    expect(outcome(rule, endpointConfig({ dataCaptureConfig: { ...CAPTURE, enableCapture: Lazy.any({ produce: () => true }) } }).node)).toBe('COMPLIANT'));
  test('no data capture is non-compliant', () => expect(outcome(rule, endpointConfig().node)).toBe('NON_COMPLIANT'));
  test('EnableCapture false is non-compliant', () =>
    expect(outcome(rule, endpointConfig({ dataCaptureConfig: { ...CAPTURE, enableCapture: false } }).node)).toBe('NON_COMPLIANT'));
  test('EnableCapture under a condition: the false branch is non-compliant', () => {
    const { stack, node } = endpointConfig();
    node.dataCaptureConfig = { ...CAPTURE, enableCapture: conditionalTrue(stack) };
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
});

describe('AiSec-SageMakerEndpointConfigDataCaptureKms', () => {
  const rule = SageMakerEndpointConfigDataCaptureKms;
  test('capture encrypted with a key of the stack (GetAtt) is compliant', () => {
    const { stack, node } = endpointConfig();
    node.dataCaptureConfig = { ...CAPTURE, kmsKeyId: new kms.CfnKey(stack, 'Key', {}).attrArn };
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('capture without a key is non-compliant', () =>
    expect(outcome(rule, endpointConfig({ dataCaptureConfig: CAPTURE }).node)).toBe('NON_COMPLIANT'));
  test('no capture, or capture disabled, is not applicable', () => {
    expect(outcome(rule, endpointConfig().node)).toBe('N/A');
    expect(outcome(rule, endpointConfig({ dataCaptureConfig: { ...CAPTURE, enableCapture: false } }).node)).toBe('N/A');
  });
});

describe('AiSec-SageMakerEndpointConfigMultiInstance', () => {
  const rule = SageMakerEndpointConfigMultiInstance;
  const variant = { variantName: 'main', modelName: 'model', instanceType: 'ml.m5.large' };
  test('two instances are compliant', () => expect(outcome(rule, endpointConfig().node)).toBe('COMPLIANT'));
  test('a count given as a token resolving to 3 is compliant', () =>
    expect(outcome(rule, endpointConfig({ productionVariants: [{ ...variant, initialInstanceCount: Lazy.number({ produce: () => 3 }) }] }).node)).toBe('COMPLIANT'));
  test('one instance is non-compliant', () =>
    expect(outcome(rule, endpointConfig({ productionVariants: [{ ...variant, initialInstanceCount: 1 }] }).node)).toBe('NON_COMPLIANT'));
  test('one single-instance variant among others is non-compliant', () =>
    expect(outcome(rule, endpointConfig({
      productionVariants: [{ ...variant, initialInstanceCount: 2 }, { ...variant, variantName: 'canary', initialInstanceCount: 1 }],
    }).node)).toBe('NON_COMPLIANT'));
  test('a count from a parameter is reported as unresolvable', () => {
    const { stack, node } = endpointConfig();
    const count = new CfnParameter(stack, 'Count', { type: 'Number' });
    node.productionVariants = [{ ...variant, initialInstanceCount: count.valueAsNumber }];
    expect(outcome(rule, node)).toBe('THREW');
  });
  test('serverless variants are not applicable', () =>
    expect(outcome(rule, endpointConfig({ productionVariants: [{ variantName: 'main', modelName: 'model', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } }] }).node)).toBe('N/A'));
});

const MONITORING_JOB = {
  monitoringAppSpecification: { imageUri: IMAGE },
  monitoringInputs: [{ endpointInput: { endpointName: 'endpoint', localPath: '/opt/ml/processing/input' } }],
  monitoringOutputConfig: { monitoringOutputs: [{ s3Output: { localPath: '/opt/ml/processing/output', s3Uri: 's3://monitoring/out' } }] },
  monitoringResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
  roleArn: ROLE,
};

function schedule(networkConfig?: sagemaker.CfnMonitoringSchedule.NetworkConfigProperty) {
  const stack = fixtureStack();
  return {
    stack,
    node: new sagemaker.CfnMonitoringSchedule(stack, 'Schedule', {
      monitoringScheduleName: 'schedule',
      monitoringScheduleConfig: { monitoringJobDefinition: { ...MONITORING_JOB, networkConfig } },
    }),
  };
}

function dataQualityJob(networkConfig?: sagemaker.CfnDataQualityJobDefinition.NetworkConfigProperty) {
  const stack = fixtureStack();
  return new sagemaker.CfnDataQualityJobDefinition(stack, 'DataQuality', {
    dataQualityAppSpecification: { imageUri: IMAGE },
    dataQualityJobInput: { endpointInput: { endpointName: 'endpoint', localPath: '/opt/ml/processing/input' } },
    dataQualityJobOutputConfig: MONITORING_JOB.monitoringOutputConfig,
    jobResources: MONITORING_JOB.monitoringResources,
    roleArn: ROLE,
    networkConfig,
  });
}

describe.each([
  ['AiSec-SageMakerMonitoringNetworkIsolation', SageMakerMonitoringNetworkIsolation, 'enableNetworkIsolation'],
  ['AiSec-SageMakerMonitoringInterContainerEncryption', SageMakerMonitoringInterContainerEncryption, 'enableInterContainerTrafficEncryption'],
] as const)('%s', (_id, rule, property) => {
  test('an inline schedule job with the setting is compliant', () => expect(outcome(rule, schedule({ [property]: true }).node)).toBe('COMPLIANT'));
  test('a job definition with the setting as a resolving token is compliant', () =>
    expect(outcome(rule, dataQualityJob({ [property]: Lazy.any({ produce: () => true }) }))).toBe('COMPLIANT'));
  test('an inline schedule job without NetworkConfig is non-compliant', () => expect(outcome(rule, schedule().node)).toBe('NON_COMPLIANT'));
  test('a job definition with the setting false is non-compliant', () => expect(outcome(rule, dataQualityJob({ [property]: false }))).toBe('NON_COMPLIANT'));
  test('the setting under a condition: the false branch is non-compliant', () => {
    const { stack, node } = schedule();
    node.monitoringScheduleConfig = { monitoringJobDefinition: { ...MONITORING_JOB, networkConfig: { [property]: conditionalTrue(stack) } } };
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
  test('a schedule naming a separate job definition is not applicable (the definition is checked)', () => {
    const stack = fixtureStack();
    const job = new sagemaker.CfnMonitoringSchedule(stack, 'Named', {
      monitoringScheduleName: 'named',
      monitoringScheduleConfig: { monitoringJobDefinitionName: 'dq-job', monitoringType: 'DataQuality' },
    });
    expect(outcome(rule, job)).toBe('N/A');
  });
});

function domain(props: Partial<sagemaker.CfnDomainProps> = {}) {
  const stack = fixtureStack();
  return {
    stack,
    node: new sagemaker.CfnDomain(stack, 'Domain', {
      authMode: 'IAM',
      domainName: 'studio',
      defaultUserSettings: { executionRole: ROLE },
      vpcId: 'vpc-1',
      subnetIds: ['subnet-1'],
      ...props,
    }),
  };
}

describe('AiSec-SageMakerDomainVpcOnly', () => {
  const rule = SageMakerDomainVpcOnly;
  test('VpcOnly is compliant', () => expect(outcome(rule, domain({ appNetworkAccessType: 'VpcOnly' }).node)).toBe('COMPLIANT'));
  test('VpcOnly from a resolving token is compliant', () =>
    expect(outcome(rule, domain({ appNetworkAccessType: Lazy.string({ produce: () => 'VpcOnly' }) }).node)).toBe('COMPLIANT'));
  test('the default (absent) is non-compliant', () => expect(outcome(rule, domain().node)).toBe('NON_COMPLIANT'));
  test('PublicInternetOnly is non-compliant', () => expect(outcome(rule, domain({ appNetworkAccessType: 'PublicInternetOnly' }).node)).toBe('NON_COMPLIANT'));
  test('a parameter is reported as unresolvable', () => {
    const { stack, node } = domain();
    node.appNetworkAccessType = new CfnParameter(stack, 'Access').valueAsString;
    expect(outcome(rule, node)).toBe('THREW');
  });
});

describe('AiSec-SageMakerDomainKms', () => {
  const rule = SageMakerDomainKms;
  test('a Ref to a key of the stack is compliant', () => {
    const { stack, node } = domain();
    node.kmsKeyId = new kms.CfnKey(stack, 'Key', {}).ref;
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('no key is non-compliant', () => expect(outcome(rule, domain().node)).toBe('NON_COMPLIANT'));
});

describe('AiSec-SageMakerNotebookRootAccess', () => {
  const rule = SageMakerNotebookRootAccess;
  const notebook = (rootAccess?: string) => {
    const stack = fixtureStack();
    return new sagemaker.CfnNotebookInstance(stack, 'Notebook', { instanceType: 'ml.t3.medium', roleArn: ROLE, rootAccess });
  };
  test('Disabled is compliant', () => expect(outcome(rule, notebook('Disabled'))).toBe('COMPLIANT'));
  test('Disabled from a resolving token is compliant', () => expect(outcome(rule, notebook(Lazy.string({ produce: () => 'Disabled' })))).toBe('COMPLIANT'));
  test('the default (absent) is non-compliant', () => expect(outcome(rule, notebook())).toBe('NON_COMPLIANT'));
  test('Enabled is non-compliant', () => expect(outcome(rule, notebook('Enabled'))).toBe('NON_COMPLIANT'));
  test('a parameter is reported as unresolvable', () => {
    const node = notebook();
    node.rootAccess = new CfnParameter(node.stack, 'Root').valueAsString;
    expect(outcome(rule, node)).toBe('THREW');
  });
});
