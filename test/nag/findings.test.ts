/**
 * The findings of the pack review, each reproduced through the pack as a pipeline runs it
 * (`AiSecurityChecks.validateScope` over an app): rules judge the rendered template,
 * recognise equivalent policies, see resources in other stacks and rule groups, know
 * WebSocket routes, serverless variants and `Fn::If`, and say per resource what is wrong.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnCondition, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { IConstruct } from 'constructs';
import { AiSecurityChecks } from '../../lib';
import { AppIndex } from '../../lib/nag/rules/render';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const ROLE = 'arn:aws:iam::111111111111:role/SageMakerExecution';
const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/model:1.0.0';
const VISIBLE = { cloudWatchMetricsEnabled: true, metricName: 'm', sampledRequestsEnabled: true };

/** The violations of one rule (`AiSec-<suffix>` or `AiSec-<suffix>[finding]`) on one construct path. */
function violations(scope: IConstruct, suffix: string, node: IConstruct) {
  return new AiSecurityChecks().validateScope(scope).violations
    .filter((v) => (v.ruleName === `AiSec-${suffix}` || v.ruleName.startsWith(`AiSec-${suffix}[`))
      && v.violatingResources.some((r) => r.constructPath === node.node.path));
}
const reported = (scope: IConstruct, suffix: string, node: IConstruct) => violations(scope, suffix, node).length > 0;

function stack(app = new App(), id = 'S') {
  return new Stack(app, id, { env: ENV });
}

describe('rules judge the rendered template', () => {
  test('an escape-hatch override that hardens a third-party model is seen', () => {
    const s = stack();
    const model = new sagemaker.CfnModel(s, 'Model', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE } });
    expect(reported(s, 'SageMakerModelNetworkIsolation', model)).toBe(true);
    model.addPropertyOverride('EnableNetworkIsolation', true);
    expect(reported(s, 'SageMakerModelNetworkIsolation', model)).toBe(false);
  });

  test('an override that sets KmsKeyId on an endpoint config is seen', () => {
    const s = stack();
    const config = new sagemaker.CfnEndpointConfig(s, 'Config', {
      productionVariants: [{ variantName: 'v', modelName: 'm', initialInstanceCount: 2, instanceType: 'ml.m5.large' }],
    });
    expect(reported(s, 'SageMakerEndpointConfigKms', config)).toBe(true);
    config.addPropertyOverride('KmsKeyId', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(reported(s, 'SageMakerEndpointConfigKms', config)).toBe(false);
  });

  test('an override that weakens a hardened model is seen', () => {
    const s = stack();
    const model = new sagemaker.CfnModel(s, 'Model', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE }, enableNetworkIsolation: true });
    model.addPropertyOverride('EnableNetworkIsolation', false);
    expect(reported(s, 'SageMakerModelNetworkIsolation', model)).toBe(true);
  });

  test('a plain CfnResource is checked', () => {
    const s = stack();
    const model = new CfnResource(s, 'Model', { type: 'AWS::SageMaker::Model', properties: { ExecutionRoleArn: ROLE, PrimaryContainer: { Image: IMAGE } } });
    expect(reported(s, 'SageMakerModelNetworkIsolation', model)).toBe(true);
  });

  test('a template loaded with cloudformation-include is checked', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aisec-')), 'template.json');
    fs.writeFileSync(file, JSON.stringify({
      Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'MUTABLE' } } },
    }));
    const s = stack();
    const included = new cfninc.CfnInclude(s, 'Included', { templateFile: file });
    expect(reported(s, 'ECRTagImmutability', included.getResource('Repo'))).toBe(true);
  });

  test('a resource built against another copy of aws-cdk-lib than the pack\'s is checked', () => {
    const s = stack();
    const model = new sagemaker.CfnModel(s, 'Model', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE } });
    // A fresh module registry: the pack (and the aws-cdk-lib it loads) is a second instance.
    jest.resetModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const otherCdk = require('aws-cdk-lib');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AiSecurityChecks: OtherPack } = require('../../lib');
    expect(otherCdk.Stack).not.toBe(Stack);
    expect(model instanceof otherCdk.CfnResource).toBe(false);
    const found = new OtherPack().validateScope(s).violations
      .filter((v: any) => v.ruleName === 'AiSec-SageMakerModelNetworkIsolation');
    expect(found.flatMap((v: any) => v.violatingResources.map((r: any) => r.constructPath))).toEqual([model.node.path]);
  });
});

