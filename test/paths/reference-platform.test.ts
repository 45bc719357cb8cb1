import { lid, synthProd } from './platform';
import { NetworkTier } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import {
  accessLogRows, alarmRows, cloudTrailRows, flowLogRows, logGroupKeyRows, ruleRows,
  assume, describePaths, ECR_LAYER_BUCKET, ECR_LAYER_SIGNER, executeApiArn, kmsVia, logGroupArn, logGroupArnByName,
  NetworkLeg, PathRow, s3Get, s3PutKms, serviceCall,
} from '../support/paths';

/**
 * The Prod stage of the reference platform works when deployed: every path it needs is open
 * through every layer (security groups, NACLs both ways with the caller's ephemeral ports, route
 * tables, endpoint, resource, identity, boundary and trust policies), and the forbidden ones are
 * closed by the layer meant to close them. One synthesis, four stacks merged, cross-stack
 * references resolved. Rows marked with a known defect run as `it.failing` until it is fixed.
 *
 * How SageMaker reaches resources from a VPC: SageMaker developer guide, "Give SageMaker training
 * jobs access to resources in your Amazon VPC" (train-vpc.html) and "Give SageMaker hosted
 * endpoints access to resources in your Amazon VPC" (host-vpc.html): with VpcConfig, images,
 * data, artifacts, captured data, logs and metrics go through the network interfaces SageMaker
 * creates in the given subnets with the given security groups.
 */
const prod = synthProd();
const { ev, stage } = prod;
const net = stage.network.network;
const endpoint = stage.inference.endpoint;

const trainingRole = { role: lid(stage.data.trainingRole.role) };
const inferenceRole = { role: lid(stage.data.inferenceRole.role) };
const clientRole = { role: lid(stage.inference.clientRole) };
const integrationRole = { role: lid(endpoint.integrationRole) };
const bucket = ev.arn(lid(stage.data.data.bucket));
const dataKey = ev.arn(lid(stage.data.data.encryptionKey));
const repository = ev.arn(lid(stage.data.images.repository));
const captureBucket = ev.arn(lid(endpoint.dataCaptureBucket));
const captureKey = ev.arn(lid(endpoint.encryptionKey));
const trainingJob = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/sentiment-2026-12-01-001`;
const endpointArn = ev.arn(lid(endpoint.endpoint));
const endpointName = ev.sim.resolve({ Ref: lid(endpoint.endpoint) });
const invokeArn = executeApiArn(ev, lid(endpoint.api), 'prod', 'POST', 'invocations');

/** A leg from a tier's subnets, with a security group, to a target (Linux callers unless told). */
const leg = (tier: NetworkTier, securityGroup: string, to: NetworkLeg['to'], port = 443, clientOs: NetworkLeg['clientOs'] = 'linux'): NetworkLeg =>
  ({ fromSubnets: prod.subnets(tier), fromSecurityGroups: [securityGroup], clientOs, to, port });
const training = (to: NetworkLeg['to'], port = 443) => leg(NetworkTier.TRAINING, lid(net.trainingSecurityGroup), to, port);
const model = (to: NetworkLeg['to'], port = 443) => leg(NetworkTier.INFERENCE, lid(endpoint.securityGroup), to, port);
const iface = (service: string): NetworkLeg['to'] => ({ kind: 'interface-endpoint', endpoint: prod.endpoint(service) });
const s3: NetworkLeg['to'] = { kind: 'gateway-service', service: 's3' };

/** The image pull: token, manifest, and the layers from ECR's bucket with a URL ECR's account signed. */
const imagePull = (from: (to: NetworkLeg['to']) => NetworkLeg, role: { role: string }): PathRow[] => [
  {
    name: 'gets a registry token through the ecr.api endpoint',
    expect: 'OPEN',
    network: from(iface('ecr.api')),
    requests: [{ caller: role, action: 'ecr:GetAuthorizationToken', resource: '*', throughEndpoint: true }],
  },
  {
    name: 'reads the image manifest and layer URLs through the ecr.dkr endpoint',
    expect: 'OPEN',
    network: from(iface('ecr.dkr')),
    requests: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']
      .map((action) => ({ caller: role, action, resource: repository, throughEndpoint: true as const })),
  },
  {
    name: 'downloads the image layers from the ECR layer bucket through the S3 gateway endpoint (presigned by ECR)',
    expect: 'OPEN',
    network: from(s3),
    requests: [{
      caller: { arn: ECR_LAYER_SIGNER, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${ECR_LAYER_BUCKET}/*` }] }] },
      action: 's3:GetObject',
      resource: `${ECR_LAYER_BUCKET}/registry/layer-sha256`,
      resourceAccount: '000000000000',
      context: { 'aws:SecureTransport': 'true' },
      throughEndpoint: true,
    }],
  },
];

