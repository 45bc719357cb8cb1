import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { baseProps, inferenceStack, OTHER_VPCE_ID, PropsOf, VPCE_ID } from './fixture';
import {
  InferenceApiAuthorization,
  InferenceApiEndpointType,
  PrivateInferenceEndpoint,
  SecureTrainingBucket,
} from '../../lib';
import { createKey } from '../../lib/private/kms';
import { allowLogsToUseKey } from '../../lib/private/logs';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, ANONYMOUS, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

const userPool = (stack: Stack) => cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefghi');

describe('PrivateInferenceEndpoint defaults', () => {
  const { stack, endpoint } = inferenceStack();
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const idOf = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  const resource = (construct: any) => json.Resources[idOf(construct)];

  describe('model side', () => {
    test('the model runs the ECR image and S3 artifact, network-isolated, in the isolated subnets with its own security group', () => {
      const model = resource(endpoint.model).Properties;
      expect(model.EnableNetworkIsolation).toBe(true);
      expect(JSON.stringify(model.PrimaryContainer.Image)).toContain('models/sentiment:latest');
      expect(JSON.stringify(model.PrimaryContainer.ModelDataUrl)).toContain('/models/sentiment/model.tar.gz');
      expect(model.VpcConfig).toEqual({
        Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
        SecurityGroupIds: [{ 'Fn::GetAtt': [idOf(endpoint.securityGroup), 'GroupId'] }],
      });
      expect(model.ExecutionRoleArn).toEqual({ 'Fn::GetAtt': [idOf(endpoint.executionRole), 'Arn'] });
    });

    test('the security group has no allow-all egress: HTTPS only (endpoints and S3, see deploy-fixes.test.ts), no ingress', () => {
      const sg = resource(endpoint.securityGroup).Properties;
      expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
      expect(sg.SecurityGroupIngress).toBeUndefined();
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('the endpoint configuration is KMS-encrypted, has two instances and captures requests and responses', () => {
      const config = resource(endpoint.endpointConfig).Properties;
      expect(config.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf(endpoint.encryptionKey), 'Arn'] });
      expect(config.ProductionVariants).toEqual([expect.objectContaining({
        VariantName: 'AllTraffic', InitialInstanceCount: 2, InstanceType: 'ml.m5.large',
      })]);
      expect(config.DataCaptureConfig).toEqual(expect.objectContaining({
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        KmsKeyId: { 'Fn::GetAtt': [idOf(endpoint.encryptionKey), 'Arn'] },
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      }));
      expect(JSON.stringify(config.DataCaptureConfig.DestinationS3Uri)).toContain(idOf(endpoint.dataCaptureBucket));
    });

    test('captured data goes to a SecureTrainingBucket encrypted with the endpoint key, retained', () => {
      expect(endpoint.secureDataCaptureBucket?.encryptionKey).toBe(endpoint.encryptionKey);
      expect(json.Resources[idOf(endpoint.dataCaptureBucket)]).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain' }));
    });

    test('the endpoint has a stable name and depends on the execution policy and its log group', () => {
      const ep = resource(endpoint.endpoint);
      expect(ep.Properties.EndpointName).toBe(endpoint.endpointName);
      expect(endpoint.endpointName).toMatch(/^inference-endpoint-[0-9a-f]{8}$/);
      expect(ep.DependsOn).toEqual(expect.arrayContaining([idOf(endpoint.executionPolicy), idOf(endpoint.endpointLogGroup)]));
    });

    test('target-tracking autoscaling between 2 and 4 instances, through the service-linked role', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ResourceId: `endpoint/${endpoint.endpointName}/variant/AllTraffic`,
        MinCapacity: 2,
        MaxCapacity: 4,
        RoleARN: Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint'),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          TargetValue: 100,
        }),
      });
    });

    test('the endpoint log group has the name SageMaker writes to, is KMS-encrypted and kept a year', () => {
      expect(resource(endpoint.endpointLogGroup)).toEqual(expect.objectContaining({
        Properties: {
          LogGroupName: `/aws/sagemaker/Endpoints/${endpoint.endpointName}`,
          KmsKeyId: { 'Fn::GetAtt': [idOf(endpoint.monitoringEncryptionKey), 'Arn'] },
          RetentionInDays: 365,
        },
        DeletionPolicy: 'Retain',
      }));
    });
  });

  describe('API side', () => {
    test('the API is private, attached to the named VPC endpoint, with a resource policy denying other paths', () => {
      const api = resource(endpoint.api).Properties;
      expect(api.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: [VPCE_ID] });
      expect(api.Policy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Condition: { StringNotEquals: { 'aws:SourceVpce': [VPCE_ID] } },
      })]));
    });

    test('POST invokes SageMaker directly (no Lambda) through the integration role, JSON only', () => {
      const method = resource(endpoint.method).Properties;
      expect(method.HttpMethod).toBe('POST');
      expect(method.AuthorizationType).toBe('AWS_IAM');
      expect(method.Integration).toEqual(expect.objectContaining({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        Uri: `arn:aws:apigateway:${REGION}:runtime.sagemaker:path/endpoints/${endpoint.endpointName}/invocations`,
        Credentials: { 'Fn::GetAtt': [idOf(endpoint.integrationRole), 'Arn'] },
        PassthroughBehavior: 'NEVER',
      }));
      template.resourceCountIs('AWS::Lambda::Function', 0);
      expect(Object.values<any>(json.Resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
    });

    test('no method of the API is left without authorization', () => {
      for (const method of Object.values<any>(template.findResources('AWS::ApiGateway::Method'))) {
        expect(method.Properties.AuthorizationType).not.toBe('NONE');
      }
    });

    test('the request body is validated against the default JSON schema', () => {
      const method = resource(endpoint.method).Properties;
      expect(method.RequestModels).toEqual({ 'application/json': { Ref: idOf(endpoint.requestModel) } });
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
      expect(resource(endpoint.requestModel).Properties.Schema).toEqual(expect.objectContaining({
        type: 'object', required: ['inputs'], additionalProperties: false,
      }));
    });

    test('the stage throttles, logs JSON access logs and execution logs without data, traces, and caches nothing', () => {
      const stage = resource(endpoint.stage).Properties;
      expect(stage.MethodSettings).toEqual([{
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
        LoggingLevel: 'INFO',
        DataTraceEnabled: false,
        MetricsEnabled: true,
        CachingEnabled: false,
        CacheDataEncrypted: true,
      }]);
      expect(stage.TracingEnabled).toBe(true);
      expect(stage.CacheClusterEnabled).toBe(false);
      expect(JSON.parse(stage.AccessLogSetting.Format)).toEqual(expect.objectContaining({ requestId: '$context.requestId', status: '$context.status' }));
      expect(JSON.stringify(stage.AccessLogSetting.DestinationArn)).toContain(idOf(endpoint.accessLogGroup));
    });

    test('no account-wide API Gateway role is created unless asked for', () => {
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
    });

    test('the web ACL has the managed rule groups, a rate rule, a body-size rule, metrics on every rule', () => {
      const acl = resource(endpoint.webAcl).Properties;
      expect(acl.Scope).toBe('REGIONAL');
      expect(acl.DefaultAction).toEqual({ Allow: {} });
      const rules = acl.Rules as any[];
      expect(rules.map((r) => r.Name)).toEqual([
        'AWSManagedRulesAmazonIpReputationList', 'RateLimitPerClientIp', 'RequestBodyTooLarge',
        'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet',
      ]);
      for (const rule of rules) {
        expect(rule.VisibilityConfig).toEqual(expect.objectContaining({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true }));
      }
      expect(acl.VisibilityConfig.CloudWatchMetricsEnabled).toBe(true);
      expect(rules[1]).toEqual(expect.objectContaining({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } }));
      expect(rules[2].Statement.SizeConstraintStatement).toEqual(expect.objectContaining({
        ComparisonOperator: 'GT', Size: 8192, FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
      }));
      expect(acl.AssociationConfig).toBeUndefined();
    });

    test('the web ACL protects the stage and logs to a KMS-encrypted aws-waf-logs- group, Authorization redacted', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: { 'Fn::GetAtt': [idOf(endpoint.webAcl), 'Arn'] },
        ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: idOf(endpoint.api) }, { Ref: idOf(endpoint.stage) }])] },
      });
      const wafLogs = resource(endpoint.wafLogGroup).Properties;
      expect(wafLogs.LogGroupName).toMatch(/^aws-waf-logs-/);
      expect(wafLogs.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf(endpoint.monitoringEncryptionKey), 'Arn'] });
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [idOf(endpoint.webAcl), 'Arn'] },
        LogDestinationConfigs: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${wafLogs.LogGroupName}`],
        RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
      });
    });

    test('every log group is KMS-encrypted and retained for at least a year', () => {
      const groups = Object.values<any>(template.findResources('AWS::Logs::LogGroup'));
      expect(groups).toHaveLength(4); // endpoint, access, WAF, execution
      for (const group of groups) {
        expect(group.Properties.KmsKeyId).toBeDefined();
        expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
        expect(group.DeletionPolicy).toBe('Retain');
      }
    });
  });

  describe('alarms', () => {
    test('alarms cover API 5XX, 4XX, latency, throttled clients, WAF blocks, model errors and model latency', () => {
      const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
      const metrics = alarms.map((a) => `${a.Namespace}/${a.MetricName}`).sort();
      expect(metrics).toEqual([
        'AWS/ApiGateway/4XXError', 'AWS/ApiGateway/5XXError', 'AWS/ApiGateway/Latency',
        'AWS/SageMaker/Invocation5XXErrors', 'AWS/SageMaker/ModelLatency',
        'AWS/WAFV2/BlockedRequests', 'AWS/WAFV2/BlockedRequests',
      ]);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: idOf(endpoint.alarmTopic) }]);
      expect(endpoint.alarms).toHaveLength(7);
      const modelLatency = alarms.find((a) => a.MetricName === 'ModelLatency');
      expect(modelLatency.Threshold).toBe(5_000_000); // microseconds
      expect(modelLatency.Dimensions).toEqual(expect.arrayContaining([{ Name: 'EndpointName', Value: endpoint.endpointName }]));
    });

    test('the alarm topic is KMS-encrypted and accepts only TLS publishes', () => {
      expect(resource(endpoint.alarmTopic).Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idOf(endpoint.monitoringEncryptionKey), 'Arn'] });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('the monitoring key lets CloudWatch Logs and alarms of this account use it', () => {
      const statements = resource(endpoint.monitoringEncryptionKey).Properties.KeyPolicy.Statement;
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({ Principal: { Service: `logs.${REGION}.amazonaws.com` } }),
        expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
      ]));
    });
  });

  test('every key is a rotated customer-managed key, retained', () => {
    for (const key of Object.values<any>(template.findResources('AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  test('exposes what it creates', () => {
    expect(endpoint.executionRole).toBeInstanceOf(iam.Role);
    expect(endpoint.usagePlan).toBeUndefined();
    expect(endpoint.apiKey).toBeUndefined();
    expect(stack.resolve(endpoint.endpointArn)).toBe(`arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${endpoint.endpointName}`);
    expect(stack.resolve(endpoint.invokeUrl)).toBeDefined();
  });

  test('matches the snapshot (private API)', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('PrivateInferenceEndpoint options', () => {
  test('regional API: no VPC endpoint, no deny statement; matches the snapshot', () => {
    const { stack, endpoint } = inferenceStack({ endpointType: InferenceApiEndpointType.REGIONAL, apiVpcEndpoints: undefined });
    const api = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(endpoint.api.node.defaultChild as apigw.CfnRestApi)].Properties;
    expect(api.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(api.Policy.Statement).toEqual([expect.objectContaining({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })]);
    expect(snapshotOf(stack)).toMatchSnapshot();
    expectCompliant(stack);
  });

  test('regional API with a custom domain: TLS 1.2, execute-api endpoint disabled', () => {
    const { stack, endpoint } = inferenceStack((s) => ({
      endpointType: InferenceApiEndpointType.REGIONAL,
      apiVpcEndpoints: undefined,
      domainName: 'inference.example.com',
      domainCertificate: acm.Certificate.fromCertificateArn(s, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`),
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'inference.example.com',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    expect(endpoint.domain).toBeDefined();
    expectCompliant(stack);
  });

  test('Cognito authorization: a user-pool authorizer on the method', () => {
    const { stack, endpoint } = inferenceStack((s) => ({
      authorization: InferenceApiAuthorization.COGNITO,
      userPool: userPool(s),
      authorizationScopes: ['inference/invoke'],
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['inference/invoke'] });
    expect(endpoint.method).toBeDefined();
    expectCompliant(stack);
  });

  test('API keys: required on the method, with a usage plan that throttles and sets a quota on the stage', () => {
    const { stack, endpoint } = inferenceStack({ requireApiKey: true, usagePlanRateLimit: 5, usagePlanBurstLimit: 10, usagePlanDailyQuota: 500 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', ApiKeyRequired: true, AuthorizationType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 500, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: { Ref: stack.getLogicalId(endpoint.stage.node.defaultChild as apigw.CfnStage) } })],
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    expect(endpoint.apiKey).toBeDefined();
    expectCompliant(stack);
  });

  test('Cognito with API keys', () => {
    const { stack } = inferenceStack((s) => ({ authorization: InferenceApiAuthorization.COGNITO, userPool: userPool(s), requireApiKey: true }));
    expectCompliant(stack);
  });

  test('bring your own role, keys, capture bucket and topic', () => {
    const { stack, endpoint } = inferenceStack((s) => {
      const capture = new SecureTrainingBucket(s, 'Capture');
      const monitoringKey = createKey(s, 'MonitoringKey', { description: 'monitoring', removalPolicy: RemovalPolicy.RETAIN });
      allowLogsToUseKey(monitoringKey);
      return {
        executionRole: new iam.Role(s, 'MyRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': s.account } }) }),
        encryptionKey: createKey(s, 'MyKey', { description: 'endpoint', removalPolicy: RemovalPolicy.RETAIN }),
        dataCaptureBucket: capture.bucket,
        monitoringEncryptionKey: monitoringKey,
        alarmTopic: new sns.Topic(s, 'Alarms', { masterKey: monitoringKey, enforceSSL: true }),
        dataCapturePrefix: 'capture/sentiment/',
        dataCaptureSamplingPercentage: 20,
      };
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: stack.getLogicalId(endpoint.executionRole.node.defaultChild as iam.CfnRole) }] });
    expect(endpoint.secureDataCaptureBucket).toBeUndefined();
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { DataCaptureConfig: Match.objectLike({ InitialSamplingPercentage: 20 }) });
    expectCompliant(stack);
  });

  test('large bodies, cache on, custom sizes, image digest', () => {
    const { stack, endpoint } = inferenceStack({
      maxRequestBodyBytes: 40_000,
      cacheEnabled: true,
      initialInstanceCount: 3,
      minInstanceCount: 2,
      maxInstanceCount: 6,
      wafRateLimit: 10,
      throttlingRateLimit: 5,
      throttlingBurstLimit: 5,
      imageTagOrDigest: `sha256:${'a'.repeat(64)}`,
      instanceType: 'ml.c5.xlarge',
      resourcePath: 'v1/predict',
      requestSchema: { type: apigw.JsonSchemaType.OBJECT, required: ['text'], properties: { text: { type: apigw.JsonSchemaType.STRING, maxLength: 4000 } } },
      logRetention: logs.RetentionDays.TWO_YEARS,
      apiLatencyAlarmThreshold: Duration.seconds(3),
    });
    const acl = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(endpoint.webAcl!)].Properties;
    expect(acl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_48' } } });
    expect(acl.Rules[3].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    const stage = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(endpoint.stage.node.defaultChild as apigw.CfnStage)];
    expect(stage.Properties.CacheClusterEnabled).toBe(true);
    expect(stage.Properties.MethodSettings[0]).toEqual(expect.objectContaining({ CachingEnabled: true, CacheDataEncrypted: true }));
    // with the cache on, the cache acknowledgement is not made: the rule itself passes
    expect(JSON.stringify(stage.Metadata)).not.toContain('APIGWCacheEnabledAndEncrypted');
    expect(endpoint.method.resource.path).toBe('/v1/predict');
    expectCompliant(stack);
  });

  test('the account-wide API Gateway CloudWatch role is created only when asked for', () => {
    const { stack } = inferenceStack({ createApiGatewayAccountRole: true }, { checks: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
  });
});

