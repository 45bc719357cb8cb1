import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { lid } from './platform';
import { allow, evaluatorOf, interfaceEndpoint, pathStack } from './support';
import { AiServiceEndpoint, NetworkStage, NetworkTier, PrivateInferenceEndpoint, SecureModelRepository, SecureTrainingBucket, SegmentedAiVpc } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import {
  accessLogRows, alarmRows, assume, describePaths, ECR_LAYER_BUCKET, ECR_LAYER_SIGNER, executeApiArn, kmsVia, logGroupArn,
  logGroupKeyRows, NetworkLeg, PathRequest, PathRow, s3Get, s3PutKms,
} from '../support/paths';

/**
 * PrivateInferenceEndpoint in a SegmentedAiVpc: the model starts (image, artifact, data capture,
 * logs through the network interfaces SageMaker puts in the inference tier with the model's
 * security group — SageMaker developer guide, "Give SageMaker hosted endpoints access to
 * resources in your Amazon VPC"), clients call the API only through the execute-api endpoint,
 * the API invokes only this endpoint, and every alarm reaches the topic.
 */
const stack = pathStack('Inference');
const network = new SegmentedAiVpc(stack, 'Network', {
  stage: NetworkStage.PROD, interfaceEndpoints: [...SegmentedAiVpc.DEFAULT_INTERFACE_ENDPOINTS, AiServiceEndpoint.EXECUTE_API],
});
const artifacts = new SecureTrainingBucket(stack, 'Artifacts');
const images = new SecureModelRepository(stack, 'Images');
const endpoint = new PrivateInferenceEndpoint(stack, 'Endpoint', {
  vpc: network.vpc,
  vpcSubnets: network.inferenceSubnets,
  imageRepository: images.repository,
  imageRepositoryEncryptionKey: images.encryptionKey,
  modelDataBucket: artifacts.bucket,
  modelDataKey: 'models/sentiment/1/model.tar.gz',
  apiVpcEndpoints: [network.interfaceEndpoint(AiServiceEndpoint.EXECUTE_API)!],
});
images.grantPull(new iam.ArnPrincipal(endpoint.executionRole.roleArn));
const client = new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
new iam.ManagedPolicy(stack, 'Invoke', { roles: [client], statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [endpoint.method.methodArn] })] });
const ev = evaluatorOf(stack);

const role = { role: lid(endpoint.executionRole) };
const inferenceSubnets = network.vpc.selectSubnets(network.inferenceSubnets).subnets.map((s: IConstruct) => lid(s));
const model = (to: NetworkLeg['to']): NetworkLeg => ({ fromSubnets: inferenceSubnets, fromSecurityGroups: [lid(endpoint.securityGroup)], clientOs: 'linux', to, port: 443 });
const caller = (clientOs: NetworkLeg['clientOs']): NetworkLeg => ({
  fromSubnets: inferenceSubnets,
  fromSecurityGroups: [lid(network.inferenceSecurityGroup)],
  clientOs,
  port: 443,
  to: { kind: 'interface-endpoint', endpoint: interfaceEndpoint(ev, 'execute-api') },
});
const iface = (suffix: string): NetworkLeg['to'] => ({ kind: 'interface-endpoint', endpoint: interfaceEndpoint(ev, suffix) });
const s3: NetworkLeg['to'] = { kind: 'gateway-service', service: 's3' };
const invokeArn = executeApiArn(ev, lid(endpoint.api), ev.sim.resolve({ Ref: lid(endpoint.stage) }), 'POST', endpoint.method.resource.path);
const invoke = (who: PathRequest['caller'], throughEndpoint?: true, context?: Record<string, string>): PathRequest =>
  ({ caller: who, action: 'execute-api:Invoke', resource: invokeArn, throughEndpoint, context });
const endpointName = ev.sim.resolve({ Ref: lid(endpoint.endpoint) });
const captureBucket = ev.arn(lid(endpoint.dataCaptureBucket));
const captureKey = ev.arn(lid(endpoint.encryptionKey));