describePaths('Prod: a training job starts and runs', () => ev, [
  {
    name: 'SageMaker assumes the training role for a sentiment-* job',
    expect: 'OPEN',
    requests: [assume('sagemaker.amazonaws.com', ev.arn(trainingRole.role), trainingJob)],
  },
  ...imagePull(training, trainingRole),
  {
    name: 'reads its dataset through the S3 gateway endpoint (the bucket key decrypts through S3)',
    expect: 'OPEN',
    network: training(s3),
    requests: [s3Get(trainingRole, bucket, 'datasets/sentiment/train.csv'), kmsVia(trainingRole, 'kms:Decrypt', dataKey, 's3')],
  },
  {
    name: 'writes its model with the bucket key through the S3 gateway endpoint',
    expect: 'OPEN',
    network: training(s3),
    requests: [s3PutKms(trainingRole, bucket, 'models/sentiment/job-1/output/model.tar.gz', dataKey), kmsVia(trainingRole, 'kms:GenerateDataKey', dataKey, 's3')],
  },
  {
    name: 'writes its logs through the logs endpoint',
    expect: 'OPEN',
    network: training(iface('logs')),
    requests: ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
      caller: trainingRole, action, resource: logGroupArnByName('/aws/sagemaker/TrainingJobs', 'sentiment-2026-12-01-001/algo-1-1764547200'), throughEndpoint: true as const,
    })),
  },
  {
    name: 'publishes its metrics through the monitoring endpoint',
    expect: 'OPEN',
    network: training(iface('monitoring')),
    requests: [{ caller: trainingRole, action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' }, throughEndpoint: true }],
  },
]);