describe('weakened settings are still reported: the acknowledgements do not hide a user\'s changes', () => {
  const weaken = (change: (e: PrivateInferenceEndpoint) => void) => {
    const { stack, endpoint } = inferenceStack();
    change(endpoint);
    return findViolations(stack).map((v) => `${v.rule} ${v.constructPath}`);
  };
  const stageCfn = (e: PrivateInferenceEndpoint) => e.stage.node.defaultChild as apigw.CfnStage;

  test.each<[string, (e: PrivateInferenceEndpoint) => void, string[]]>([
    ['endpoint config without KMS key', (e) => { e.endpointConfig.kmsKeyId = undefined; }, [
      'HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured', 'PCI.DSS.321-SageMakerEndpointConfigurationKMSKeyConfigured',
    ]],
    ['method without authorization', (e) => { (e.method.node.defaultChild as apigw.CfnMethod).authorizationType = 'NONE'; }, ['AwsSolutions-APIG4']],
    ['stage without X-Ray', (e) => { stageCfn(e).tracingEnabled = false; }, ['HIPAA.Security-APIGWXrayEnabled', 'api_gw_xray_enabled_check']],
    ['stage without execution logging or throttling', (e) => { stageCfn(e).methodSettings = [{ httpMethod: '*', resourcePath: '/*', cacheDataEncrypted: true }]; }, [
      'AwsSolutions-APIG6', 'api_gw_v1_execution_logging_enabled_check', 'Serverless-APIGWDefaultThrottling',
    ]],
    ['stage with plain-text access logs', (e) => { stageCfn(e).accessLogSetting = { destinationArn: e.accessLogGroup.logGroupArn, format: '$context.requestId' }; }, [
      'Serverless-APIGWStructuredLogging',
    ]],
    ['stage without access logs', (e) => { stageCfn(e).accessLogSetting = undefined; }, ['AwsSolutions-APIG1']],
    ['web ACL without logging', (e) => { e.node.tryRemoveChild('WebAclLogging'); }, ['HIPAA.Security-WAFv2LoggingEnabled']],
    ['stage without web ACL', (e) => { e.node.tryRemoveChild('WebAclAssociation'); }, ['AwsSolutions-APIG3']],
    ['method without request validator', (e) => { e.api.node.tryRemoveChild('BodyValidator'); (e.method.node.defaultChild as apigw.CfnMethod).requestValidatorId = undefined; }, ['AwsSolutions-APIG2']],
  ])('%s', (_name, change, rules) => {
    const found = weaken(change);
    for (const rule of rules) expect({ rule, reported: found.some((f) => f.startsWith(`${rule} `)) }).toEqual({ rule, reported: true });
  });
});

