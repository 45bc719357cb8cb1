import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from '../lib';

/**
 * SageMaker execution roles for one team: a training role and an inference role, scoped to
 * prefixes of a SecureTrainingBucket, one ECR repository and the team's subnets, and a pipeline
 * role that may launch jobs only in that VPC, with the job key, isolated and encrypted.
 *
 * The VPC, security group and repository are existing ones (looked up by ID here, so the example
 * synthesizes without an account); in your app pass the VPC and repository constructs you own.
 */
export class IdentityStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const data = new SecureTrainingBucket(this, 'TrainingData');
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'TeamVpc', {
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
    });
    const jobs = ec2.SecurityGroup.fromSecurityGroupId(this, 'JobSecurityGroup', 'sg-0ccccccccccccccc3');
    const trainer = ecr.Repository.fromRepositoryName(this, 'TrainerImages', 'fraud-trainer');

    const training = new LeastPrivilegeSageMakerRole(this, 'FraudTraining', {
      workloads: [SageMakerWorkload.TRAINING, SageMakerWorkload.PROCESSING],
      inputs: [{ bucket: data.bucket, prefixes: ['datasets/fraud/'] }],
      outputs: [{ bucket: data.bucket, prefixes: ['models/fraud/', 'features/fraud/'] }],
      repositories: [trainer],
      vpc,
      securityGroups: [jobs],
      jobNamePrefix: 'fraud-',
    });

    const inference = new LeastPrivilegeSageMakerRole(this, 'FraudInference', {
      workloads: [SageMakerWorkload.INFERENCE],
      inputs: [{ bucket: data.bucket, prefixes: ['models/fraud/'] }],
      encryptionKey: training.encryptionKey,
      repositories: [trainer],
      vpc,
      securityGroups: [jobs],
      jobNamePrefix: 'fraud-',
    });

    const pipeline = new iam.Role(this, 'PipelineRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'CI/CD pipeline that launches the fraud model jobs and endpoints',
    });
    training.grantCreateJobs(pipeline);
    inference.grantCreateJobs(pipeline);
  }
}