describePaths('Prod: forbidden training paths', () => ev, [
  {
    name: 'training tier → the model network interfaces in the inference tier on 443',
    expect: 'CLOSED',
    closedBy: 'SG ingress',
    network: training({ kind: 'interfaces', subnets: prod.subnets(NetworkTier.INFERENCE), securityGroups: [lid(endpoint.securityGroup)] }, 443),
  },
  {
    name: 'training tier → the model container port 8080 in the inference tier',
    expect: 'CLOSED',
    closedBy: 'SG egress',
    network: training({ kind: 'interfaces', subnets: prod.subnets(NetworkTier.INFERENCE), securityGroups: [lid(endpoint.securityGroup)] }, 8080),
  },
  {
    name: 'training tier → the internet (isolated tier: no route)',
    expect: 'CLOSED',
    closedBy: 'route table',
    network: training({ kind: 'address', ip: '198.51.100.7' }),
  },
  {
    name: 'a model written under another KMS key',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    network: training(s3),
    requests: [s3PutKms(trainingRole, bucket, 'models/sentiment/job-1/output/model.tar.gz', `arn:aws:kms:${REGION}:${ACCOUNT}:key/attacker-key`)],
  },
  {
    name: 'a model written with SSE-S3 instead of the bucket key',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    network: training(s3),
    requests: [s3PutKms(trainingRole, bucket, 'models/sentiment/job-1/output/model.tar.gz', '', 'endpoint', 'AES256')],
  },
  {
    name: 'a principal of this account copies data to a bucket of another account through the S3 endpoint',
    expect: 'CLOSED',
    closedBy: 'endpoint policy',
    network: training(s3),
    requests: [{
      caller: { arn: `arn:aws:iam::${ACCOUNT}:role/Compromised`, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }] },
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::exfiltration-bucket/loot',
      resourceAccount: OTHER_ACCOUNT,
      context: { 'aws:SecureTransport': 'true' },
      throughEndpoint: true,
      // the attacker's bucket admits anyone: only this VPC's endpoint policy can stop the copy
      resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::exfiltration-bucket/*' }] },
    }],
  },
  {
    name: 'another account reads the datasets',
    expect: 'CLOSED',
    closedBy: ['resource policy', 'identity policy'],
    requests: [s3Get({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }] },
      bucket, 'datasets/sentiment/train.csv', 'direct')],
  },
  {
    name: 'SageMaker assumes the training role for a job of another name',
    expect: 'CLOSED',
    closedBy: 'trust policy',
    requests: [assume('sagemaker.amazonaws.com', ev.arn(trainingRole.role), `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/other-model-1`)],
  },
]);

describePaths('Prod: the endpoint starts and serves', () => ev, [
  {
    name: 'SageMaker assumes the inference role',
    expect: 'OPEN',
    requests: [assume('sagemaker.amazonaws.com', ev.arn(inferenceRole.role), `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${String(endpointName).toLowerCase()}`)],
  },
  ...imagePull(model, inferenceRole),
  {
    name: 'downloads the model artifact through the S3 gateway endpoint',
    expect: 'OPEN',
    network: model(s3),
    requests: [s3Get(inferenceRole, bucket, 'models/sentiment/1.2.0/model.tar.gz'), kmsVia(inferenceRole, 'kms:Decrypt', dataKey, 's3')],
  },
  {
    name: 'writes captured data with the capture key through the S3 gateway endpoint',
    expect: 'OPEN',
    network: model(s3),
    requests: [s3PutKms(inferenceRole, captureBucket, `data-capture/${endpointName}/AllTraffic/2026/12/01/00/capture.jsonl`, captureKey),
      kmsVia(inferenceRole, 'kms:GenerateDataKey', captureKey, 's3')],
  },
  {
    name: 'writes its logs through the logs endpoint',
    expect: 'OPEN',
    network: model(iface('logs')),
    requests: ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
      caller: inferenceRole, action, resource: logGroupArn(ev, lid(endpoint.endpointLogGroup), 'AllTraffic/i-0123456789abcdef0'), throughEndpoint: true as const,
    })),
  },
]);

const client = (clientOs: NetworkLeg['clientOs']) => leg(NetworkTier.INFERENCE, lid(net.inferenceSecurityGroup), iface('execute-api'), 443, clientOs);
type Invoker = { role: string } | { arn: string; identityPolicies?: unknown[] };
const invoke = (caller: Invoker, throughEndpoint: true | undefined, context?: Record<string, string>) =>
  ({ caller, action: 'execute-api:Invoke', resource: invokeArn, throughEndpoint, context });
describePaths('Prod: clients call the model through the private API', () => ev, [
  {
    name: 'a client on Linux in the inference tier calls the API through the execute-api endpoint',
    expect: 'OPEN',
    network: client('linux'),
    requests: [invoke(clientRole, true)],
  },
  {
    name: 'a client on Lambda in the inference tier calls the API through the execute-api endpoint',
    expect: 'OPEN',
    network: client('lambda'),
    // New defect (not among issue 11 #1-#14): the endpoints and inference tier ACLs admit replies
    // on 32768-65535 only; Lambda picks its ephemeral ports from 1024-65535.
    requests: [invoke(clientRole, true)],
  },
  { name: 'API Gateway assumes the integration role', expect: 'OPEN', requests: [assume('apigateway.amazonaws.com', ev.arn(integrationRole.role))] },
  {
    name: 'the API invokes the SageMaker endpoint',
    expect: 'OPEN',
    requests: [{ caller: integrationRole, action: 'sagemaker:InvokeEndpoint', resource: endpointArn }],
  },
  {
    name: 'the integration role invokes another endpoint',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [{ caller: integrationRole, action: 'sagemaker:InvokeEndpoint', resource: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/other` }],
  },
  { name: 'the client calls the API from outside the VPC endpoint', expect: 'CLOSED', closedBy: 'resource policy', requests: [invoke(clientRole, undefined)] },
  {
    name: 'the client calls the API through another VPC endpoint',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [invoke(clientRole, undefined, { 'aws:SourceVpce': 'vpce-0another0endpoint' })],
  },
  {
    name: 'another account calls the API through the execute-api endpoint',
    expect: 'CLOSED',
    closedBy: ['endpoint policy', 'resource policy'],
    network: client('linux'),
    requests: [invoke({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Caller`, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }] }, true)],
  },
  {
    name: 'the inference tier → the training tier',
    expect: 'CLOSED',
    closedBy: ['SG ingress', 'NACL egress'],
    network: leg(NetworkTier.INFERENCE, lid(net.inferenceSecurityGroup), { kind: 'interfaces', subnets: prod.subnets(NetworkTier.TRAINING), securityGroups: [lid(net.trainingSecurityGroup)] }),
  },
]);

// Alerting and audit (rows built from the template: every alarm, every rule, every log group,
// every bucket with access logs — see test/support/paths/deliveries.ts).
describePaths('Prod: every alarm and every event rule reaches the alert topic', () => ev, [...alarmRows(ev), ...ruleRows(ev)]);
// AiSecurityMonitoring.allowEventRulesOfThisAccount admits the inference stack's model-monitor
// rules: any rule of this account and Region, and nothing else.
const alertTopic = ev.arn(lid(stage.operations.monitoring.topic));
describePaths('Prod: the alert topic admits EventBridge rules of this account and Region only', () => ev, [
  {
    name: 'a rule of another account with the model monitor rule\'s name publishes to the alert topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{
      caller: { service: 'events.amazonaws.com' },
      action: 'sns:Publish',
      resource: alertTopic,
      context: {
        'aws:SourceAccount': OTHER_ACCOUNT,
        'aws:SourceArn': ev.arn(lid(endpoint.dataQualityMonitor!.violationsRule)).replace(ACCOUNT, OTHER_ACCOUNT),
        'aws:SecureTransport': 'true',
      },
    }],
  },
  {
    name: 'a rule of this account in another Region publishes to the alert topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('events.amazonaws.com', 'sns:Publish', alertTopic, `arn:aws:events:eu-west-1:${ACCOUNT}:rule/elsewhere`, { 'aws:SecureTransport': 'true' })],
  },
  {
    name: 'the model monitor violations rule publishes over plain HTTP',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('events.amazonaws.com', 'sns:Publish', alertTopic, ev.arn(lid(endpoint.dataQualityMonitor!.violationsRule)), { 'aws:SecureTransport': 'false' })],
  },
]);
describePaths('Prod: the audit trail, flow logs, WAF logs and access logs are delivered', () => ev, [
  ...cloudTrailRows(ev),
  ...flowLogRows(ev),
  ...logGroupKeyRows(ev),
  { name: 'WAF logs go to a log group named aws-waf-logs-*', expect: 'OPEN', destination: { rule: 'waf-log-group', resource: lid(endpoint.wafLogGroup!) } },
  // Findings #3 (account role) and #7 (the stack owns the log group) decide this row.
  {
    name: 'API Gateway writes the stage\'s execution logs (account role set; a log group the stack owns, encrypted)',
    expect: 'OPEN',
    destination: { rule: 'apigateway-execution-logs', resource: lid(endpoint.stage) },
  },
  ...accessLogRows(ev),
]);