const rows: PathRow[] = [
  { name: 'SageMaker assumes the execution role', expect: 'OPEN', requests: [assume('sagemaker.amazonaws.com', ev.arn(role.role), `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${endpointName}`)] },
  {
    name: 'the model gets a registry token through ecr.api',
    expect: 'OPEN',
    network: model(iface('ecr.api')),
    requests: [{ caller: role, action: 'ecr:GetAuthorizationToken', resource: '*', throughEndpoint: true }],
  },
  {
    name: 'the model reads its image manifest through ecr.dkr',
    expect: 'OPEN',
    network: model(iface('ecr.dkr')),
    requests: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'].map((action) => ({ caller: role, action, resource: ev.arn(lid(images.repository)), throughEndpoint: true as const })),
  },
  {
    name: 'the model downloads its image layers (presigned by ECR) through the S3 gateway endpoint',
    expect: 'OPEN',
    network: model(s3),
    requests: [{
      caller: { arn: ECR_LAYER_SIGNER, identityPolicies: [allow('s3:GetObject')] },
      action: 's3:GetObject',
      resource: `${ECR_LAYER_BUCKET}/layer`,
      resourceAccount: '000000000000',
      context: { 'aws:SecureTransport': 'true' },
      throughEndpoint: true,
    }],
  },
  {
    name: 'the model downloads its artifact through the S3 gateway endpoint',
    expect: 'OPEN',
    network: model(s3),
    requests: [s3Get(role, ev.arn(lid(artifacts.bucket)), 'models/sentiment/1/model.tar.gz'), kmsVia(role, 'kms:Decrypt', ev.arn(lid(artifacts.encryptionKey)), 's3')],
  },
  {
    name: 'the endpoint writes captured data with the capture key',
    expect: 'OPEN',
    network: model(s3),
    requests: [s3PutKms(role, captureBucket, `data-capture/${endpointName}/AllTraffic/2026/12/01/00/c.jsonl`, captureKey), kmsVia(role, 'kms:GenerateDataKey', captureKey, 's3')],
  },
  {
    name: 'the endpoint writes its logs through the logs endpoint',
    expect: 'OPEN',
    network: model(iface('logs')),
    requests: ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({ caller: role, action, resource: logGroupArn(ev, lid(endpoint.endpointLogGroup), 'AllTraffic/i-0123456789abcdef0'), throughEndpoint: true as const })),
  },
  {
    name: 'the model reads another artifact',
    expect: 'CLOSED',
    closedBy: ['SG egress', 'identity policy'],
    network: model(s3),
    requests: [s3Get(role, ev.arn(lid(artifacts.bucket)), 'datasets/private.csv')],
  },
  {
    name: 'the model reads another artifact (once S3 is reachable: the execution policy decides)',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [s3Get(role, ev.arn(lid(artifacts.bucket)), 'datasets/private.csv', 'direct')],
  },
  { name: 'a client on Linux in the inference tier calls the API through the execute-api endpoint', expect: 'OPEN', network: caller('linux'), requests: [invoke({ role: lid(client) }, true)] },
  {
    name: 'a client on Lambda in the inference tier calls the API through the execute-api endpoint',
    expect: 'OPEN',
    network: caller('lambda'),
    requests: [invoke({ role: lid(client) }, true)],
  },
  { name: 'API Gateway assumes the integration role', expect: 'OPEN', requests: [assume('apigateway.amazonaws.com', ev.arn(lid(endpoint.integrationRole)))] },
  {
    name: 'the API invokes the SageMaker endpoint',
    expect: 'OPEN',
    requests: [{ caller: { role: lid(endpoint.integrationRole) }, action: 'sagemaker:InvokeEndpoint', resource: ev.arn(lid(endpoint.endpoint)) }],
  },
  {
    name: 'the API invokes another SageMaker endpoint',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [{ caller: { role: lid(endpoint.integrationRole) }, action: 'sagemaker:InvokeEndpoint', resource: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/other` }],
  },
  { name: 'a client calls the API from outside the VPC endpoint', expect: 'CLOSED', closedBy: 'resource policy', requests: [invoke({ role: lid(client) })] },
  {
    name: 'a client calls the API through another VPC endpoint',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [invoke({ role: lid(client) }, undefined, { 'aws:SourceVpce': 'vpce-0another' })],
  },
  {
    name: 'another account calls the API through the execute-api endpoint',
    expect: 'CLOSED',
    closedBy: ['endpoint policy', 'resource policy'],
    network: caller('linux'),
    requests: [invoke({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Caller`, identityPolicies: [allow('execute-api:Invoke')] }, true)],
  },
  {
    name: 'the training tier reaches the model network interfaces',
    expect: 'CLOSED',
    closedBy: ['SG egress', 'SG ingress', 'NACL egress'],
    network: {
      fromSubnets: network.vpc.selectSubnets(network.subnetsOf(NetworkTier.TRAINING)).subnets.map((s: IConstruct) => lid(s)),
      fromSecurityGroups: [lid(network.trainingSecurityGroup)],
      clientOs: 'linux',
      port: 443,
      to: { kind: 'interfaces', subnets: inferenceSubnets, securityGroups: [lid(endpoint.securityGroup)] },
    },
  },
  { name: 'WAF logs go to a log group named aws-waf-logs-*', expect: 'OPEN', destination: { rule: 'waf-log-group', resource: lid(endpoint.wafLogGroup!) } },
  ...alarmRows(ev),
  ...logGroupKeyRows(ev),
  ...accessLogRows(ev),
];
describePaths('PrivateInferenceEndpoint paths', () => ev, rows);
