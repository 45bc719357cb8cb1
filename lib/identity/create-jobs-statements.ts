import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SageMakerWorkload } from './least-privilege-sagemaker-role-props';
import { SAGEMAKER, sagemakerArn, viaService } from './sagemaker-workloads';

/** What the job-creation statements of `LeastPrivilegeSageMakerRole.grantCreateJobs` pin. */
export interface CreateJobsScope {
  /** The workloads the grantee may launch. */
  readonly workloads: SageMakerWorkload[];
  /** The role's `jobNamePrefix`. */
  readonly prefix: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** ARN of the role's job key. */
  readonly keyArn: string;
  /** ARN of the execution role, the one role the grantee may pass. */
  readonly roleArn: string;
}

/** The statements of a grantCreateJobs, and the name-prefixed ARNs they grant on. */
export interface CreateJobsStatements {
  readonly statements: iam.PolicyStatement[];
  readonly taggable: string[];
}

/**
 * Job creation (training, processing) and model hosting (models, endpoint configurations,
 * endpoints) on ARNs named with the prefix, only in the role's VPC, with its key, isolated;
 * tagging on create; `iam:PassRole` of the role to SageMaker only; the key's grants for SageMaker.
 */
export function createJobsStatements(scope: Construct, options: CreateJobsScope): CreateJobsStatements {
  const { workloads, prefix } = options;
  const arn = (type: string) => sagemakerArn(scope, type, `${prefix}*`);
  const vpc = {
    'sagemaker:VpcSubnets': options.subnetIds,
    'sagemaker:VpcSecurityGroupIds': options.securityGroupIds,
  };
  const requireVpc = { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false' };
  const key = options.keyArn;
  const statements: iam.PolicyStatement[] = [];
  const jobActions: string[] = [];
  const jobArns: string[] = [];
  if (workloads.includes(SageMakerWorkload.TRAINING)) { jobActions.push('sagemaker:CreateTrainingJob'); jobArns.push(arn('training-job')); }
  if (workloads.includes(SageMakerWorkload.PROCESSING)) { jobActions.push('sagemaker:CreateProcessingJob'); jobArns.push(arn('processing-job')); }
  if (jobActions.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'CreateJobsInVpcWithKeyIsolatedEncrypted',
      actions: jobActions,
      resources: jobArns,
      conditions: {
        'ForAllValues:StringEquals': vpc,
        'Null': requireVpc,
        'StringEquals': { 'sagemaker:VolumeKmsKeyArn': key, 'sagemaker:OutputKmsKeyArn': key },
        'Bool': { 'sagemaker:NetworkIsolation': 'true', 'sagemaker:InterContainerTrafficEncryption': 'true' },
      },
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'DescribeAndStopOwnJobs',
      actions: [
        ...(workloads.includes(SageMakerWorkload.TRAINING) ? ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'] : []),
        ...(workloads.includes(SageMakerWorkload.PROCESSING) ? ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'] : []),
      ],
      resources: jobArns,
    }));
  }
  const taggable = [...jobArns];
  const taggingActions = [...jobActions];
  if (workloads.includes(SageMakerWorkload.INFERENCE)) {
    statements.push(new iam.PolicyStatement({
      sid: 'CreateModelsInVpcIsolated',
      actions: ['sagemaker:CreateModel'],
      resources: [arn('model')],
      conditions: {
        'ForAllValues:StringEquals': vpc,
        'Null': requireVpc,
        'Bool': { 'sagemaker:NetworkIsolation': 'true' },
      },
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'CreateEndpointConfigsWithKeyForOwnModels',
      actions: ['sagemaker:CreateEndpointConfig'],
      resources: [arn('endpoint-config')],
      conditions: {
        // VPC and isolation are properties of the model; when SageMaker reports them for the
        // endpoint configuration they must match too.
        'ForAllValues:StringEquals': vpc,
        'ForAllValues:ArnLike': { 'sagemaker:ModelArn': [arn('model')] },
        'Null': { 'sagemaker:ModelArn': 'false' },
        'StringEquals': { 'sagemaker:VolumeKmsKeyArn': key },
        'BoolIfExists': { 'sagemaker:NetworkIsolation': 'true' },
      },
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'CreateEndpointsFromOwnConfigs',
      actions: ['sagemaker:CreateEndpoint'],
      resources: [arn('endpoint'), arn('endpoint-config')],
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'DescribeOwnModelsAndEndpoints',
      actions: ['sagemaker:DescribeModel', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeEndpoint'],
      resources: [arn('model'), arn('endpoint-config'), arn('endpoint')],
    }));
    taggable.push(arn('model'), arn('endpoint-config'), arn('endpoint'));
    taggingActions.push('CreateModel', 'CreateEndpointConfig', 'CreateEndpoint');
  }
  statements.push(new iam.PolicyStatement({
    sid: 'TagOnCreate',
    actions: ['sagemaker:AddTags'],
    resources: taggable,
    conditions: { StringEquals: { 'sagemaker:TaggingAction': taggingActions.map((a) => a.replace(/^sagemaker:/, '')) } },
  }));
  statements.push(new iam.PolicyStatement({
    sid: 'PassThisRoleToSageMakerOnly',
    actions: ['iam:PassRole'],
    resources: [options.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': SAGEMAKER } },
  }));
  statements.push(new iam.PolicyStatement({
    sid: 'LetSageMakerUseTheJobKey',
    actions: ['kms:CreateGrant', 'kms:DescribeKey'],
    resources: [key],
    conditions: { StringEquals: { 'kms:ViaService': viaService(scope, 'sagemaker') } },
  }));
  return { statements, taggable };
}
