import { IConstruct } from 'constructs';
import { invalidProp, isUnresolved } from '../private/errors';

/**
 * Deploy-time constraints of the resources PrivateInferenceEndpoint creates, checked at
 * construction. Each entry is listed, with its source, in docs/deploy-constraints/inference.md;
 * an error names the constraint ID and where it is documented.
 */
export interface DeployConstraint {
  /** Stable ID, as in docs/deploy-constraints/inference.md. */
  readonly id: string;
  /** Where the constraint is documented (document title). */
  readonly source: string;
}

const SAGEMAKER_API = 'Amazon SageMaker API Reference';
const CFN = 'AWS CloudFormation Template Reference';

export const CONSTRAINTS = {
  endpointName: { id: 'SM-ENDPOINT-NAME', source: `${SAGEMAKER_API}, CreateEndpoint: EndpointName` },
  instanceType: { id: 'SM-INSTANCE-TYPE', source: `${SAGEMAKER_API}, ProductionVariant: InstanceType (valid values ml.<family>.<size>)` },
  localStorageKms: { id: 'SM-KMS-LOCAL-STORAGE', source: `${SAGEMAKER_API}, CreateEndpointConfig: KmsKeyId ("If you specify a value for KmsKeyId when using any nitro-based instances with local storage, the call to CreateEndpointConfig fails")` },
  modelDataUrl: { id: 'SM-MODEL-DATA-URL', source: `${SAGEMAKER_API}, ContainerDefinition: ModelDataUrl (pattern ^(https|s3)://([^/]+)/?(.*)$, at most 1024 characters)` },
  captureUri: { id: 'SM-CAPTURE-URI', source: `${SAGEMAKER_API}, DataCaptureConfig: DestinationS3Uri (at most 512 characters)` },
  vpcSubnets: { id: 'SM-VPC-SUBNETS', source: `${CFN}, AWS::SageMaker::Model VpcConfig: Subnets (1 to 16)` },
  stageName: { id: 'APIGW-STAGE-NAME', source: 'Amazon API Gateway API Reference, CreateStage: stageName (alphanumerics, hyphens and underscores, at most 128 characters)' },
  wafLogName: { id: 'WAF-LOG-DESTINATION-NAME', source: 'AWS WAF Developer Guide, "Sending web ACL traffic logs to an Amazon CloudWatch Logs log group" (the log group name must start with aws-waf-logs-)' },
  logGroupName: { id: 'LOGS-GROUP-NAME', source: 'Amazon CloudWatch Logs API Reference, CreateLogGroup: logGroupName (1 to 512 characters of [.-_/#A-Za-z0-9])' },
  wafName: { id: 'WAF-NAME', source: 'AWS WAFV2 API Reference, CreateWebACL: Name (1 to 128 characters of [\\w-]); VisibilityConfig: MetricName (1 to 255 characters of [\\w#:.-/], not "All" or "Default_Action")' },
  wafScope: { id: 'WAF-SCOPE', source: 'AWS WAFV2 API Reference, AssociateWebACL (an Amazon API Gateway REST API stage takes a REGIONAL web ACL; ARN arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)' },
} satisfies Record<string, DeployConstraint>;

/** Throws a SecureAiValidationError naming the constraint and its source. */
export function violated(scope: IConstruct, prop: string, value: unknown, constraint: DeployConstraint, fix: string): never {
  return invalidProp(scope, prop, value, `${fix} [${constraint.id}: ${constraint.source}]`);
}

/**
 * Instance families whose instances carry local (NVMe instance store) storage: a `d` in the
 * family's attribute suffix (m5d, c5d, r5d, g4dn, p3dn, p4d, m6gd, c6id, ...) and the families the
 * SageMaker documentation and EC2 instance-store table name without one (g5, g6, g6e, p5, p5e,
 * p5en, trn1, trn1n, dl1).
 */
export function hasLocalStorage(family: string): boolean {
  return /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family) || ['g5', 'g6', 'g6e', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'dl1'].includes(family);
}