describe('equivalent policies written differently', () => {
  function tlsBucket(statements: (bucketArn: string, objects: string) => any[]) {
    const s = stack();
    const bucket = new s3.CfnBucket(s, 'Bucket', {});
    new s3.CfnBucketPolicy(s, 'Policy', {
      bucket: bucket.ref,
      policyDocument: { Version: '2012-10-17', Statement: statements(bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])) },
    });
    return { s, bucket };
  }
  const deny = (resource: unknown, version: unknown = 1.2) => ({
    Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: resource, Condition: { NumericLessThan: { 's3:TlsVersion': version } },
  });

  test('the TLS deny split into a bucket statement and an object statement is recognised', () => {
    const { s, bucket } = tlsBucket((b, o) => [deny(b), deny(o)]);
    expect(reported(s, 'S3MinimumTls12', bucket)).toBe(false);
  });
  test('a one-element list condition value is recognised', () => {
    const { s, bucket } = tlsBucket((b, o) => [deny([b, o], ['1.2'])]);
    expect(reported(s, 'S3MinimumTls12', bucket)).toBe(false);
  });
  test('canary: a deny on the objects only is reported, saying what is missing', () => {
    const { s, bucket } = tlsBucket((_b, o) => [deny(o)]);
    expect(violations(s, 'S3MinimumTls12', bucket)[0]?.description).toMatch(/covers the objects but not the bucket/);
  });
  test('canary: a TLS 1.1 threshold is reported', () => {
    const { s, bucket } = tlsBucket((b, o) => [deny([b, o], 1.1)]);
    expect(reported(s, 'S3MinimumTls12', bucket)).toBe(true);
  });

  function createModelPolicy(extra: any[]) {
    const s = stack();
    const policy = new iam.CfnManagedPolicy(s, 'Policy', {
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: 'sagemaker:CreateModel',
          Resource: '*',
          Condition: { StringEquals: { 'sagemaker:VpcSubnets': ['subnet-1'] } },
        }, ...extra],
      },
    });
    return { s, policy };
  }
  test('network isolation enforced by a Deny with BoolIfExists is recognised', () => {
    const { s, policy } = createModelPolicy([{
      Effect: 'Deny', Action: 'sagemaker:CreateModel', Resource: '*', Condition: { BoolIfExists: { 'sagemaker:NetworkIsolation': 'false' } },
    }]);
    expect(violations(s, 'IAMSageMakerCreateConditions', policy).map((v) => v.ruleName)).toEqual([]);
  });
  test('network isolation enforced by a Deny with Null is recognised', () => {
    const { s, policy } = createModelPolicy([{
      Effect: 'Deny', Action: 'sagemaker:CreateModel', Resource: '*', Condition: { Null: { 'sagemaker:NetworkIsolation': ['true'] } },
    }]);
    expect(violations(s, 'IAMSageMakerCreateConditions', policy).map((v) => v.ruleName)).toEqual([]);
  });
  test('canary: a Deny with Bool (not IfExists) leaves the absent key open and is reported', () => {
    const { s, policy } = createModelPolicy([{
      Effect: 'Deny', Action: 'sagemaker:CreateModel', Resource: '*', Condition: { Bool: { 'sagemaker:NetworkIsolation': 'false' } },
    }]);
    expect(violations(s, 'IAMSageMakerCreateConditions', policy).map((v) => v.ruleName)).toEqual(['AiSec-IAMSageMakerCreateConditions[Action::sagemaker:CreateModel]']);
  });

  test('a SageMaker service principal written as Fn::Sub with ${AWS::URLSuffix} is recognised', () => {
    const s = stack();
    const role = new iam.CfnRole(s, 'Role', {
      assumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: Fn.sub('sagemaker.${AWS::URLSuffix}') } }],
      },
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'],
    });
    expect(violations(s, 'IAMSageMakerRoleNoFullAccess', role).map((v) => v.ruleName)).toEqual(['AiSec-IAMSageMakerRoleNoFullAccess[Policy::AmazonSageMakerFullAccess]']);
    expect(reported(s, 'IAMSageMakerTrustConfusedDeputy', role)).toBe(true);
  });

  test('iam:PassRole on role/* counts as every role', () => {
    const s = stack();
    const policy = new iam.CfnManagedPolicy(s, 'Policy', {
      policyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*'),
          Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        }],
      },
    });
    expect(violations(s, 'IAMPassRoleScoped', policy).map((v) => v.ruleName)).toEqual(['AiSec-IAMPassRoleScoped[Resource::*]']);
  });
});

