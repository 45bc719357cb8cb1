import { Caller, PathEvaluator, PathRequest } from './evaluator';
import { ACCOUNT, REGION } from '../iam';

/**
 * Builders for the requests AWS makes on the paths of the tables, with the context each
 * service sends. Every builder names its source in the AWS documentation.
 */

/** Every S3 request over HTTPS carries these (S3 user guide, "Amazon S3 condition key examples"). */
export const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };

/**
 * The account that signs the presigned URLs Amazon ECR hands out for image layers (an
 * ECR-owned account, not the caller's): layer downloads from `prod-<region>-starport-layer-bucket`
 * carry its principal, so an endpoint policy that requires `aws:PrincipalAccount` = this account
 * blocks them (ECR user guide, "Amazon ECR interface VPC endpoints": the S3 gateway endpoint
 * policy must allow the layer bucket; data perimeter policy examples, VPC endpoint policies,
 * which exempt the ECR layer bucket from the principal-account condition).
 */
export const ECR_LAYER_SIGNER = 'arn:aws:iam::000000000000:role/ecr-layer-presigner';
export const ECR_LAYER_BUCKET = `arn:aws:s3:::prod-${REGION}-starport-layer-bucket`;

/** How a request reaches the service: through the VPC endpoint of the path's network leg, or directly (from outside the VPC, or by a service). */
export type Via = 'endpoint' | 'direct';

export function s3Get(caller: Caller, bucketArn: string, key: string, via: Via = 'endpoint'): PathRequest {
  return { caller, action: 's3:GetObject', resource: `${bucketArn}/${key}`, context: TLS, throughEndpoint: via === 'endpoint' ? true : undefined };
}

/** An upload with SSE-KMS under `keyArn` (the headers SageMaker sets from the job's KmsKeyId). */
export function s3PutKms(caller: Caller, bucketArn: string, key: string, keyArn: string | undefined,
  via: Via = 'endpoint', encryption = 'aws:kms'): PathRequest {
  const sse: Record<string, string> = keyArn === undefined ? {} : {
    's3:x-amz-server-side-encryption': encryption,
    ...(encryption === 'aws:kms' ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } : {}),
  };
  return { caller, action: 's3:PutObject', resource: `${bucketArn}/${key}`, context: { ...TLS, ...sse }, throughEndpoint: via === 'endpoint' ? true : undefined };
}

/** A KMS call S3 (or another service) makes with the caller's credentials: `kms:ViaService` is set. */
export function kmsVia(caller: Caller, action: string, keyArn: string, service: 's3' | 'sagemaker' | 'ecr' | 'sns' | 'sqs'): PathRequest {
  return { caller, action, resource: keyArn, context: { 'kms:ViaService': `${service}.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT } };
}

/** A service principal assuming a role, with the confused-deputy keys the service sends. */
export function assume(service: string, roleArn: string, sourceArn?: string): PathRequest {
  const context: Record<string, string> = { 'aws:SourceAccount': ACCOUNT };
  if (sourceArn) context['aws:SourceArn'] = sourceArn;
  return { caller: { service }, action: 'sts:AssumeRole', resource: roleArn, context };
}

/** A service principal calling on behalf of a resource of this account (aws:SourceAccount, aws:SourceArn). */
export function serviceCall(service: string, action: string, resource: string, sourceArn: string, extra: Record<string, string> = {}): PathRequest {
  return { caller: { service }, action, resource, context: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sourceArn, ...extra } };
}

/** ARN of a log group of the template, or of a log stream in it. */
export function logGroupArn(ev: PathEvaluator, logicalId: string, stream?: string): string {
  const r = ev.template.Resources[logicalId];
  if (r?.Type !== 'AWS::Logs::LogGroup') throw new Error(`${logicalId} is not a log group`);
  const name = r.Properties?.LogGroupName ?? logicalId; // Ref of a log group is its name (the simulator names it by logical ID)
  return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}${stream === undefined ? '' : `:log-stream:${stream}`}`;
}

/** ARN of a log group by name (one created by a service, such as /aws/sagemaker/TrainingJobs). */
export function logGroupArnByName(name: string, stream?: string): string {
  return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}${stream === undefined ? '' : `:log-stream:${stream}`}`;
}

/** The execute-api ARN of a method of a REST API of the template. */
export function executeApiArn(ev: PathEvaluator, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${REGION}:${ACCOUNT}:${ev.sim.resolve({ Ref: apiId })}/${stage}/${method}/${path.replace(/^\//, '')}`;
}
