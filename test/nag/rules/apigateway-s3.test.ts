import { CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { fixtureStack, outcome } from './support';
import { APIGWMethodAuthorization } from '../../../lib/nag/rules/apigateway/method-authorization';
import { APIGWStageThrottling } from '../../../lib/nag/rules/apigateway/stage-throttling';
import { APIGWStageWafOrPrivate } from '../../../lib/nag/rules/apigateway/stage-waf-or-private';
import { S3MinimumTls12 } from '../../../lib/nag/rules/s3/minimum-tls';

function restApi(types = ['REGIONAL']) {
  const stack = fixtureStack();
  const api = new apigw.CfnRestApi(stack, 'Api', { name: 'model-api', endpointConfiguration: { types } });
  const stage = new apigw.CfnStage(stack, 'Stage', { restApiId: api.ref, deploymentId: 'abc123', stageName: 'prod' });
  return { stack, api, stage };
}

function webAcl(stack: Stack) {
  return new wafv2.CfnWebACL(stack, 'Acl', {
    defaultAction: { allow: {} },
    scope: 'REGIONAL',
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
  });
}

describe('AiSec-APIGWStageWafOrPrivate', () => {
  const rule = APIGWStageWafOrPrivate;
  test('a stage associated with a web ACL by its ARN built from references is compliant', () => {
    const { stack, api, stage } = restApi();
    new wafv2.CfnWebACLAssociation(stack, 'Assoc', {
      webAclArn: webAcl(stack).attrArn,
      resourceArn: Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', api.ref, '/stages/', stage.ref]),
    });
    expect(outcome(rule, stage)).toBe('COMPLIANT');
  });
  test('a stage associated by its stage name is compliant', () => {
    const { stack, api, stage } = restApi();
    new wafv2.CfnWebACLAssociation(stack, 'Assoc', {
      webAclArn: webAcl(stack).attrArn,
      resourceArn: Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', api.ref, '/stages/prod']),
    });
    expect(outcome(rule, stage)).toBe('COMPLIANT');
  });
  test('a stage of a PRIVATE API is compliant', () => expect(outcome(rule, restApi(['PRIVATE']).stage)).toBe('COMPLIANT'));
  test('a public stage without a web ACL is non-compliant', () => expect(outcome(rule, restApi().stage)).toBe('NON_COMPLIANT'));
  test('a web ACL associated with another stage does not count', () => {
    const { stack, api, stage } = restApi();
    const other = new apigw.CfnStage(stack, 'OtherStage', { restApiId: api.ref, deploymentId: 'abc123', stageName: 'test' });
    new wafv2.CfnWebACLAssociation(stack, 'Assoc', {
      webAclArn: webAcl(stack).attrArn,
      resourceArn: Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', api.ref, '/stages/', other.ref]),
    });
    expect(outcome(rule, stage)).toBe('NON_COMPLIANT');
  });
  test('endpoint types from a parameter are reported as unresolvable', () => {
    const { stack, api, stage } = restApi();
    api.endpointConfiguration = { types: new CfnParameter(stack, 'Types', { type: 'CommaDelimitedList' }).valueAsList };
    expect(outcome(rule, stage)).toBe('THREW');
  });
});

describe('AiSec-APIGWStageThrottling', () => {
  const rule = APIGWStageThrottling;
  const all = { httpMethod: '*', resourcePath: '/*' };
  test('default method settings with burst and rate limits are compliant', () => {
    const { stage } = restApi();
    stage.methodSettings = [{ ...all, throttlingBurstLimit: 20, throttlingRateLimit: 10 }];
    expect(outcome(rule, stage)).toBe('COMPLIANT');
  });
  test('limits from parameters are given (references)', () => {
    const { stack, stage } = restApi();
    const limit = new CfnParameter(stack, 'Limit', { type: 'Number' }).valueAsNumber;
    stage.methodSettings = [{ ...all, throttlingBurstLimit: limit, throttlingRateLimit: limit }];
    expect(outcome(rule, stage)).toBe('COMPLIANT');
  });
  test('no method settings are non-compliant', () => expect(outcome(rule, restApi().stage)).toBe('NON_COMPLIANT'));
  test('throttling on one method only is non-compliant', () => {
    const { stage } = restApi();
    stage.methodSettings = [{ httpMethod: 'POST', resourcePath: '/~1predict', throttlingBurstLimit: 20, throttlingRateLimit: 10 }];
    expect(outcome(rule, stage)).toBe('NON_COMPLIANT');
  });
  test('HTTP API stages: default route throttling is compliant, none is not', () => {
    const stack = fixtureStack();
    const api = new apigwv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
    const limited = new apigwv2.CfnStage(stack, 'Limited', { apiId: api.ref, stageName: 'a', defaultRouteSettings: { throttlingBurstLimit: 5, throttlingRateLimit: 5 } });
    const open = new apigwv2.CfnStage(stack, 'Open', { apiId: api.ref, stageName: 'b' });
    expect(outcome(rule, limited)).toBe('COMPLIANT');
    expect(outcome(rule, open)).toBe('NON_COMPLIANT');
  });
});

describe('AiSec-APIGWMethodAuthorization', () => {
  const rule = APIGWMethodAuthorization;
  const method = (props: Partial<apigw.CfnMethodProps>) => {
    const { stack, api } = restApi();
    return new apigw.CfnMethod(stack, 'Method', { restApiId: api.ref, resourceId: api.attrRootResourceId, httpMethod: 'POST', ...props });
  };
  test('IAM authorization is compliant', () => expect(outcome(rule, method({ authorizationType: 'AWS_IAM' }))).toBe('COMPLIANT'));
  test('a Cognito authorizer given as a resolving token is compliant', () =>
    expect(outcome(rule, method({ authorizationType: Lazy.string({ produce: () => 'COGNITO_USER_POOLS' }) }))).toBe('COMPLIANT'));
  test('NONE is non-compliant', () => expect(outcome(rule, method({ authorizationType: 'NONE' }))).toBe('NON_COMPLIANT'));
  test('no authorization type is non-compliant', () => expect(outcome(rule, method({}))).toBe('NON_COMPLIANT'));
  test('an authorization type from a parameter is reported as unresolvable', () => {
    const node = method({});
    node.authorizationType = new CfnParameter(node.stack, 'Auth').valueAsString;
    expect(outcome(rule, node)).toBe('THREW');
  });
  test('a CORS preflight OPTIONS method with a MOCK integration is not applicable', () =>
    expect(outcome(rule, method({ httpMethod: 'OPTIONS', authorizationType: 'NONE', integration: { type: 'MOCK' } }))).toBe('N/A'));
  test('an OPTIONS method proxied to a backend is checked', () =>
    expect(outcome(rule, method({ httpMethod: 'OPTIONS', authorizationType: 'NONE', integration: { type: 'HTTP_PROXY', uri: 'https://example.com' } }))).toBe('NON_COMPLIANT'));
  test('HTTP API routes: JWT is compliant, NONE is not', () => {
    const stack = fixtureStack();
    const api = new apigwv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
    expect(outcome(rule, new apigwv2.CfnRoute(stack, 'Jwt', { apiId: api.ref, routeKey: 'POST /a', authorizationType: 'JWT' }))).toBe('COMPLIANT');
    expect(outcome(rule, new apigwv2.CfnRoute(stack, 'Open', { apiId: api.ref, routeKey: 'POST /b', authorizationType: 'NONE' }))).toBe('NON_COMPLIANT');
  });
});

function tlsPolicy(stack: Stack, bucket: s3.CfnBucket, overrides: Record<string, unknown> = {}, resources?: unknown[]) {
  return new s3.CfnBucketPolicy(stack, 'Policy', {
    bucket: bucket.ref,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        Resource: resources ?? [bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])],
        ...overrides,
      }],
    },
  });
}

