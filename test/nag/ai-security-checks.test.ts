import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel } from 'cdk-nag';
import { AiSecurityChecks, SecureTrainingBucket } from '../../lib';
import { acknowledge, FindingSource } from '../../lib/private/acknowledge';
import { createTestApp } from '../support/app';
import { complianceReport } from '../support/compliance';

describe('AiSecurityChecks rules', () => {
  const rules = AiSecurityChecks.rules();

  test('the pack has exactly these rule IDs and levels (changing one breaks users\' acknowledgements)', () => {
    expect(rules.map((r) => [r.id, r.level])).toEqual([
      ['AiSec-SageMakerModelNetworkIsolation', NagMessageLevel.ERROR],
      ['AiSec-SageMakerModelVpcConfig', NagMessageLevel.ERROR],
      ['AiSec-SageMakerEndpointConfigKms', NagMessageLevel.ERROR],
      ['AiSec-SageMakerEndpointConfigDataCapture', NagMessageLevel.WARN],
      ['AiSec-SageMakerEndpointConfigDataCaptureKms', NagMessageLevel.ERROR],
      ['AiSec-SageMakerEndpointConfigMultiInstance', NagMessageLevel.WARN],
      ['AiSec-SageMakerMonitoringNetworkIsolation', NagMessageLevel.ERROR],
      ['AiSec-SageMakerMonitoringInterContainerEncryption', NagMessageLevel.ERROR],
      ['AiSec-SageMakerDomainVpcOnly', NagMessageLevel.ERROR],
      ['AiSec-SageMakerDomainKms', NagMessageLevel.ERROR],
      ['AiSec-SageMakerNotebookRootAccess', NagMessageLevel.ERROR],
      ['AiSec-ECRScanOnPush', NagMessageLevel.ERROR],
      ['AiSec-ECRTagImmutability', NagMessageLevel.ERROR],
      ['AiSec-ECRKms', NagMessageLevel.ERROR],
      ['AiSec-ECRLifecyclePolicy', NagMessageLevel.WARN],
      ['AiSec-WAFv2RateBasedRule', NagMessageLevel.ERROR],
      ['AiSec-WAFv2Logging', NagMessageLevel.ERROR],
      ['AiSec-WAFv2Metrics', NagMessageLevel.WARN],
      ['AiSec-APIGWStageWafOrPrivate', NagMessageLevel.ERROR],
      ['AiSec-APIGWStageThrottling', NagMessageLevel.ERROR],
      ['AiSec-APIGWMethodAuthorization', NagMessageLevel.ERROR],
      ['AiSec-S3MinimumTls12', NagMessageLevel.ERROR],
      ['AiSec-IAMSageMakerRoleNoFullAccess', NagMessageLevel.ERROR],
      ['AiSec-IAMSageMakerCreateConditions', NagMessageLevel.ERROR],
      ['AiSec-IAMPassRoleScoped', NagMessageLevel.ERROR],
      ['AiSec-IAMSageMakerTrustConfusedDeputy', NagMessageLevel.WARN],
      ['AiSec-IAMSageMakerRoleNoWildcards', NagMessageLevel.ERROR],
      ['AiSec-IAMSageMakerInvokeEndpointScoped', NagMessageLevel.ERROR],
      ['AiSec-SageMakerEndpointConfigInferenceComponentIsolation', NagMessageLevel.ERROR],
      ['AiSec-PreflightApiGatewayAccountForLogging', NagMessageLevel.ERROR],
      ['AiSec-PreflightSageMakerModelS3Path', NagMessageLevel.ERROR],
      ['AiSec-PreflightS3LogDestinationObjectLock', NagMessageLevel.ERROR],
      ['AiSec-PreflightWafLoggingDestinationName', NagMessageLevel.ERROR],
      ['AiSec-PreflightWafAssociationScope', NagMessageLevel.ERROR],
      ['AiSec-PreflightWebSocketRouteAuthorizer', NagMessageLevel.ERROR],
      ['AiSec-PreflightSageMakerServerlessInstanceSettings', NagMessageLevel.ERROR],
      ['AiSec-PreflightSageMakerServerlessDataCapture', NagMessageLevel.ERROR],
      ['AiSec-PreflightSageMakerServerlessModelNetwork', NagMessageLevel.ERROR],
      ['AiSec-PreflightSageMakerKmsOnLocalStorage', NagMessageLevel.ERROR],
      ['AiSec-PreflightLogGroupKeyAllowsLogs', NagMessageLevel.ERROR],
      ['AiSec-BedrockGuardrailPromptAttack', NagMessageLevel.ERROR],
      ['AiSec-BedrockCustomerManagedKey', NagMessageLevel.ERROR],
      ['AiSec-BedrockAgentGuardrail', NagMessageLevel.ERROR],
      ['AiSec-IAMBedrockInvokeNamedModels', NagMessageLevel.ERROR],
      ['AiSec-IAMBedrockInvokeGuardrailCondition', NagMessageLevel.WARN],
      // off by default (requireModelMonitoring)
      ['AiSec-SageMakerEndpointMonitoringSchedule', NagMessageLevel.WARN],
    ]);
  });

  test.each(rules.map((r) => [r.id, r] as const))('%s has info, an explanation naming the guide and controls, and resource types', (_id, rule) => {
    expect(rule.info.length).toBeGreaterThan(20);
    expect(rule.explanation).toContain(`Guide: ${rule.guide}.`);
    expect(rule.explanation).toContain(`Controls: ${rule.controls.join('; ')}.`);
    expect(rule.controls.length).toBeGreaterThan(0);
    expect(rule.resourceTypes.every((t) => /^AWS::\w+::\w+$/.test(t))).toBe(true);
  });

  test('the pack registers under its own name', () => {
    const pack = new AiSecurityChecks();
    expect(pack.name).toBe('AiSec');
    expect(pack.readPackName).toBe('AiSec');
  });
});

