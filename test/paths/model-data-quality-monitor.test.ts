import { IConstruct } from 'constructs';
import { lid } from './platform';
import { evaluatorOf, interfaceEndpoint, pathStack } from './support';
import { NetworkStage, SecureModelEndpoint, SecureModelRepository, SecureTrainingBucket, SegmentedAiVpc } from '../../lib';
import { assume, describePaths, kmsVia, logGroupArnByName, NetworkLeg, PathRow, s3Get, s3PutKms } from '../support/paths';

/**
 * dataQualityMonitoring of a SecureModelEndpoint in a SegmentedAiVpc: each monitoring execution
 * is a processing job whose network interfaces SageMaker puts in the endpoint's subnets with the
 * monitor's security group; with network isolation the container has no network, and SageMaker
 * reads the captured data and baseline and writes the reports through those interfaces
 * (SageMaker developer guide, "Give SageMaker processing jobs access to resources in your Amazon
 * VPC"). S3 and the logs endpoint must be open; the internet and the rest of the bucket closed.
 */
const stack = pathStack('Monitoring');
const network = new SegmentedAiVpc(stack, 'Network', { stage: NetworkStage.PROD });
const artifacts = new SecureTrainingBucket(stack, 'Artifacts');
const images = new SecureModelRepository(stack, 'Images');
const model = new SecureModelEndpoint(stack, 'Model', {
  vpc: network.vpc,
  vpcSubnets: network.inferenceSubnets,
  imageRepository: images.repository,
  imageRepositoryEncryptionKey: images.encryptionKey,
  modelDataBucket: artifacts.bucket,
  modelDataKey: 'models/sentiment/1/model.tar.gz',
  dataQualityMonitoring: { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' },
});
const monitor = model.dataQualityMonitor!;
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
    name: 'the execution reads the captured data through the S3 gateway endpoint',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3Get(role, bucket, `data-capture/${endpointName}/AllTraffic/2026/12/01/00/c.jsonl`), kmsVia(role, 'kms:Decrypt', key, 's3')],
  },
  {
    name: 'the execution reads the baseline statistics and constraints',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3Get(role, bucket, 'baselines/v1/statistics.json'), s3Get(role, bucket, 'baselines/v1/constraints.json')],
  },
  {
    name: 'the execution writes its report with the capture key',
    expect: 'OPEN',
    network: job(s3),
    requests: [s3PutKms(role, bucket, `monitoring-reports/${endpointName}/schedule/2026/12/01/01/constraint_violations.json`, key), kmsVia(role, 'kms:GenerateDataKey', key, 's3')],
  },
  {
    name: 'the execution writes its logs through the logs endpoint',
    expect: 'OPEN',
    network: job({ kind: 'interface-endpoint', endpoint: interfaceEndpoint(ev, 'logs') }),
    requests: ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
      caller: role, action, resource: processingLogs('model-monitoring-202612010100-0a1b2c3d/algo-1-1764550800'), throughEndpoint: true as const,
    })),
  },
  {
    name: 'the execution reaches the internet',
    expect: 'CLOSED',
    closedBy: 'route table',
    network: job({ kind: 'address', ip: '198.51.100.7' }),
  },
  {
    name: 'the execution forges captured data',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: job(s3),
    requests: [s3PutKms(role, bucket, `data-capture/${endpointName}/AllTraffic/2026/12/01/00/forged.jsonl`, key)],
  },
  {
    name: 'the execution overwrites the baseline',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: job(s3),
    requests: [s3PutKms(role, bucket, 'baselines/v1/constraints.json', key)],
  },
  {
    name: 'the execution reads the model artifact bucket',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: job(s3),
    requests: [s3Get(role, ev.arn(lid(artifacts.bucket)), 'models/sentiment/1/model.tar.gz')],
  },
  {
    name: 'the execution writes a report without the capture key (SSE-S3)',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    network: job(s3),
    requests: [s3PutKms(role, bucket, `monitoring-reports/${endpointName}/x.json`, key, 'endpoint', 'AES256')],
  },
  {
    name: 'another account\'s SageMaker assumes the monitoring role',
    expect: 'CLOSED',
    closedBy: 'trust policy',
    requests: [{ caller: { service: 'sagemaker.amazonaws.com' }, action: 'sts:AssumeRole', resource: ev.arn(role.role), context: { 'aws:SourceAccount': '444455556666' } }],
  },
];
describePaths('ModelDataQualityMonitor paths', () => ev, rows);

/** With the Region's S3 prefix list the security group closes the internet too, and S3 stays open. */
const strict = pathStack('MonitoringStrict');
const strictNetwork = new SegmentedAiVpc(strict, 'Network', { stage: NetworkStage.PROD });
const strictModel = new SecureModelEndpoint(strict, 'Model', {
  vpc: strictNetwork.vpc,
  vpcSubnets: strictNetwork.inferenceSubnets,
  imageRepository: new SecureModelRepository(strict, 'Images').repository,
  modelDataBucket: new SecureTrainingBucket(strict, 'Artifacts').bucket,
  modelDataKey: 'models/sentiment/1/model.tar.gz',
  s3PrefixListId: 'pl-63a5400a',
  dataQualityMonitoring: { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' },
});
const strictEv = evaluatorOf(strict);
const strictJob = (to: NetworkLeg['to']): NetworkLeg => ({
  fromSubnets: strictNetwork.vpc.selectSubnets(strictNetwork.inferenceSubnets).subnets.map((s: IConstruct) => lid(s)),
  fromSecurityGroups: [lid(strictModel.dataQualityMonitor!.securityGroup)],
  clientOs: 'linux',
  to,
  port: 443,
});
describePaths('ModelDataQualityMonitor paths with s3PrefixListId', () => strictEv, [
  { name: 'the execution reaches S3 through the gateway endpoint (prefix list)', expect: 'OPEN', network: strictJob(s3) },
  { name: 'the execution reaches the logs endpoint (VPC CIDR)', expect: 'OPEN', network: strictJob({ kind: 'interface-endpoint', endpoint: interfaceEndpoint(strictEv, 'logs') }) },
  { name: 'the execution reaches the internet', expect: 'CLOSED', closedBy: 'SG egress', network: strictJob({ kind: 'address', ip: '198.51.100.7' }) },
]);
