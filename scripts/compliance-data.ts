/**
 * The data behind docs/compliance-matrix.md: each recommendation of the guide and each Security Hub
 * control the library addresses → the construct and default that implement it → the checks that
 * verify it. scripts/compliance-matrix.ts renders it together with the AiSecurityChecks rule
 * metadata and the Control Tower guard rule metadata; test/docs/compliance-matrix.test.ts fails on
 * a check that does not exist.
 *
 * A check is written `<kind>:<id>`:
 * - `nag:<rule ID>` — a cdk-nag rule (as reported: `AwsSolutions-S10`, `NIST.800.53.R5-…`, `Serverless-…`),
 *   verified against node_modules/cdk-nag/RULES.md;
 * - `guard:<rule name>` — a Control Tower guard rule bundled in @cdklabs/cdk-validator-cfnguard (the CT
 *   control ID is read from the rule's file);
 * - `aisec:<rule ID>` — a rule of the library's AiSecurityChecks pack;
 * - `test:<file>#<describe or test title>` — a test of this repository (IAM simulation, rule evaluation…);
 *   the file must exist and contain the title.
 */

/** One requirement and how the library meets it. */
export interface MatrixRow {
  /** The guide's recommendation, or the Security Hub control ID. */
  readonly id: string;
  /** What is required, in a few words. */
  readonly requirement: string;
  /** Construct → the default (or opt-in) that implements it. */
  readonly implementedBy: string[];
  /** Checks that verify it (see the file comment for the notation). */
  readonly checks: string[];
}

const T = {
  bucket: 'test/storage/secure-training-bucket.test.ts',
  role: 'test/identity/least-privilege-sagemaker-role.test.ts',
  repo: 'test/containers/secure-model-repository.test.ts',
  monitoring: 'test/monitoring/ai-security-monitoring.test.ts',
  vpc: 'test/network/segmented-ai-vpc.test.ts',
  inference: 'test/inference/private-inference-endpoint.test.ts',
  harness: 'test/support/harness.test.ts',
  mainJob: 'test/examples/main-job.test.ts',
  bedrock: 'test/bedrock/invoke-policy.test.ts',
  bedrockLogging: 'test/bedrock/invocation-logging.test.ts',
  accessAnalysis: 'test/monitoring/access-analysis.test.ts',
  sensitiveData: 'test/monitoring/sensitive-data-discovery.test.ts',
  findingsPaths: 'test/paths/findings-routing.test.ts',
  platform: 'test/examples/reference-platform.test.ts',
};

