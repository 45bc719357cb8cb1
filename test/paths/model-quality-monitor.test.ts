import { IConstruct } from 'constructs';
import { lid } from './platform';
import { evaluatorOf, interfaceEndpoint, pathStack } from './support';
import { ModelQualityProblemType, NetworkStage, SecureModelEndpoint, SecureModelRepository, SecureTrainingBucket, SegmentedAiVpc } from '../../lib';
import { assume, describePaths, kmsVia, logGroupArnByName, NetworkLeg, PathRow, s3Get, s3PutKms } from '../support/paths';

/**
 * modelQualityMonitoring of a SecureModelEndpoint in a SegmentedAiVpc: each execution merges the
 * captured predictions with the ground truth labels, then computes the quality metrics, as
 * processing jobs whose network interfaces SageMaker puts in the endpoint's subnets with the
 * monitor's security group (SageMaker developer guide, "Give SageMaker processing jobs access to
 * resources in your Amazon VPC"; "Schedule model quality monitoring jobs"). S3 and the logs
 * endpoint must be open; the internet, writing the labels and the rest of the bucket closed.
 */
const modelQualityMonitoring = {
  problemType: ModelQualityProblemType.BINARY_CLASSIFICATION,
  probabilityAttribute: '0',
  probabilityThresholdAttribute: 0.5,
  baselineConstraintsKey: 'baselines/model-quality/v1/constraints.json',
};
const stack = pathStack('ModelQuality');
const network = new SegmentedAiVpc(stack, 'Network', { stage: NetworkStage.PROD });
const artifacts = new SecureTrainingBucket(stack, 'Artifacts');
const images = new SecureModelRepository(stack, 'Images');
const model = new SecureModelEndpoint(stack, 'Model', {
  vpc: network.vpc,
  vpcSubnets: network.inferenceSubnets,
  imageRepository: images.repository,
  imageRepositoryEncryptionKey: images.encryptionKey,
  modelDataBucket: artifacts.bucket,
  modelDataKey: 'models/churn/1/model.tar.gz',
  modelQualityMonitoring,
});
const monitor = model.modelQualityMonitor!;
const ev = evaluatorOf(stack);

const role = { role: lid(monitor.role.role) };
const subnets = network.vpc.selectSubnets(network.inferenceSubnets).subnets.map((s: IConstruct) => lid(s));
const job = (to: NetworkLeg['to']): NetworkLeg => ({ fromSubnets: subnets, fromSecurityGroups: [lid(monitor.securityGroup)], clientOs: 'linux', to, port: 443 });
const s3: NetworkLeg['to'] = { kind: 'gateway-service', service: 's3' };
const endpointName = ev.sim.resolve({ Ref: lid(model.endpoint) });
const bucket = ev.arn(lid(model.dataCaptureBucket));
const key = ev.arn(lid(model.encryptionKey));
const processingLogs = (stream: string) => logGroupArnByName('/aws/sagemaker/ProcessingJobs', stream);

const rows: PathRow[] = [
  { name: 'SageMaker assumes the monitoring role', expect: 'OPEN', requests: [assume('sagemaker.amazonaws.com', ev.arn(role.role))] },
  {
    name: 'the execution reads the captured predictions through the S3 gateway endpoint',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3Get(role, bucket, `data-capture/${endpointName}/AllTraffic/2026/12/01/10/c.jsonl`), kmsVia(role, 'kms:Decrypt', key, 's3')],
  },
  {
    name: 'the execution reads the ground truth labels of the hour',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3Get(role, bucket, 'ground-truth/2026/12/01/10/labels.jsonl'), kmsVia(role, 'kms:Decrypt', key, 's3')],
  },
  {
    name: 'the execution reads the baseline constraints',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3Get(role, bucket, 'baselines/model-quality/v1/constraints.json')],
  },
  {
    name: 'the execution writes its report with the capture key',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3PutKms(role, bucket, `model-quality-reports/${endpointName}/schedule/2026/12/01/11/constraint_violations.json`, key),
      kmsVia(role, 'kms:GenerateDataKey', key, 's3')],
  },
  {
    name: 'the execution writes its logs through the logs endpoint',
    expect: 'OPEN',
    network: job({ kind: 'interface-endpoint', endpoint: interfaceEndpoint(ev, 'logs') }),
    requests: ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
      caller: role, action, resource: processingLogs('model-quality-monitoring-202612011100-0a1b2c3d/algo-1-1764586800'), throughEndpoint: true as const,
    })),
  },
  {
    name: 'the execution reaches the internet',
    expect: 'CLOSED',
    closedBy: 'route table',
    network: job({ kind: 'address', ip: '198.51.100.7' }),
  },
  {
    name: 'the execution forges ground truth labels',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: job(s3),
    requests: [s3PutKms(role, bucket, 'ground-truth/2026/12/01/10/forged.jsonl', key)],
  },
  {
    name: 'the execution writes into the data-quality reports',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: job(s3),
    requests: [s3PutKms(role, bucket, `monitoring-reports/${endpointName}/x.json`, key)],
  },
  {
    name: 'the execution reads the model artifact bucket',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: job(s3),
    requests: [s3Get(role, ev.arn(lid(artifacts.bucket)), 'models/churn/1/model.tar.gz')],
  },
  {
    name: 'the execution writes a report without the capture key (SSE-S3)',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    network: job(s3),
    requests: [s3PutKms(role, bucket, `model-quality-reports/${endpointName}/x.json`, key, 'endpoint', 'AES256')],
  },
];
describePaths('ModelQualityMonitor paths', () => ev, rows);

/** With the Region's S3 prefix list the security group closes the internet too, and S3 stays open. */
const strict = pathStack('ModelQualityStrict');
const strictNetwork = new SegmentedAiVpc(strict, 'Network', { stage: NetworkStage.PROD });
const strictModel = new SecureModelEndpoint(strict, 'Model', {
  vpc: strictNetwork.vpc,
  vpcSubnets: strictNetwork.inferenceSubnets,
  imageRepository: new SecureModelRepository(strict, 'Images').repository,
  modelDataBucket: new SecureTrainingBucket(strict, 'Artifacts').bucket,
  modelDataKey: 'models/churn/1/model.tar.gz',
  s3PrefixListId: 'pl-63a5400a',
  modelQualityMonitoring,
});
const strictEv = evaluatorOf(strict);
const strictJob = (to: NetworkLeg['to']): NetworkLeg => ({
  fromSubnets: strictNetwork.vpc.selectSubnets(strictNetwork.inferenceSubnets).subnets.map((s: IConstruct) => lid(s)),
  fromSecurityGroups: [lid(strictModel.modelQualityMonitor!.securityGroup)],
  clientOs: 'linux',
  to,
  port: 443,
});
describePaths('ModelQualityMonitor paths with s3PrefixListId', () => strictEv, [
  { name: 'the execution reaches S3 through the gateway endpoint (prefix list)', expect: 'OPEN', network: strictJob(s3) },
  { name: 'the execution reaches the logs endpoint (VPC CIDR)', expect: 'OPEN', network: strictJob({ kind: 'interface-endpoint', endpoint: interfaceEndpoint(strictEv, 'logs') }) },
  { name: 'the execution reaches the internet', expect: 'CLOSED', closedBy: 'SG egress', network: strictJob({ kind: 'address', ip: '198.51.100.7' }) },
]);
