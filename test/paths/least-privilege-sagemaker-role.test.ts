import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { lid } from './platform';
import { allow, evaluatorOf, interfaceEndpoint, pathStack } from './support';
import { LeastPrivilegeSageMakerRole, NetworkStage, NetworkTier, SageMakerWorkload, SecureModelRepository, SecureTrainingBucket, SegmentedAiVpc } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import {
  assume, describePaths, ECR_LAYER_BUCKET, ECR_LAYER_SIGNER, kmsVia, logGroupArnByName, NetworkLeg, PathRequest, PathRow, s3Get, s3PutKms,
} from '../support/paths';

/**
 * LeastPrivilegeSageMakerRole: a training job that runs as the role, in the VPC it names, reads
 * its inputs, writes its outputs with the job key, logs and publishes metrics; SageMaker assumes
 * it only for the named jobs; the pipeline launches only jobs in the VPC, with the key, isolated.
 * (SageMaker developer guide, "Give SageMaker training jobs access to resources in your Amazon VPC".)
 */
const stack = pathStack('Role');
const network = new SegmentedAiVpc(stack, 'Network', { stage: NetworkStage.DEV });
const data = new SecureTrainingBucket(stack, 'Data');
const images = new SecureModelRepository(stack, 'Images');
const training = new LeastPrivilegeSageMakerRole(stack, 'Training', {
  workloads: [SageMakerWorkload.TRAINING],
  inputs: [{ bucket: data.bucket, prefixes: ['datasets/fraud/'] }],
  outputs: [{ bucket: data.bucket, prefixes: ['models/fraud/'] }],
  encryptionKey: data.encryptionKey,
  repositories: [images.repository],
  vpc: network.vpc,
  vpcSubnets: network.trainingSubnets,
  securityGroups: [network.trainingSecurityGroup],
  jobNamePrefix: 'fraud-',
});
images.grantPull(new iam.ArnPrincipal(training.role.roleArn));
const pipeline = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.AccountRootPrincipal() });
training.grantCreateJobs(pipeline);
const ev = evaluatorOf(stack);