/** The recommendations of "Securing AI workloads in the cloud" (/work/shared/GUIDE.txt), in its order. */
export const GUIDE_ROWS: MatrixRow[] = [
  {
    id: 'Data privacy and governance: strict data access controls, traceable data lineage',
    requirement: 'only named principals reach training data; every version and access is kept',
    implementedBy: [
      'SecureTrainingBucket: grants per key prefix (`grantRead`/`grantWrite`), optional `aws:SourceVpce` restriction; versioning and Object Lock on',
      'AiSecurityMonitoring: S3 data events of `trainingBuckets`, `TrainingDataAccessDenied` alarm',
    ],
    checks: [
      `test:${T.bucket}#SecureTrainingBucket policies, decided by the IAM simulator`,
      'nag:NIST.800.53.R5-S3BucketVersioningEnabled',
      'guard:s3_bucket_object_lock_enabled_check',
      `test:${T.monitoring}#records S3 data events for the training buckets`,
    ],
  },
  {
    id: 'Data privacy and governance: training data that contains sensitive personal information (GDPR, HIPAA, CCPA)',
    requirement: 'know what sensitive data the training buckets hold; a responder hears of it',
    implementedBy: [
      'SensitiveDataDiscovery: optional Macie enablement (`enableMacie`), Macie findings of `severityThreshold` or more (sensitive data, bucket policy) to the alert topic; README: automated sensitive data discovery, the account setting that runs discovery',
      'SecureTrainingBucket `allowMacieDiscovery`: the key policy lets Macie\'s service-linked role decrypt (Macie user guide), exempt from the VPC endpoint restriction',
      'Reference platform: Test and Prod stages (config.ts `sensitiveDataDiscovery`)',
    ],
    checks: [
      `test:${T.sensitiveData}#SensitiveDataDiscovery EventBridge rule, evaluated against sample findings`,
      `test:${T.sensitiveData}#SensitiveDataDiscovery rule → topic, decided by the IAM simulator`,
      `test:${T.bucket}#allowMacieDiscovery, decided by the IAM simulator`,
      `test:${T.findingsPaths}#AccessAnalysis and SensitiveDataDiscovery: findings reach the alert topic`,
      `test:${T.platform}#Access Analyzer and Macie as the stage configures them, findings to the one alert topic`,
    ],
  },
  {
    id: 'Model integrity and confidentiality',
    requirement: 'model artifacts and images cannot be swapped or read by others; a running model cannot exfiltrate',
    implementedBy: [
      'SecureModelRepository: immutable tags, KMS, pull only by named principals',
      'PrivateInferenceEndpoint: `EnableNetworkIsolation`, VPC placement, KMS-encrypted volumes',
    ],
    checks: [
      'aisec:AiSec-ECRTagImmutability',
      'guard:ecr_private_tag_immutability_enabled_check',
      'aisec:AiSec-SageMakerModelNetworkIsolation',
      'aisec:AiSec-SageMakerModelVpcConfig',
      'aisec:AiSec-SageMakerEndpointConfigInferenceComponentIsolation',
      `test:${T.repo}#SecureModelRepository policy, decided by the IAM simulator`,
    ],
  },
  {
    id: 'Supply chain security: scan dependencies and images',
    requirement: 'images are scanned; findings reach a person',
    implementedBy: [
      'SecureModelRepository: scan on push, optional enhanced (Inspector) scanning; README pipeline step with Trivy',
      'AiSecurityMonitoring: `EcrScanFindings`, `EcrEnhancedScanFindings` rules to the alert topic',
    ],
    checks: [
      'aisec:AiSec-ECRScanOnPush',
      'guard:ecr_private_image_scanning_enabled_check',
      `test:${T.monitoring}#Inspector findings on container images of CRITICAL or HIGH severity match, others not`,
    ],
  },
  {
    id: 'Least privilege access (and Issue 1: over-privileged IAM roles)',
    requirement: 'roles for services, specific permissions only, custom rather than managed policies',
    implementedBy: [
      'LeastPrivilegeSageMakerRole: customer-managed policies scoped to prefixes, keys, log groups, repositories, subnets; `grantCreateJobs` with VPC/KMS/isolation condition keys; `iam:PassRole` only to SageMaker',
      'Every construct: `grant*` methods scoped to ARNs',
    ],
    checks: [
      'nag:AwsSolutions-IAM4',
      'nag:AwsSolutions-IAM5',
      'nag:NIST.800.53.R5-IAMNoInlinePolicy',
      'nag:NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
      'guard:iam_managed_policy_no_statements_with_full_access_check',
      'aisec:AiSec-IAMSageMakerRoleNoFullAccess',
      'aisec:AiSec-IAMSageMakerCreateConditions',
      'aisec:AiSec-IAMPassRoleScoped',
      'aisec:AiSec-IAMSageMakerTrustConfusedDeputy',
      'aisec:AiSec-IAMSageMakerRoleNoWildcards',
      'aisec:AiSec-IAMSageMakerInvokeEndpointScoped',
      `test:${T.role}#LeastPrivilegeSageMakerRole policies, decided by the IAM simulator`,
    ],
  },
  {
    id: 'Issue 1: use automated tools to detect over-privileged roles (IAM Access Analyzer); identify unintended access',
    requirement: 'external and unused access watched after deployment; active findings reach a responder, expected ones archived',
    implementedBy: [
      'AccessAnalysis: external-access and unused-access analyzers (account or organization), archive rules, ACTIVE findings to the alert topic (archived, resolved and deleted ones not)',
      'Reference platform: Test and Prod stages (config.ts `accessAnalysis`), the CI role\'s push grant archived',
    ],
    checks: [
      `test:${T.accessAnalysis}#AccessAnalysis EventBridge rule, evaluated against sample findings`,
      `test:${T.accessAnalysis}#AccessAnalysis rule → topic, decided by the IAM simulator`,
      `test:${T.findingsPaths}#AccessAnalysis and SensitiveDataDiscovery: nobody else publishes`,
      `test:${T.platform}#Access Analyzer and Macie as the stage configures them, findings to the one alert topic`,
    ],
  },
  {
    id: 'Network segmentation: separate dev/test/prod, VPCs and subnets, strict firewall rules',
    requirement: 'tiers that cannot reach each other, stages with no route between them, no internet by default',
    implementedBy: [
      'SegmentedAiVpc: a CIDR block per stage, isolated training / inference / endpoints subnets, per-tier network ACLs denying the rest of the VPC, per-tier security groups, encrypted flow logs',
    ],
    checks: [
      `test:${T.vpc}#SegmentedAiVpc network ACLs, decided by rule evaluation`,
      `test:${T.vpc}#SegmentedAiVpc stages side by side`,
      'nag:NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'nag:NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled',
      'guard:subnet_auto_assign_public_ip_disabled_check',
      'guard:nacl_no_unrestricted_ssh_rdp_check',
      'nag:AwsSolutions-VPC7',
    ],
  },
  {
    id: '1. Strong identity and access management: IAM roles for services',
    requirement: 'services act through roles trusted only by that service',
    implementedBy: [
      'LeastPrivilegeSageMakerRole, PrivateInferenceEndpoint execution and integration roles, flow-log and CloudTrail roles: trusted by one service principal with `aws:SourceAccount` / `aws:SourceArn`',
    ],
    checks: [
      'aisec:AiSec-IAMSageMakerTrustConfusedDeputy',
      `test:${T.role}#without a job prefix, aws:SourceAccount alone keeps other accounts out`,
      `test:${T.vpc}#the flow-log role is trusted by VPC Flow Logs of this account only`,
    ],
  },
  {
    id: '2. Encrypt data at rest and in transit (and Issue 2: unencrypted sensitive data)',
    requirement: 'customer-managed KMS keys, deny unencrypted uploads, TLS everywhere',
    implementedBy: [
      'SecureTrainingBucket: SSE-KMS with a rotated key, uploads with another encryption denied, TLS 1.2+ only',
      'SecureModelRepository, AiSecurityMonitoring, SegmentedAiVpc, PrivateInferenceEndpoint: customer-managed rotated keys for images, trail, topics, queues, log groups, endpoint volumes and captured data',
    ],
    checks: [
      'nag:AwsSolutions-S10',
      'aisec:AiSec-S3MinimumTls12',
      'nag:NIST.800.53.R5-S3DefaultEncryptionKMS',
      'guard:s3_bucket_default_encryption_kms_check',
      'nag:AwsSolutions-KMS5',
      'guard:kms_key_rotation_enabled_check',
      'nag:NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      'aisec:AiSec-SageMakerEndpointConfigKms',
      'aisec:AiSec-ECRKms',
      `test:${T.bucket}#SecureTrainingBucket policies, decided by the IAM simulator`,
    ],
  },
  {
    id: '3. Secure your container images',
    requirement: 'scan images, integrate scanning into CI/CD, rebuild regularly',
    implementedBy: [
      'SecureModelRepository: scan on push, immutable tags, lifecycle (old images expire); README: Trivy step before push',
    ],
    checks: ['aisec:AiSec-ECRScanOnPush', 'aisec:AiSec-ECRLifecyclePolicy', 'guard:ecr_private_lifecycle_policy_configured_check'],
  },
  {
    id: '4. Secure AI model endpoints: authentication, API gateway, rate limiting, monitoring',
    requirement: 'no anonymous caller, throttled, watched',
    implementedBy: [
      'PrivateInferenceEndpoint: private REST API, IAM (SigV4) or Cognito authorization (never NONE), stage throttling, WAF rate rule, alarms on errors, latency and WAF blocks',
    ],
    checks: [
      'nag:AwsSolutions-APIG4',
      'aisec:AiSec-APIGWMethodAuthorization',
      'aisec:AiSec-APIGWStageThrottling',
      'nag:Serverless-APIGWDefaultThrottling',
      'aisec:AiSec-WAFv2RateBasedRule',
      `test:${T.inference}#PrivateInferenceEndpoint policies, decided by the IAM simulator`,
    ],
  },
  {
    id: 'Never hardcode credentials',
    requirement: 'callers sign with credentials from the environment',
    implementedBy: ['PrivateInferenceEndpoint: IAM authorization by default (API keys only on top, for metering); examples/inference-client.ts signs with SigV4 from the default credential chain'],
    checks: [`test:${T.inference}#no method of the API is left without authorization`],
  },
  {
    id: 'Continuous monitoring and logging; alerts; SIEM integration',
    requirement: 'log access, data movement and model interactions; alert on suspicious activity',
    implementedBy: [
      'AiSecurityMonitoring: multi-Region KMS trail with log-file validation to CloudWatch Logs, CIS metric-filter alarms, EventBridge rules, one encrypted SNS topic for a SIEM or pager',
      'PrivateInferenceEndpoint: access, execution and WAF logs; data capture',
      'SegmentedAiVpc: flow logs of all traffic',
    ],
    checks: [
      'guard:cloud_trail_encryption_enabled_check',
      'guard:cloud_trail_log_file_validation_enabled_check',
      'guard:cloud_trail_cloud_watch_logs_enabled_check',
      'nag:NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled',
      'guard:cloudwatch_alarm_action_check',
      `test:${T.monitoring}#AiSecurityMonitoring metric filters, evaluated on CloudTrail records`,
      `test:${T.monitoring}#AiSecurityMonitoring event patterns, evaluated`,
    ],
  },
  {
    id: 'Vulnerability management',
    requirement: 'scan continuously, act on findings',
    implementedBy: ['SecureModelRepository `enableEnhancedScanning` (continuous, Inspector); AiSecurityMonitoring forwards CRITICAL/HIGH findings'],
    checks: [`test:${T.repo}#enhanced scanning writes a continuous ENHANCED registry configuration filtered to this repository`],
  },
  {
    id: 'Secure SDLC: automated security testing in CI/CD',
    requirement: 'security checks run on every change and can fail',
    implementedBy: ['AiSecurityChecks and the cdk-nag / cfn-guard / schema checks as CDK validation plugins: `npx cdk synth` fails on an unacknowledged finding'],
    checks: [`test:${T.harness}#`, `test:${T.mainJob}#fails on an unacknowledged violation and names it`],
  },
  {
    id: 'Secure SDLC: deploy failures caught before deployment',
    requirement: 'documented deploy-time constraints checked at synth, each with its AWS source; the pack measured on a labelled corpus',
    implementedBy: ['AiSecurityChecks preflight rules (level error), judged on the rendered template of any construct, the library\'s or a third party\'s'],
    checks: [
      'aisec:AiSec-PreflightApiGatewayAccountForLogging',
      'aisec:AiSec-PreflightSageMakerModelS3Path',
      'aisec:AiSec-PreflightS3LogDestinationObjectLock',
      'aisec:AiSec-PreflightWafLoggingDestinationName',
      'aisec:AiSec-PreflightWafAssociationScope',
      'aisec:AiSec-PreflightWebSocketRouteAuthorizer',
      'aisec:AiSec-PreflightSageMakerServerlessInstanceSettings',
      'aisec:AiSec-PreflightSageMakerServerlessDataCapture',
      'aisec:AiSec-PreflightSageMakerServerlessModelNetwork',
      'aisec:AiSec-PreflightSageMakerKmsOnLocalStorage',
      'aisec:AiSec-PreflightLogGroupKeyAllowsLogs',
      'test:test/nag/corpus/corpus.test.ts#precision and recall per rule and overall are at least',
      'test:test/nag/findings.test.ts#rules judge the rendered template',
    ],
  },
  {
    id: 'Incident response planning: detection',
    requirement: 'findings reach responders',
    implementedBy: ['AiSecurityMonitoring: GuardDuty, Security Hub, ECR and SageMaker endpoint events and alarms to one topic with a dead-letter queue'],
    checks: [`test:${T.monitoring}#a GuardDuty finding matches no other rule`, `test:${T.monitoring}#every rule targets the topic with a dead-letter queue and a retry policy`],
  },
  {
    id: 'Issue 4: model monitoring, input validation, log inference requests and responses',
    requirement: 'requests validated at the endpoint; inputs and outputs kept for analysis',
    implementedBy: [
      'PrivateInferenceEndpoint: JSON-schema request validator, WAF body-size rule, data capture to a KMS-encrypted SecureTrainingBucket',
      'ModelDataQualityMonitor (`dataQualityMonitoring`): Model Monitor data-quality schedule over the captured data against a baseline; failed executions and violations to the alert topic; `driftAlarms`: a CloudWatch alarm per feature on its baseline drift',
      'ModelQualityMonitor (`modelQualityMonitoring`): Model Monitor model-quality schedule over the captured predictions and the ground truth you upload, against a baseline; the same alerts',
    ],
    checks: [
      'nag:AwsSolutions-APIG2',
      'aisec:AiSec-SageMakerEndpointConfigDataCapture',
      'aisec:AiSec-SageMakerEndpointConfigDataCaptureKms',
      'aisec:AiSec-SageMakerMonitoringNetworkIsolation',
      'aisec:AiSec-SageMakerMonitoringInterContainerEncryption',
      'aisec:AiSec-SageMakerEndpointMonitoringSchedule',
      `test:${T.inference}#the request body is validated against the default JSON schema`,
      'test:test/monitoring/model-data-quality-monitor.test.ts#alerts: the EventBridge rules, evaluated against sample events',
      'test:test/monitoring/model-monitor-alarms.test.ts#drift alarms of a ModelDataQualityMonitor',
      'test:test/monitoring/model-quality-monitor.test.ts#alerts: the EventBridge rules, evaluated against sample events',
    ],
  },
  {
    id: 'Issue 5: insecure API endpoints for model inference',
    requirement: 'API gateway, strong authentication, throttling, WAF, TLS',
    implementedBy: ['PrivateInferenceEndpoint: WAF web ACL (IP reputation, rate, body size, common rules, known bad inputs) with logging, private API or custom domain with TLS 1.2'],
    checks: [
      'nag:AwsSolutions-APIG3',
      'aisec:AiSec-APIGWStageWafOrPrivate',
      'aisec:AiSec-WAFv2Logging',
      'aisec:AiSec-WAFv2Metrics',
      'nag:NIST.800.53.R5-WAFv2LoggingEnabled',
      'guard:wafv2_webacl_not_empty_check',
      'guard:api_gw_domain_tls_check',
    ],
  },
  {
    id: 'SageMaker Studio and notebooks (guide: isolate AI environments)',
    requirement: 'Studio VPC-only with KMS, notebooks without root access (the library creates none; the pack checks yours)',
    implementedBy: ['AiSecurityChecks only'],
    checks: ['aisec:AiSec-SageMakerDomainVpcOnly', 'aisec:AiSec-SageMakerDomainKms', 'aisec:AiSec-SageMakerNotebookRootAccess', 'nag:AwsSolutions-SM1', 'nag:AwsSolutions-SM2', 'nag:AwsSolutions-SM3'],
  },
  {
    id: 'Foundation models (Amazon Bedrock): named models, an unskippable guardrail, private and logged',
    requirement: 'least privilege on models, prompt-attack and sensitive-data filtering callers cannot skip, encryption, private access, invocation logging',
    implementedBy: [
      'GuardedBedrockAccess: guardrail with prompt-attack, content, PII and profanity filters, customer-managed key; `grantInvoke` on named models and inference profiles only, pinned to the guardrail version (`bedrock:GuardrailIdentifier`, explicit deny), optionally only through the VPC endpoints',
      'BedrockInvocationLogging: model-invocation logs to a KMS-encrypted log group; large payloads only writable by Bedrock of this account',
    ],
    checks: [
      'aisec:AiSec-BedrockGuardrailPromptAttack',
      'aisec:AiSec-BedrockCustomerManagedKey',
      'aisec:AiSec-BedrockAgentGuardrail',
      'aisec:AiSec-IAMBedrockInvokeNamedModels',
      'aisec:AiSec-IAMBedrockInvokeGuardrailCondition',
      `test:${T.bedrock}#grantInvoke, decided by the IAM simulator`,
      `test:${T.bedrockLogging}#decided by the IAM simulator`,
    ],
  },
];

