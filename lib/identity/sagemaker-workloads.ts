import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SageMakerWorkload } from './least-privilege-sagemaker-role-props';

export const SAGEMAKER = 'sagemaker.amazonaws.com';

/** Log groups, metric namespaces and ARN types per workload. */
export const WORKLOAD = {
  [SageMakerWorkload.TRAINING]: { logGroup: '/aws/sagemaker/TrainingJobs', namespaces: ['/aws/sagemaker/TrainingJobs'], sourceTypes: ['training-job'] },
  [SageMakerWorkload.PROCESSING]: { logGroup: '/aws/sagemaker/ProcessingJobs', namespaces: ['/aws/sagemaker/ProcessingJobs'], sourceTypes: ['processing-job'] },
  [SageMakerWorkload.INFERENCE]: { logGroup: '/aws/sagemaker/Endpoints', namespaces: ['/aws/sagemaker/Endpoints'], sourceTypes: ['model', 'endpoint'] },
  // The SageMaker developer guide names the data-quality namespace three ways ("CloudWatch Metrics":
  // /aws/sagemaker/Endpoints/data-metric; "CloudWatch Metrics for Bring Your Own Containers":
  // /aws/sagemaker/Endpoint/data-metrics; the Model Monitor examples: aws/sagemaker/Endpoints/data-metrics).
  [SageMakerWorkload.MONITORING]: {
    logGroup: '/aws/sagemaker/ProcessingJobs',
    namespaces: ['/aws/sagemaker/ProcessingJobs', 'aws/sagemaker/Endpoints/data-metrics', '/aws/sagemaker/Endpoints/data-metric', '/aws/sagemaker/Endpoint/data-metrics'],
    sourceTypes: [] as string[],
  },
};

/** The ARN of a SageMaker resource of the stack's account and Region. */
export function sagemakerArn(scope: Construct, type: string, name: string): string {
  return Stack.of(scope).formatArn({ service: 'sagemaker', resource: type, resourceName: name });
}

/** The `kms:ViaService` value of an AWS service in the stack's Region. */
export function viaService(scope: Construct, service: string): string {
  return `${service}.${Stack.of(scope).region}.amazonaws.com`;
}