/** ml.<family>.<size>, with the sizes SageMaker instance types come in. */
export function checkInstanceType(scope: IConstruct, instanceType: string, customerKey: boolean): void {
  if (isUnresolved(instanceType)) return;
  const match = /^ml\.([a-z]+\d+[a-z-]*)\.(medium|large|xlarge|\d+xlarge|metal(-\d+xl)?)$/.exec(instanceType);
  if (!match) {
    violated(scope, 'instanceType', instanceType, CONSTRAINTS.instanceType,
      'Give a SageMaker ML instance type "ml.<family>.<size>" such as "ml.m5.large" or "ml.c5.2xlarge" (sizes: medium, large, xlarge, <n>xlarge).');
  }
  if (customerKey && hasLocalStorage(match[1])) {
    violated(scope, 'instanceType', instanceType, CONSTRAINTS.localStorageKms,
      `ml.${match[1]} instances have local instance storage, which SageMaker encrypts with a hardware module and for which it refuses a KMS key; the endpoint configuration always sets one. Choose a family without instance storage, such as ml.m5, ml.c5, ml.r5, ml.p3 or ml.inf2.`);
  }
}

/** The object key of the artifact: not a URL, not absolute, no wildcard, and a URL SageMaker accepts. */
export function checkModelDataKey(scope: IConstruct, key: string): void {
  if (isUnresolved(key)) return;
  if (/^[a-z0-9]+:\/\//i.test(key)) {
    violated(scope, 'modelDataKey', key, CONSTRAINTS.modelDataUrl,
      'Give the object key inside `modelDataBucket` ("models/model.tar.gz"), not a URL: the construct builds s3://<bucket>/<key> itself.');
  }
  if (key === '' || key.startsWith('/') || key.includes('*')) {
    violated(scope, 'modelDataKey', key, CONSTRAINTS.modelDataUrl, 'Give the object key of the artifact, such as "models/model.tar.gz" (no leading slash, no wildcard).');
  }
  // s3:// + bucket (at most 63) + / + key <= 1024
  if (key.length > 1024 - 'https://'.length - 63 - 1) {
    violated(scope, 'modelDataKey', `${key.slice(0, 40)}...`, CONSTRAINTS.modelDataUrl, 'The artifact URL would exceed 1024 characters: use a shorter key.');
  }
}

/** Data-capture prefix: a key prefix that keeps s3://<bucket>/<prefix> within 512 characters. */
export function checkCapturePrefix(scope: IConstruct, prefix: string): void {
  if (isUnresolved(prefix)) return;
  if (prefix === '' || prefix.startsWith('/') || prefix.includes('*') || /^[a-z0-9]+:\/\//i.test(prefix)) {
    violated(scope, 'dataCapturePrefix', prefix, CONSTRAINTS.captureUri, 'Give a key prefix such as "data-capture/" (no URL, no leading slash, no wildcard).');
  }
  if (prefix.length > 512 - 's3://'.length - 63 - 1) {
    violated(scope, 'dataCapturePrefix', prefix, CONSTRAINTS.captureUri, 'The capture URI would exceed 512 characters: use a shorter prefix.');
  }
}

/** A CloudWatch Logs log group name the construct sets. */
export function checkLogGroupName(scope: IConstruct, prop: string, name: string): void {
  if (isUnresolved(name)) return;
  if (name.length < 1 || name.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(name)) {
    violated(scope, prop, name, CONSTRAINTS.logGroupName, 'The log group name derived from it is not valid: use letters, digits, hyphens and underscores, and keep it under 512 characters.');
  }
}

/** The WAF log group: a name starting with aws-waf-logs-. */
export function checkWafLogGroupName(scope: IConstruct, name: string): void {
  if (!name.startsWith('aws-waf-logs-')) {
    violated(scope, 'wafLogGroupName', name, CONSTRAINTS.wafLogName, 'WAF delivers logs only to a log group whose name starts with "aws-waf-logs-".');
  }
  checkLogGroupName(scope, 'wafLogGroupName', name);
}

/** A WAF web ACL name and the metric names derived from it. */
export function checkWafName(scope: IConstruct, name: string): void {
  if (isUnresolved(name)) return;
  if (!/^[\w-]{1,128}$/.test(name) || ['All', 'Default_Action'].includes(name)) {
    violated(scope, 'webAclName', name, CONSTRAINTS.wafName, 'Use 1 to 128 letters, digits, hyphens and underscores.');
  }
}