/**
 * Canary: a deliberately insecure SageMaker endpoint behind a public REST API, built from raw
 * L1 resources, synthesized with every check. The AiSec plugin must report exactly these.
 */
describe('canary: an insecure SageMaker endpoint + API stack', () => {
  const app = createTestApp();
  const stack = new Stack(app, 'InsecureInference');
  const role = new iam.CfnRole(stack, 'ExecutionRole', {
    assumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    managedPolicyArns: [`arn:${stack.partition}:iam::aws:policy/AmazonSageMakerFullAccess`],
    policies: [{
      policyName: 'guide-example',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'sagemaker:*Job*', Resource: '*' },
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
        ],
      },
    }],
  });
  const model = new sagemaker.CfnModel(stack, 'Model', {
    executionRoleArn: role.attrArn,
    primaryContainer: { image: `${stack.account}.dkr.ecr.${stack.region}.amazonaws.com/model:latest` },
  });
  const config = new sagemaker.CfnEndpointConfig(stack, 'EndpointConfig', {
    productionVariants: [{ variantName: 'main', modelName: model.attrModelName, instanceType: 'ml.m5.large', initialInstanceCount: 1 }],
  });
  new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: config.attrEndpointConfigName });
  new ecr.CfnRepository(stack, 'Images', {});
  new s3.CfnBucket(stack, 'Artifacts', {});
  const api = new apigw.CfnRestApi(stack, 'Api', { name: 'predict', endpointConfiguration: { types: ['REGIONAL'] } });
  const method = new apigw.CfnMethod(stack, 'Predict', {
    restApiId: api.ref,
    resourceId: api.attrRootResourceId,
    httpMethod: 'POST',
    authorizationType: 'NONE',
    integration: { type: 'MOCK' },
  });
  const deployment = new apigw.CfnDeployment(stack, 'Deployment', { restApiId: api.ref });
  deployment.node.addDependency(method);
  new apigw.CfnStage(stack, 'Stage', { restApiId: api.ref, deploymentId: deployment.ref, stageName: 'prod' });
  new wafv2.CfnWebACL(stack, 'Acl', {
    defaultAction: { allow: {} },
    scope: 'REGIONAL',
    visibilityConfig: { cloudWatchMetricsEnabled: false, metricName: 'acl', sampledRequestsEnabled: false },
    rules: [],
  });
  const mode = new CfnParameter(stack, 'NotebookRootAccess', { default: 'Enabled' });
  new sagemaker.CfnNotebookInstance(stack, 'Notebook', { instanceType: 'ml.t3.medium', roleArn: role.attrArn, rootAccess: mode.valueAsString });

  const report = complianceReport(stack);
  const aiSec = report.violations.filter((v) => v.plugin === 'AiSec');
  const found = aiSec.map((v) => `${v.rule} @ ${v.constructPath.replace(/^InsecureInference\//, '')}`).sort();

  test('reports exactly the expected rule IDs on the expected resources', () => {
    expect(found).toEqual([
      'AiSec-APIGWMethodAuthorization @ Predict',
      'AiSec-APIGWStageThrottling @ Stage',
      'AiSec-APIGWStageWafOrPrivate @ Stage',
      'AiSec-ECRKms @ Images',
      'AiSec-ECRLifecyclePolicy @ Images',
      'AiSec-ECRScanOnPush @ Images',
      'AiSec-ECRTagImmutability @ Images',
      'AiSec-IAMPassRoleScoped[Condition::iam:PassedToService] @ ExecutionRole',
      'AiSec-IAMPassRoleScoped[Resource::*] @ ExecutionRole',
      'AiSec-IAMSageMakerCreateConditions[Action::sagemaker:CreateHyperParameterTuningJob] @ ExecutionRole',
      'AiSec-IAMSageMakerCreateConditions[Action::sagemaker:CreateProcessingJob] @ ExecutionRole',
      'AiSec-IAMSageMakerCreateConditions[Action::sagemaker:CreateTrainingJob] @ ExecutionRole',
      'AiSec-IAMSageMakerRoleNoFullAccess[Policy::AmazonSageMakerFullAccess] @ ExecutionRole',
      'AiSec-IAMSageMakerRoleNoWildcards[Resource::*[iam:PassRole]] @ ExecutionRole',
      'AiSec-IAMSageMakerRoleNoWildcards[Resource::*[sagemaker:*Job*]] @ ExecutionRole',
      'AiSec-IAMSageMakerTrustConfusedDeputy @ ExecutionRole',
      'AiSec-S3MinimumTls12 @ Artifacts',
      'AiSec-SageMakerEndpointConfigDataCapture @ EndpointConfig',
      'AiSec-SageMakerEndpointConfigKms @ EndpointConfig',
      'AiSec-SageMakerEndpointConfigMultiInstance @ EndpointConfig',
      'AiSec-SageMakerModelNetworkIsolation @ Model',
      'AiSec-SageMakerModelVpcConfig @ Model',
      'AiSec-SageMakerNotebookRootAccess @ Notebook',
      'AiSec-WAFv2Logging @ Acl',
      'AiSec-WAFv2Metrics @ Acl',
      'AiSec-WAFv2RateBasedRule @ Acl',
    ]);
  });

  test('levels reach the report: errors as errors, warnings as warnings', () => {
    const severity = (rule: string) => aiSec.find((v) => v.rule === rule)?.severity;
    expect(severity('AiSec-SageMakerModelNetworkIsolation')).toBe('error');
    expect(severity('AiSec-SageMakerEndpointConfigMultiInstance')).toBe('warning');
  });

  test('a value the pack cannot resolve (a parameter) is reported as such, not guessed', () => {
    const notebook = aiSec.find((v) => v.rule === 'AiSec-SageMakerNotebookRootAccess');
    expect(notebook?.description).toMatch(/Notebook: cannot evaluate RootAccess: value comes from parameter NotebookRootAccess/);
  });
});