describe('resources in another stack of the app, or in a rule group', () => {
  function restApi(s: Stack) {
    const api = new apigw.RestApi(s, 'Api', { deploy: true, cloudWatchRole: false });
    api.root.addMethod('GET', new apigw.MockIntegration(), { authorizationType: apigw.AuthorizationType.IAM });
    return api;
  }
  function webAcl(s: Stack, rules: wafv2.CfnWebACL.RuleProperty[] = [{
    name: 'rate', priority: 0, statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: 100 } }, action: { block: {} }, visibilityConfig: VISIBLE,
  }]) {
    return new wafv2.CfnWebACL(s, 'Acl', { defaultAction: { allow: {} }, scope: 'REGIONAL', visibilityConfig: VISIBLE, rules });
  }

  // One app, synthesized once (cross-stack references become exports and imports at synth).
  const app = new App();
  const apiStack = stack(app, 'Api');
  const central = stack(app, 'Central');
  const api = restApi(apiStack);
  const other = restApi(stack(app, 'Other'));
  const centralAcl = webAcl(central);
  new wafv2.CfnWebACLAssociation(central, 'Association', { resourceArn: api.deploymentStage.stageArn, webAclArn: centralAcl.attrArn });
  const loggedAcl = webAcl(stack(app, 'Acl'));
  new wafv2.CfnLoggingConfiguration(central, 'Logging', {
    resourceArn: loggedAcl.attrArn, logDestinationConfigs: ['arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-central'],
  });
  const unlogged = webAcl(stack(app, 'Unlogged'));
  app.synth();

  test('a web ACL association for the stage in a central stack counts', () => {
    expect(reported(app, 'APIGWStageWafOrPrivate', api.deploymentStage.node.defaultChild as IConstruct)).toBe(false);
  });
  test('canary: the association does not count for another API', () => {
    expect(reported(app, 'APIGWStageWafOrPrivate', other.deploymentStage.node.defaultChild as IConstruct)).toBe(true);
  });
  test('WAF logging configured in a central stack counts', () => {
    expect(reported(app, 'WAFv2Logging', loggedAcl)).toBe(false);
  });
  test('canary: a web ACL no logging configuration names is reported', () => {
    expect(reported(app, 'WAFv2Logging', unlogged)).toBe(true);
  });

  test('a rate-based rule inside a rule group the web ACL references counts', () => {
    const s = stack();
    const group = new wafv2.CfnRuleGroup(s, 'Group', {
      capacity: 10,
      scope: 'REGIONAL',
      visibilityConfig: VISIBLE,
      rules: [{ name: 'rate', priority: 0, statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: 100 } }, action: { block: {} }, visibilityConfig: VISIBLE }],
    });
    const acl = webAcl(s, [{ name: 'group', priority: 0, statement: { ruleGroupReferenceStatement: { arn: group.attrArn } }, overrideAction: { none: {} }, visibilityConfig: VISIBLE }]);
    expect(reported(s, 'WAFv2RateBasedRule', acl)).toBe(false);
  });
  test('canary: the rule group\'s rate rule overridden to Count does not count', () => {
    const s = stack();
    const group = new wafv2.CfnRuleGroup(s, 'Group', {
      capacity: 10,
      scope: 'REGIONAL',
      visibilityConfig: VISIBLE,
      rules: [{ name: 'rate', priority: 0, statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: 100 } }, action: { block: {} }, visibilityConfig: VISIBLE }],
    });
    const acl = webAcl(s, [{
      name: 'group',
      priority: 0,
      overrideAction: { none: {} },
      visibilityConfig: VISIBLE,
      statement: { ruleGroupReferenceStatement: { arn: group.attrArn, ruleActionOverrides: [{ name: 'rate', actionToUse: { count: {} } }] } },
    }]);
    expect(reported(s, 'WAFv2RateBasedRule', acl)).toBe(true);
  });
});