/** The AWS Security Hub controls the library's constructs satisfy by default (/work/shared/CONTROLS.md). */
export const SECURITY_HUB_ROWS: MatrixRow[] = [
  { id: 'S3.1, S3.8', requirement: 'block public access', implementedBy: ['SecureTrainingBucket: all public access blocked'], checks: ['nag:AwsSolutions-S2', 'nag:NIST.800.53.R5-S3BucketLevelPublicAccessProhibited', 'guard:s3_bucket_level_public_access_prohibited_check'] },
  { id: 'S3.5', requirement: 'require TLS', implementedBy: ['SecureTrainingBucket: deny without TLS and below TLS 1.2'], checks: ['nag:AwsSolutions-S10', 'nag:NIST.800.53.R5-S3BucketSSLRequestsOnly', 'guard:s3_bucket_policy_ssl_requests_only_check', 'aisec:AiSec-S3MinimumTls12'] },
  { id: 'S3.9', requirement: 'server access logging', implementedBy: ['SecureTrainingBucket: access logs to its log bucket'], checks: ['nag:AwsSolutions-S1', 'nag:NIST.800.53.R5-S3BucketLoggingEnabled', 'guard:s3_bucket_logging_enabled_check'] },
  { id: 'S3.10, S3.13', requirement: 'lifecycle configuration', implementedBy: ['SecureTrainingBucket: noncurrent versions expire after 365 days, multipart uploads abort after 7'], checks: ['guard:s3_version_lifecycle_policy_check', 'guard:s3_lifecycle_policy_check'] },
  { id: 'S3.11', requirement: 'event notifications', implementedBy: ['SecureTrainingBucket: EventBridge on (native property, no custom resource)'], checks: ['guard:s3_event_notifications_enabled_check'] },
  { id: 'S3.12', requirement: 'no ACLs', implementedBy: ['SecureTrainingBucket: object ownership enforced'], checks: ['guard:s3_bucket_acl_prohibited_check'] },
  { id: 'S3.14', requirement: 'versioning', implementedBy: ['SecureTrainingBucket: versioned'], checks: ['nag:NIST.800.53.R5-S3BucketVersioningEnabled', 'guard:s3_bucket_versioning_enabled_check'] },
  { id: 'S3.15', requirement: 'Object Lock', implementedBy: ['SecureTrainingBucket: Object Lock on (`objectLockMode` + `objectLockRetention` for a default retention)'], checks: ['guard:s3_bucket_object_lock_enabled_check'] },
  { id: 'S3.17', requirement: 'SSE-KMS', implementedBy: ['SecureTrainingBucket: SSE-KMS with a customer key, other encryption denied on upload'], checks: ['nag:NIST.800.53.R5-S3DefaultEncryptionKMS', 'guard:s3_bucket_default_encryption_kms_check', `test:${T.bucket}#SecureTrainingBucket policies, decided by the IAM simulator`] },
  { id: 'S3.22, S3.23', requirement: 'object-level write and read logging', implementedBy: ['AiSecurityMonitoring: S3 data events for `trainingBuckets`'], checks: [`test:${T.monitoring}#records S3 data events for the training buckets`] },
  { id: 'SageMaker.4', requirement: 'endpoint variants with more than one instance', implementedBy: ['PrivateInferenceEndpoint: `initialInstanceCount` 2, autoscaling'], checks: ['aisec:AiSec-SageMakerEndpointConfigMultiInstance'] },
  { id: 'SageMaker.5', requirement: 'model network isolation', implementedBy: ['PrivateInferenceEndpoint: `enableNetworkIsolation` true'], checks: ['aisec:AiSec-SageMakerModelNetworkIsolation'] },
  { id: 'SageMaker.1–.3', requirement: 'notebooks: no direct internet, in a VPC, no root access', implementedBy: ['none created; the pack checks notebooks you write'], checks: ['nag:AwsSolutions-SM1', 'nag:AwsSolutions-SM2', 'nag:AwsSolutions-SM3', 'aisec:AiSec-SageMakerNotebookRootAccess'] },
  { id: 'SageMaker.9–.15', requirement: 'monitoring jobs: inter-container encryption, network isolation', implementedBy: ['ModelDataQualityMonitor, ModelQualityMonitor: network isolation and inter-container traffic encryption always on; the pack also checks monitoring jobs you write'], checks: ['aisec:AiSec-SageMakerMonitoringInterContainerEncryption', 'aisec:AiSec-SageMakerMonitoringNetworkIsolation', 'test:test/monitoring/model-data-quality-monitor.test.ts#the AiSec monitoring rules judge the job definition'] },
  { id: 'APIGateway.1', requirement: 'execution logging', implementedBy: ['PrivateInferenceEndpoint: execution logs INFO without request data; access logs JSON'], checks: ['nag:AwsSolutions-APIG6', 'nag:AwsSolutions-APIG1', 'nag:NIST.800.53.R5-APIGWExecutionLoggingEnabled', 'guard:api_gw_v1_execution_logging_enabled_check'] },
  { id: 'APIGateway.3', requirement: 'X-Ray tracing', implementedBy: ['PrivateInferenceEndpoint: tracing on'], checks: ['nag:HIPAA.Security-APIGWXrayEnabled', 'guard:api_gw_xray_enabled_check'] },
  { id: 'APIGateway.4', requirement: 'associated with a WAF web ACL', implementedBy: ['PrivateInferenceEndpoint: regional web ACL on the stage'], checks: ['nag:AwsSolutions-APIG3', 'nag:NIST.800.53.R5-APIGWAssociatedWithWAF', 'aisec:AiSec-APIGWStageWafOrPrivate'] },
  { id: 'APIGateway.5', requirement: 'cache encrypted', implementedBy: ['PrivateInferenceEndpoint: cache off; encrypted when `cacheEnabled`'], checks: ['guard:api_gw_cache_encrypted_check'] },
  { id: 'APIGateway.8 (nearest, REST)', requirement: 'routes specify an authorization type', implementedBy: ['PrivateInferenceEndpoint: AWS_IAM or COGNITO, never NONE'], checks: ['nag:AwsSolutions-APIG4', 'aisec:AiSec-APIGWMethodAuthorization'] },
  { id: 'KMS.1, KMS.2', requirement: 'no decrypt on all keys in IAM policies', implementedBy: ['every construct: KMS statements name the key and `kms:ViaService`'], checks: ['nag:AwsSolutions-IAM5', `test:${T.role}#every KMS statement the construct writes carries kms:ViaService`] },
  { id: 'KMS.3', requirement: 'no unintended key deletion', implementedBy: ['every created key: retained, 30-day deletion window'], checks: [`test:${T.bucket}#creates a rotated customer-managed key with the longest deletion window, retained`] },
  { id: 'KMS.4', requirement: 'key rotation', implementedBy: ['every created key: rotation on'], checks: ['nag:AwsSolutions-KMS5', 'nag:NIST.800.53.R5-KMSBackingKeyRotationEnabled', 'guard:kms_key_rotation_enabled_check'] },
  { id: 'EC2.2', requirement: 'default security group has no rules', implementedBy: ['SegmentedAiVpc: `restrictDefaultSecurityGroup` (the one custom resource)'], checks: ['nag:NIST.800.53.R5-VPCDefaultSecurityGroupClosed', `test:${T.vpc}#the default security group is closed by exactly one custom resource, the only Lambda`] },
  { id: 'EC2.6', requirement: 'VPC flow logging', implementedBy: ['SegmentedAiVpc: all traffic, KMS log group, one year'], checks: ['nag:AwsSolutions-VPC7', 'nag:NIST.800.53.R5-VPCFlowLogsEnabled'] },
  { id: 'EC2.10', requirement: 'VPC endpoints for services', implementedBy: ['SegmentedAiVpc: SageMaker API and Runtime, STS, ECR, Logs, CloudWatch, KMS interface endpoints; S3 gateway endpoint'], checks: [`test:${T.vpc}#SegmentedAiVpc endpoint policies, decided by the IAM simulator`] },
  { id: 'EC2.15', requirement: 'no auto-assigned public IPs', implementedBy: ['SegmentedAiVpc: every subnet'], checks: ['nag:NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled', 'guard:subnet_auto_assign_public_ip_disabled_check'] },
  { id: 'EC2.18, EC2.19', requirement: 'no unrestricted ingress', implementedBy: ['SegmentedAiVpc: tier security groups admit only the tiers; PrivateInferenceEndpoint: no ingress'], checks: ['nag:NIST.800.53.R5-EC2RestrictedCommonPorts', 'guard:vpc_sg_open_only_to_authorized_ports_check', 'guard:vpc_sg_restricted_common_ports_check'] },
  { id: 'ECR.1', requirement: 'image scanning', implementedBy: ['SecureModelRepository: scan on push; optional enhanced scanning'], checks: ['aisec:AiSec-ECRScanOnPush', 'guard:ecr_private_image_scanning_enabled_check'] },
  { id: 'ECR.2', requirement: 'tag immutability', implementedBy: ['SecureModelRepository: IMMUTABLE'], checks: ['aisec:AiSec-ECRTagImmutability', 'guard:ecr_private_tag_immutability_enabled_check'] },
  { id: 'ECR.3', requirement: 'lifecycle policy', implementedBy: ['SecureModelRepository: 50 tagged, untagged 14 days'], checks: ['aisec:AiSec-ECRLifecyclePolicy', 'guard:ecr_private_lifecycle_policy_configured_check'] },
  { id: 'ECR.5', requirement: 'customer-managed KMS', implementedBy: ['SecureModelRepository: created rotated key'], checks: ['aisec:AiSec-ECRKms'] },
  { id: 'CloudWatch (log retention ≥ 365 days)', requirement: 'log groups kept a year and encrypted', implementedBy: ['every log group the library creates (`createLogGroup`): KMS, at least a year, retained'], checks: ['nag:NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod', 'guard:cloudwatch_log_group_retention_period_check', 'guard:cloudwatch_log_group_encrypted_check'] },
  { id: 'CloudWatch.1–.14 (CIS metric filters)', requirement: 'alarms on unauthorized calls, IAM, KMS and bucket-policy changes', implementedBy: ['AiSecurityMonitoring: metric filters and alarms to the topic'], checks: ['guard:cloudwatch_alarm_action_check', 'nag:NIST.800.53.R5-CloudWatchAlarmAction', `test:${T.monitoring}#AiSecurityMonitoring metric filters, evaluated on CloudTrail records`] },
  { id: 'WAF.10', requirement: 'web ACL has at least one rule', implementedBy: ['PrivateInferenceEndpoint: five rules'], checks: ['guard:wafv2_webacl_not_empty_check', 'aisec:AiSec-WAFv2RateBasedRule'] },
  { id: 'WAF.11', requirement: 'web ACL logging', implementedBy: ['PrivateInferenceEndpoint: `aws-waf-logs-` group, KMS, authorization redacted'], checks: ['aisec:AiSec-WAFv2Logging', 'nag:NIST.800.53.R5-WAFv2LoggingEnabled'] },
  { id: 'WAF.12', requirement: 'rule metrics', implementedBy: ['PrivateInferenceEndpoint: metrics and sampled requests on every rule'], checks: ['aisec:AiSec-WAFv2Metrics'] },
  { id: 'CloudTrail.1, .2, .4, .5', requirement: 'multi-Region, encrypted, log-file validation, CloudWatch delivery', implementedBy: ['AiSecurityMonitoring: trail'], checks: ['guard:cloud_trail_encryption_enabled_check', 'guard:cloud_trail_log_file_validation_enabled_check', 'guard:cloud_trail_cloud_watch_logs_enabled_check', 'nag:NIST.800.53.R5-CloudTrailEncryptionEnabled', 'nag:NIST.800.53.R5-CloudTrailLogFileValidationEnabled'] },
  { id: 'SNS.1', requirement: 'topics encrypted; TLS only', implementedBy: ['AiSecurityMonitoring and PrivateInferenceEndpoint topics: KMS, deny publish without TLS'], checks: ['nag:NIST.800.53.R5-SNSEncryptedKMS', 'nag:AwsSolutions-SNS3'] },
];