const role = { role: lid(training.role) };
const bucket = ev.arn(lid(data.bucket));
const key = ev.arn(lid(data.encryptionKey));
const job = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/${name}`;
const subnets = network.vpc.selectSubnets(network.trainingSubnets).subnets.map((s: IConstruct) => lid(s));
const leg = (to: NetworkLeg['to']): NetworkLeg => ({ fromSubnets: subnets, fromSecurityGroups: [lid(network.trainingSecurityGroup)], clientOs: 'linux', to, port: 443 });
const iface = (suffix: string): NetworkLeg['to'] => ({ kind: 'interface-endpoint', endpoint: interfaceEndpoint(ev, suffix) });
const s3: NetworkLeg['to'] = { kind: 'gateway-service', service: 's3' };
const through = (requests: PathRequest[]) => requests.map((r) => ({ ...r, throughEndpoint: true as const }));

const createJob = (context: Record<string, string | string[]>): PathRequest => ({
  caller: { role: lid(pipeline) }, action: 'sagemaker:CreateTrainingJob', resource: job('fraud-2026-12-01'), context,
});
const jobContext = {
  'sagemaker:VpcSubnets': subnets.map((s) => ev.sim.resolve({ Ref: s })),
  'sagemaker:VpcSecurityGroupIds': [ev.sim.resolve({ 'Fn::GetAtt': [lid(network.trainingSecurityGroup), 'GroupId'] })],
  'sagemaker:VolumeKmsKeyArn': key,
  'sagemaker:OutputKmsKeyArn': key,
  'sagemaker:NetworkIsolation': 'true',
  'sagemaker:InterContainerTrafficEncryption': 'true',
};
const { ['sagemaker:VpcSubnets']: _subnets, ...withoutVpc } = jobContext;

const rows: PathRow[] = [
  { name: 'SageMaker assumes the role for a fraud-* training job', expect: 'OPEN', requests: [assume('sagemaker.amazonaws.com', ev.arn(role.role), job('fraud-1'))] },
  { name: 'SageMaker assumes the role for another job', expect: 'CLOSED', closedBy: 'trust policy', requests: [assume('sagemaker.amazonaws.com', ev.arn(role.role), job('other-1'))] },
  {
    name: 'SageMaker assumes the role for a job of another account',
    expect: 'CLOSED',
    closedBy: 'trust policy',
    requests: [{ ...assume('sagemaker.amazonaws.com', ev.arn(role.role), `arn:aws:sagemaker:${REGION}:${OTHER_ACCOUNT}:training-job/fraud-1`), context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:sagemaker:${REGION}:${OTHER_ACCOUNT}:training-job/fraud-1` } }],
  },
  { name: 'another service assumes the role', expect: 'CLOSED', closedBy: 'trust policy', requests: [assume('ec2.amazonaws.com', ev.arn(role.role))] },
  {
    name: 'the job gets a registry token through the ecr.api endpoint',
    expect: 'OPEN',
    network: leg(iface('ecr.api')),
    requests: through([{ caller: role, action: 'ecr:GetAuthorizationToken', resource: '*' }]),
  },
  {
    name: 'the job reads the image manifest through ecr.dkr',
    expect: 'OPEN',
    network: leg(iface('ecr.dkr')),
    requests: through(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'].map((action) => ({ caller: role, action, resource: ev.arn(lid(images.repository)) }))),
  },
  {
    name: 'the job downloads image layers (presigned by ECR) through the S3 gateway endpoint',
    expect: 'OPEN',
    network: leg(s3),
    requests: [{
      caller: { arn: ECR_LAYER_SIGNER, identityPolicies: [allow('s3:GetObject', `${ECR_LAYER_BUCKET}/*`)] },
      action: 's3:GetObject',
      resource: `${ECR_LAYER_BUCKET}/layer`,
      resourceAccount: '000000000000',
      context: { 'aws:SecureTransport': 'true' },
      throughEndpoint: true,
    }],
  },
  {
    name: 'the job reads its inputs through the S3 gateway endpoint',
    expect: 'OPEN',
    network: leg(s3),
    requests: [s3Get(role, bucket, 'datasets/fraud/train.csv'), kmsVia(role, 'kms:Decrypt', key, 's3')],
  },
  {
    name: 'the job writes its outputs with the job key',
    expect: 'OPEN',
    network: leg(s3),
    requests: [s3PutKms(role, bucket, 'models/fraud/fraud-1/output/model.tar.gz', key), kmsVia(role, 'kms:GenerateDataKey', key, 's3')],
  },
  {
    name: 'the job writes its logs through the logs endpoint',
    expect: 'OPEN',
    network: leg(iface('logs')),
    requests: through(['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({ caller: role, action, resource: logGroupArnByName('/aws/sagemaker/TrainingJobs', 'fraud-1/algo-1-1') }))),
  },
  {
    name: 'the job publishes metrics through the monitoring endpoint',
    expect: 'OPEN',
    network: leg(iface('monitoring')),
    requests: through([{ caller: role, action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } }]),
  },
  { name: 'the job reads outside its input prefix', expect: 'CLOSED', closedBy: 'identity policy', network: leg(s3), requests: [s3Get(role, bucket, 'datasets/other/x.csv')] },
  { name: 'the job writes into its input prefix', expect: 'CLOSED', closedBy: 'identity policy', network: leg(s3), requests: [s3PutKms(role, bucket, 'datasets/fraud/x.csv', key)] },
  {
    name: 'the job publishes metrics to another namespace',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    network: leg(iface('monitoring')),
    requests: through([{ caller: role, action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'Custom/Other' } }]),
  },
  {
    name: 'the pipeline passes the role to SageMaker and creates a job in the VPC, with the key, isolated',
    expect: 'OPEN',
    requests: [{ caller: { role: lid(pipeline) }, action: 'iam:PassRole', resource: ev.arn(role.role), context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } }, createJob(jobContext)],
  },
  {
    name: 'the pipeline passes the role to another service',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [{ caller: { role: lid(pipeline) }, action: 'iam:PassRole', resource: ev.arn(role.role), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }],
  },
  { name: 'the pipeline creates a job outside the VPC', expect: 'CLOSED', closedBy: 'identity policy', requests: [createJob(withoutVpc)] },
  {
    name: 'the pipeline creates a job in another subnet',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [createJob({ ...jobContext, 'sagemaker:VpcSubnets': [...jobContext['sagemaker:VpcSubnets'], 'subnet-0other'] })],
  },
  {
    name: 'the pipeline creates a job without network isolation',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [createJob({ ...jobContext, 'sagemaker:NetworkIsolation': 'false' })],
  },
  {
    name: 'the pipeline creates a job with another output key',
    expect: 'CLOSED',
    closedBy: 'identity policy',
    requests: [createJob({ ...jobContext, 'sagemaker:OutputKmsKeyArn': `arn:aws:kms:${REGION}:${ACCOUNT}:key/other` })],
  },
  {
    name: 'the job (training tier) → the inference tier',
    expect: 'CLOSED',
    closedBy: ['SG ingress', 'NACL egress'],
    network: leg({
      kind: 'interfaces',
      subnets: network.vpc.selectSubnets(network.subnetsOf(NetworkTier.INFERENCE)).subnets.map((s: IConstruct) => lid(s)),
      securityGroups: [lid(network.inferenceSecurityGroup)],
    }),
  },
];
describePaths('LeastPrivilegeSageMakerRole paths', () => ev, rows);