describe('AiSec-S3MinimumTls12', () => {
  const rule = S3MinimumTls12;
  const bucket = () => {
    const stack = fixtureStack();
    return { stack, node: new s3.CfnBucket(stack, 'Bucket', {}) };
  };
  test('a policy denying TLS < 1.2 on the bucket and its objects (references) is compliant', () => {
    const { stack, node } = bucket();
    tlsPolicy(stack, node);
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('a named bucket with literal ARNs and the version as a string is compliant', () => {
    const stack = fixtureStack();
    const node = new s3.CfnBucket(stack, 'Bucket', { bucketName: 'training-data' });
    tlsPolicy(stack, node, { Condition: { NumericLessThan: { 's3:TlsVersion': '1.3' } } }, ['arn:aws:s3:::training-data', 'arn:aws:s3:::training-data/*']);
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('the L2 Bucket with minimumTLSVersion 1.2 is compliant', () => {
    const stack = fixtureStack();
    const l2 = new s3.Bucket(stack, 'L2', { enforceSSL: true, minimumTLSVersion: 1.2 });
    expect(outcome(rule, l2.node.defaultChild as s3.CfnBucket)).toBe('COMPLIANT');
  });
  test('no bucket policy is non-compliant', () => expect(outcome(rule, bucket().node)).toBe('NON_COMPLIANT'));
  test('requiring only SecureTransport is non-compliant', () => {
    const { stack, node } = bucket();
    tlsPolicy(stack, node, { Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
  test('a minimum below 1.2 is non-compliant', () => {
    const { stack, node } = bucket();
    tlsPolicy(stack, node, { Condition: { NumericLessThan: { 's3:TlsVersion': 1.1 } } });
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
  test('a statement covering only the objects is non-compliant', () => {
    const { stack, node } = bucket();
    tlsPolicy(stack, node, {}, [Fn.join('', [node.attrArn, '/*'])]);
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
  test('a policy of another bucket does not count', () => {
    const { stack, node } = bucket();
    tlsPolicy(stack, new s3.CfnBucket(stack, 'Other', {}));
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
  test('a policy whose statements come from a parameter is reported as unresolvable', () => {
    const { stack, node } = bucket();
    new s3.CfnBucketPolicy(stack, 'Policy', { bucket: node.ref, policyDocument: { Statement: new CfnParameter(stack, 'Statements').valueAsString } });
    expect(outcome(rule, node)).toBe('THREW');
  });
});