describe('shapes the rules must know', () => {
  function webSocket() {
    const s = stack();
    const api = new apigwv2.CfnApi(s, 'Ws', { name: 'ws', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
    return { s, api };
  }
  test('WebSocket routes other than $connect need no authorizer', () => {
    const { s, api } = webSocket();
    const send = new apigwv2.CfnRoute(s, 'Send', { apiId: api.ref, routeKey: 'sendmessage', authorizationType: 'NONE' });
    expect(reported(s, 'APIGWMethodAuthorization', send)).toBe(false);
  });
  test('canary: a WebSocket $connect route without authorization is reported', () => {
    const { s, api } = webSocket();
    const connect = new apigwv2.CfnRoute(s, 'Connect', { apiId: api.ref, routeKey: '$connect', authorizationType: 'NONE' });
    expect(reported(s, 'APIGWMethodAuthorization', connect)).toBe(true);
  });

  function serverless(capture = false) {
    const s = stack();
    const model = new sagemaker.CfnModel(s, 'Model', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE } });
    const config = new sagemaker.CfnEndpointConfig(s, 'Config', {
      kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      productionVariants: [{ variantName: 'v', modelName: model.attrModelName, serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } }],
      ...(capture ? { dataCaptureConfig: { enableCapture: true, initialSamplingPercentage: 100, destinationS3Uri: 's3://b/c', captureOptions: [{ captureMode: 'Input' }] } } : {}),
    });
    return { s, model, config };
  }
  test('serverless variants are not asked for data capture, and their models not for VPC or isolation', () => {
    const { s, model, config } = serverless();
    expect(reported(s, 'SageMakerEndpointConfigDataCapture', config)).toBe(false);
    expect(reported(s, 'SageMakerModelNetworkIsolation', model)).toBe(false);
    expect(reported(s, 'SageMakerModelVpcConfig', model)).toBe(false);
  });
  test('canary: a model served by an instance variant as well is still asked for isolation', () => {
    const { s, model } = serverless();
    new sagemaker.CfnEndpointConfig(s, 'Instances', { productionVariants: [{ variantName: 'i', modelName: model.attrModelName, instanceType: 'ml.m5.large', initialInstanceCount: 2 }] });
    expect(reported(s, 'SageMakerModelNetworkIsolation', model)).toBe(true);
  });
  test('data capture on a serverless endpoint config is a preflight error', () => {
    const { s, config } = serverless(true);
    expect(reported(s, 'PreflightSageMakerServerlessDataCapture', config)).toBe(true);
  });

  test('Fn::If: compliant only when every branch is, and the failing branch is named', () => {
    const s = stack();
    const condition = new CfnCondition(s, 'IsProd', { expression: Fn.conditionEquals(new CfnParameter(s, 'Env').valueAsString, 'prod') });
    const repo = new CfnResource(s, 'Repo', {
      type: 'AWS::ECR::Repository', properties: { ImageTagMutability: Fn.conditionIf(condition.logicalId, 'IMMUTABLE', 'MUTABLE') },
    });
    expect(violations(s, 'ECRTagImmutability', repo)[0]?.description).toMatch(/when condition IsProd is false: ImageTagMutability is MUTABLE/);
    repo.addPropertyOverride('ImageTagMutability', Fn.conditionIf(condition.logicalId, 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'));
    expect(reported(s, 'ECRTagImmutability', repo)).toBe(false);
  });
});

describe('reporting: each finding says what is wrong with that resource', () => {
  test('a value from a parameter reads "cannot evaluate: value comes from parameter X", next to an ordinary finding of the same rule', () => {
    const s = stack();
    const fixed = new sagemaker.CfnModel(s, 'Plain', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE } });
    const param = new CfnParameter(s, 'Isolate', { type: 'String' });
    const open = new sagemaker.CfnModel(s, 'FromParam', { executionRoleArn: ROLE, primaryContainer: { image: IMAGE }, enableNetworkIsolation: param.valueAsString as any });
    const plain = violations(s, 'SageMakerModelNetworkIsolation', fixed);
    const unknown = violations(s, 'SageMakerModelNetworkIsolation', open);
    expect(plain[0].description).toMatch(/Plain: EnableNetworkIsolation is absent/);
    expect(unknown[0].description).toMatch(/FromParam: cannot evaluate EnableNetworkIsolation: value comes from parameter Isolate/);
    expect(plain[0].violatingResources.map((r) => r.constructPath)).not.toContain(open.node.path);
  });
});