describe('opting out of a SageMaker default is reported as a warning', () => {
  test.each<[string, PropsOf, string]>([
    ['network isolation off', { enableNetworkIsolation: false }, 'cdk-secure-ai:modelNetworkIsolationDisabled'],
    ['a single instance', { initialInstanceCount: 1 }, 'cdk-secure-ai:singleInstanceEndpoint'],
    ['no data captured', { dataCaptureSamplingPercentage: 0 }, 'cdk-secure-ai:dataCaptureSampledAtZero'],
  ])('%s', (_name, props, rule) => {
    const { stack } = inferenceStack(props);
    const found = findViolations(stack).filter((v) => v.rule.includes(rule));
    expect(found.map((v) => v.constructPath)).toEqual(['Inference/Endpoint']);
  });
});

describe('PrivateInferenceEndpoint policies, decided by the IAM simulator', () => {
  const { stack, endpoint } = inferenceStack({}, { checks: false });
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  endpoint.grantInvoke(caller);
  const sim = new PolicySimulator(stack);
  const apiId = stack.getLogicalId(endpoint.api.node.defaultChild as apigw.CfnRestApi);
  const methodArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/prod/POST/invocations`;
  const viaVpce = { 'aws:SourceVpce': VPCE_ID };

  test.each<[string, iam.IRole | string, string, Record<string, string>, string]>([
    ['the granted caller, through the allowed VPC endpoint', caller, methodArn, viaVpce, 'Allowed'],
    ['the granted caller, through another VPC endpoint', caller, methodArn, { 'aws:SourceVpce': OTHER_VPCE_ID }, 'ExplicitlyDenied'],
    ['the granted caller, not through a VPC endpoint', caller, methodArn, {}, 'ExplicitlyDenied'],
    ['an ungranted role of the account, through the allowed VPC endpoint', `arn:aws:iam::${ACCOUNT}:role/Stranger`, methodArn, viaVpce, 'ImplicitlyDenied'],
    ['a role of another account, through the allowed VPC endpoint', `arn:aws:iam::${OTHER_ACCOUNT}:role/Caller`, methodArn, viaVpce, 'ImplicitlyDenied'],
    ['grantInvoke: another method of the API', caller, `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/prod/GET/invocations`, viaVpce, 'ImplicitlyDenied'],
    ['grantInvoke: another path of the API', caller, `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/prod/POST/admin`, viaVpce, 'ImplicitlyDenied'],
    ['grantInvoke: another stage of the API', caller, `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/test/POST/invocations`, viaVpce, 'ImplicitlyDenied'],
  ])('API: %s', async (_name, principal, resource, context, expected) => {
    expect(await sim.decide({ principal, action: 'execute-api:Invoke', resource, context })).toBe(expected);
  });

  const endpointArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${endpoint.endpointName}`;
  test.each<[string, string, string, string]>([
    ['invokes this endpoint', 'sagemaker:InvokeEndpoint', endpointArn, 'Allowed'],
    ['cannot invoke another endpoint', 'sagemaker:InvokeEndpoint', `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/other-model`, 'ImplicitlyDenied'],
    ['cannot invoke this endpoint asynchronously', 'sagemaker:InvokeEndpointAsync', endpointArn, 'ImplicitlyDenied'],
    ['cannot change this endpoint', 'sagemaker:UpdateEndpoint', endpointArn, 'ImplicitlyDenied'],
  ])('integration role %s', async (_name, action, resource, expected) => {
    expect(await sim.decide({ principal: endpoint.integrationRole, action, resource })).toBe(expected);
  });

  const artifactsBucket = stack.node.findChild('Artifacts') as SecureTrainingBucket;
  const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };
  const logGroup = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/Endpoints/${endpoint.endpointName}`;
  test.each<[string, string, () => string, Record<string, string>, string]>([
    ['reads the model artifact', 's3:GetObject', () => `${sim.arnOf(artifactsBucket.bucket)}/models/sentiment/model.tar.gz`, tls, 'Allowed'],
    ['reads no other artifact', 's3:GetObject', () => `${sim.arnOf(artifactsBucket.bucket)}/models/other/model.tar.gz`, tls, 'ImplicitlyDenied'],
    ['cannot overwrite the artifact', 's3:PutObject', () => `${sim.arnOf(artifactsBucket.bucket)}/models/sentiment/model.tar.gz`, tls, 'ImplicitlyDenied'],
    ['decrypts the artifact through S3', 'kms:Decrypt', () => sim.arnOf(artifactsBucket.encryptionKey), { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'Allowed'],
    ['decrypts nothing directly', 'kms:Decrypt', () => sim.arnOf(artifactsBucket.encryptionKey), {}, 'ImplicitlyDenied'],
    ['pulls its image', 'ecr:BatchGetImage', () => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/models/sentiment`, {}, 'Allowed'],
    ['pulls no other image', 'ecr:BatchGetImage', () => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/models/other`, {}, 'ImplicitlyDenied'],
    ['cannot push to its repository', 'ecr:PutImage', () => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/models/sentiment`, {}, 'ImplicitlyDenied'],
    ['writes its endpoint logs', 'logs:PutLogEvents', () => `${logGroup}:log-stream:AllTraffic/i-0123`, {}, 'Allowed'],
    ['writes no other log group', 'logs:PutLogEvents', () => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/Endpoints/other:log-stream:x`, {}, 'ImplicitlyDenied'],
    ['cannot delete its log group', 'logs:DeleteLogGroup', () => logGroup, {}, 'ImplicitlyDenied'],
    ['writes captured data under the prefix', 's3:PutObject', () => `${sim.arnOf(endpoint.dataCaptureBucket)}/data-capture/x.jsonl`, tls, 'Allowed'],
    ['writes nothing else to the capture bucket', 's3:PutObject', () => `${sim.arnOf(endpoint.dataCaptureBucket)}/other/x.jsonl`, tls, 'ImplicitlyDenied'],
    ['cannot read captured data', 's3:GetObject', () => `${sim.arnOf(endpoint.dataCaptureBucket)}/data-capture/x.jsonl`, tls, 'ImplicitlyDenied'],
    ['encrypts captured data through S3', 'kms:GenerateDataKey', () => sim.arnOf(endpoint.encryptionKey), { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'Allowed'],
    ['creates network interfaces in its subnets', 'ec2:CreateNetworkInterface', () => `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0aaaaaaaaaaaaaaa1`, {}, 'Allowed'],
    ['creates no network interface in other subnets', 'ec2:CreateNetworkInterface', () => `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0ffffffffffffffff`, {}, 'ImplicitlyDenied'],
    ['cannot invoke the endpoint', 'sagemaker:InvokeEndpoint', () => endpointArn, {}, 'ImplicitlyDenied'],
  ])('execution role %s', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: endpoint.executionRole, action, resource: resource(), context })).toBe(expected);
  });

  test.each<[string, string, string, Record<string, string>, string]>([
    ['CloudWatch alarms of this account may use the monitoring key', 'cloudwatch.amazonaws.com', 'kms:GenerateDataKey', { 'aws:SourceAccount': ACCOUNT }, 'Allowed'],
    ['CloudWatch alarms of another account may not', 'cloudwatch.amazonaws.com', 'kms:GenerateDataKey', { 'aws:SourceAccount': OTHER_ACCOUNT }, 'ImplicitlyDenied'],
    ['no other service may use the monitoring key', 'sns.amazonaws.com', 'kms:Decrypt', {}, 'ImplicitlyDenied'],
  ])('%s', async (_name, principal, action, context, expected) => {
    expect(await sim.decide({ principal, action, resource: sim.arnOf(endpoint.monitoringEncryptionKey), context })).toBe(expected);
  });

  test.each<[string, Record<string, string>, string]>([
    ['alarms of this account publish over TLS', { 'aws:SourceAccount': ACCOUNT, 'aws:SecureTransport': 'true' }, 'Allowed'],
    ['alarms of another account cannot publish', { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SecureTransport': 'true' }, 'ImplicitlyDenied'],
    ['nothing publishes without TLS', { 'aws:SourceAccount': ACCOUNT, 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
  ])('alarm topic: %s', async (_name, context, expected) => {
    expect(await sim.decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: sim.arnOf(endpoint.alarmTopic), context })).toBe(expected);
  });

  test.each<[string, Record<string, string>, string]>([
    ['over TLS', { 'aws:SecureTransport': 'true' }, 'Allowed'],
    ['without TLS', { 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
  ])('a publisher granted on the alarm topic publishes %s', async (_name, context, expected) => {
    const s2 = inferenceStack({}, { checks: false, stackName: 'Topic' });
    const publisher = new iam.Role(s2.stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
    s2.endpoint.alarmTopic.grantPublish(publisher);
    const sim2 = new PolicySimulator(s2.stack);
    expect(await sim2.decide({ principal: publisher, action: 'sns:Publish', resource: sim2.arnOf(s2.endpoint.alarmTopic), context })).toBe(expected);
  });
});

describe('PrivateInferenceEndpoint API policy with a Cognito authorizer, decided by the IAM simulator', () => {
  const { stack, endpoint } = inferenceStack((s) => ({ authorization: InferenceApiAuthorization.COGNITO, userPool: userPool(s) }), { checks: false });
  const sim = new PolicySimulator(stack);
  const apiId = stack.getLogicalId(endpoint.api.node.defaultChild as apigw.CfnRestApi);
  const methodArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/prod/POST/invocations`;
  // The caller signs nothing: the Cognito authorizer, not IAM, decides who it is.

  test.each<[string, Record<string, string>, string]>([
    ['through the allowed VPC endpoint', { 'aws:SourceVpce': VPCE_ID }, 'Allowed'],
    ['through another VPC endpoint', { 'aws:SourceVpce': OTHER_VPCE_ID }, 'ExplicitlyDenied'],
    ['not through a VPC endpoint', {}, 'ExplicitlyDenied'],
  ])('a caller %s', async (_name, context, expected) => {
    expect(await sim.decide({ principal: ANONYMOUS, action: 'execute-api:Invoke', resource: methodArn, context })).toBe(expected);
  });
});