describe('acknowledging an AiSec finding', () => {
  test('is narrow: one rule on one resource, through the library helper', () => {
    const stack = new Stack(createTestApp(), 'Ack');
    const model = (id: string) => new sagemaker.CfnModel(stack, id, { executionRoleArn: 'arn:aws:iam::111111111111:role/r', enableNetworkIsolation: true });
    const acknowledged = model('Acknowledged');
    model('Other');
    acknowledge(acknowledged, [{ id: 'AiSec-SageMakerModelVpcConfig', source: FindingSource.CDK_NAG }],
      'Test fixture: this model deliberately runs outside a VPC to prove acknowledgements stay narrow.');
    const report = complianceReport(stack);
    const paths = (list: typeof report.violations) => list.filter((v) => v.rule === 'AiSec-SageMakerModelVpcConfig').map((v) => v.constructPath);
    expect(paths(report.violations)).toEqual(['Ack/Other']);
    expect(report.violations.filter((v) => v.rule === 'AiSec-SageMakerModelNetworkIsolation')).toEqual([]);
  });
});

describe('the library\'s constructs pass the pack with their defaults', () => {
  test('SecureTrainingBucket (both buckets pass S3MinimumTls12)', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Library');
    new SecureTrainingBucket(stack, 'Data');
    expect(new AiSecurityChecks().validateScope(stack).violations).toEqual([]);
  });
});