describe('gaps', () => {
  function sageMakerRole(s: Stack, statements: any[]) {
    const role = new iam.CfnRole(s, 'Role', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }] },
    });
    new iam.CfnPolicy(s, 'Attached', { policyName: 'p', roles: [role.ref], policyDocument: { Statement: statements } });
    return role;
  }
  test('wildcards in a policy attached to a role SageMaker assumes are reported', () => {
    const s = stack();
    const role = sageMakerRole(s, [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    expect(violations(s, 'IAMSageMakerRoleNoWildcards', role).map((v) => v.ruleName).sort())
      .toEqual(['AiSec-IAMSageMakerRoleNoWildcards[Action::s3:*]', 'AiSec-IAMSageMakerRoleNoWildcards[Resource::*[s3:*]]']);
  });
  test('actions that only support "*" (ecr:GetAuthorizationToken) are not reported', () => {
    const s = stack();
    const role = sageMakerRole(s, [{ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }]);
    expect(reported(s, 'IAMSageMakerRoleNoWildcards', role)).toBe(false);
  });
  test('endpoint configs with inference components need isolation and a VPC on the config', () => {
    const s = stack();
    const config = new sagemaker.CfnEndpointConfig(s, 'Config', {
      executionRoleArn: ROLE, productionVariants: [{ variantName: 'v', instanceType: 'ml.g5.xlarge', initialInstanceCount: 2 }],
    });
    expect(violations(s, 'SageMakerEndpointConfigInferenceComponentIsolation', config)[0]?.description).toMatch(/EnableNetworkIsolation is absent, VpcConfig is absent/);
    config.addPropertyOverride('EnableNetworkIsolation', true);
    config.addPropertyOverride('VpcConfig', { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] });
    expect(reported(s, 'SageMakerEndpointConfigInferenceComponentIsolation', config)).toBe(false);
  });
  test('sagemaker:InvokeEndpoint on every endpoint is reported; on a named endpoint it is not', () => {
    const s = stack();
    const broad = new iam.CfnManagedPolicy(s, 'Broad', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/*' }] } });
    const named = new iam.CfnManagedPolicy(s, 'Named', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/fraud' }] } });
    expect(violations(s, 'IAMSageMakerInvokeEndpointScoped', broad).map((v) => v.ruleName)).toEqual(['AiSec-IAMSageMakerInvokeEndpointScoped[Action::sagemaker:InvokeEndpoint]']);
    expect(reported(s, 'IAMSageMakerInvokeEndpointScoped', named)).toBe(false);
  });
});

describe('cost', () => {
  test('the S3 TLS rule reads the bucket policies of the app once per validation, not once per bucket', () => {
    const s = stack();
    for (let i = 0; i < 30; i++) new s3.Bucket(s, `Bucket${i}`, { enforceSSL: true, minimumTLSVersion: 1.2 });
    // The pack loads its rules on first use, through the current module registry (an earlier test
    // resets it): spy on the index class the rules really use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module instance the pack loaded
    const index: typeof AppIndex = require('../../lib/nag/rules/render').AppIndex;
    const spy = jest.spyOn(index.prototype, 'ofType');
    new AiSecurityChecks().validateScope(s);
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.filter(([type]) => type === 'AWS::S3::BucketPolicy')).toHaveLength(1);
    spy.mockRestore();
  });
});