describe('PrivateInferenceEndpoint rejects bad input, naming the prop', () => {
  test.each<[string, PropsOf, RegExp]>([
    ['initialInstanceCount', { initialInstanceCount: 0 }, /`initialInstanceCount` \(received 0\)/],
    ['initialInstanceCount', { initialInstanceCount: 1.5 }, /`initialInstanceCount` \(received 1.5\)/],
    ['minInstanceCount', { minInstanceCount: 5, maxInstanceCount: 3, initialInstanceCount: 3 }, /`minInstanceCount` \(received 5\).*maxInstanceCount \(3\)/],
    ['initialInstanceCount', { initialInstanceCount: 1, minInstanceCount: 2 }, /`initialInstanceCount` \(received 1\).*between minInstanceCount \(2\)/],
    ['maxInstanceCount', { maxInstanceCount: 0 }, /`maxInstanceCount`/],
    ['dataCaptureSamplingPercentage', { dataCaptureSamplingPercentage: 101 }, /`dataCaptureSamplingPercentage` \(received 101\)/],
    ['dataCaptureSamplingPercentage', { dataCaptureSamplingPercentage: -1 }, /`dataCaptureSamplingPercentage`/],
    ['throttlingBurstLimit', { throttlingRateLimit: 100, throttlingBurstLimit: 50 }, /`throttlingBurstLimit` \(received 50\).*at least throttlingRateLimit \(100\)/],
    ['throttlingRateLimit', { throttlingRateLimit: 0 }, /`throttlingRateLimit` \(received 0\)/],
    ['usagePlanBurstLimit', { requireApiKey: true, usagePlanRateLimit: 10, usagePlanBurstLimit: 5 }, /`usagePlanBurstLimit` \(received 5\)/],
    ['usagePlanDailyQuota', { usagePlanDailyQuota: 100 }, /`usagePlanDailyQuota`.*requireApiKey/],
    ['wafRateLimit', { wafRateLimit: 5 }, /`wafRateLimit` \(received 5\).*between 10 and 2,000,000,000/],
    ['wafRateLimit', { wafRateLimit: 3_000_000_000 }, /`wafRateLimit`/],
    ['maxRequestBodyBytes', { maxRequestBodyBytes: 70_000 }, /`maxRequestBodyBytes` \(received 70000\)/],
    ['apiVpcEndpoints', { apiVpcEndpoints: undefined }, /`apiVpcEndpoints` \(received undefined\).*private API/],
    ['apiVpcEndpoints', { apiVpcEndpoints: [] }, /`apiVpcEndpoints` \(received \[\]\)/],
    ['apiVpcEndpoints', { endpointType: InferenceApiEndpointType.REGIONAL }, /`apiVpcEndpoints`.*only apply to a PRIVATE API/],
    ['userPool', { authorization: InferenceApiAuthorization.COGNITO }, /`userPool` \(received undefined\)/],
    ['userPool', (s) => ({ userPool: userPool(s) }), /`userPool`.*only used with authorization COGNITO/],
    ['authorizationScopes', { authorizationScopes: ['a/b'] }, /`authorizationScopes`/],
    ['vpcSubnets', { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /`vpcSubnets`.*public subnets/],
    ['vpcSubnets', { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, /`vpcSubnets`.*matches no subnets/],
    ['vpcSubnets', { vpcSubnets: { subnets: [ec2.Subnet.fromSubnetAttributes(new Stack(), 'S', { subnetId: 'subnet-1', availabilityZone: 'us-east-1a' })] } }, /`vpcSubnets`.*two Availability Zones/],
    ['domainName', { domainName: 'inference.example.com' }, /`domainName` \(received "inference.example.com"\).*REGIONAL API only/],
    ['domainCertificate', { endpointType: InferenceApiEndpointType.REGIONAL, apiVpcEndpoints: undefined, domainName: 'inference.example.com' }, /`domainCertificate` \(received undefined\)/],
    ['domainName', (s) => ({
      endpointType: InferenceApiEndpointType.REGIONAL,
      apiVpcEndpoints: undefined,
      domainName: 'Not A Domain',
      domainCertificate: acm.Certificate.fromCertificateArn(s, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/1`),
    }), /`domainName` \(received "Not A Domain"\)/],
    ['endpointName', { endpointName: 'bad_name' }, /`endpointName` \(received "bad_name"\)/],
    ['resourcePath', { resourcePath: '/invocations' }, /`resourcePath` \(received "\/invocations"\)/],
    ['resourcePath', { resourcePath: 'items/{id}' }, /`resourcePath`/],
    ['stageName', { stageName: 'prod 1' }, /`stageName`/], // hyphens are allowed (API Gateway CreateStage)
    ['modelDataKey', { modelDataKey: '' }, /`modelDataKey`/],
    ['imageTagOrDigest', { imageTagOrDigest: 'sha256:abc' }, /`imageTagOrDigest`/],
    ['instanceType', { instanceType: 'm5.large' }, /`instanceType` \(received "m5.large"\)/],
    ['dataCapturePrefix', { dataCapturePrefix: '/capture' }, /`dataCapturePrefix`/],
    ['logRetention', { logRetention: logs.RetentionDays.ONE_MONTH }, /`logRetention` \(received 30\)/],
    ['modelLatencyAlarmThreshold', { modelLatencyAlarmThreshold: Duration.seconds(0) }, /`modelLatencyAlarmThreshold`/],
  ])('%s', (_prop, props, message) => {
    expectInvalidProp(() => inferenceStack(props, { checks: false, stackName: 'Bad' }), 'Bad/Endpoint', message);
  });

  test('dataCaptureEncryptionKey: a capture bucket whose key is unknown is rejected', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'capture-bucket');
    expect(() => new PrivateInferenceEndpoint(stack, 'Endpoint', { ...baseProps(stack), dataCaptureBucket: bucket }))
      .toThrow(/Bad\/Endpoint: invalid `dataCaptureEncryptionKey` \(received undefined\)/);
  });
});

describe('documentation', () => {
  test('every acknowledgement the construct makes is listed in the README with its reason', () => {
    const { stack } = inferenceStack({}, { checks: false });
    const acknowledged = acknowledgementsIn(stack, {
      include: (p) => p.startsWith('Inference/Endpoint/') && !p.startsWith('Inference/Endpoint/DataCapture/'),
    });
    expectListedInReadme(acknowledged, (id) => [id.replace(/\[Resource::.*\]$/, '[Resource::…]')]);
  });
});
