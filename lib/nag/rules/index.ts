import { AiSecRule } from '../rule';
import { APIGWMethodAuthorization } from './apigateway/method-authorization';
import { APIGWStageThrottling } from './apigateway/stage-throttling';
import { APIGWStageWafOrPrivate } from './apigateway/stage-waf-or-private';
import { BedrockAgentGuardrail } from './bedrock/agent-guardrail';
import { BedrockCustomerManagedKey } from './bedrock/customer-managed-key';
import { BedrockGuardrailPromptAttack } from './bedrock/guardrail-prompt-attack';
import { IAMBedrockInvokeGuardrailCondition } from './bedrock/invoke-guardrail-condition';
import { IAMBedrockInvokeNamedModels } from './bedrock/invoke-named-models';
import { ECRKms } from './ecr/kms';
import { ECRLifecyclePolicy } from './ecr/lifecycle-policy';
import { ECRScanOnPush } from './ecr/scan-on-push';
import { ECRTagImmutability } from './ecr/tag-immutability';
import { IAMSageMakerInvokeEndpointScoped } from './iam/invoke-endpoint-scoped';
import { IAMPassRoleScoped } from './iam/pass-role-scoped';
import { IAMSageMakerCreateConditions } from './iam/sagemaker-create-conditions';
import { IAMSageMakerRoleNoFullAccess } from './iam/sagemaker-role-no-full-access';
import { IAMSageMakerRoleNoWildcards } from './iam/sagemaker-role-no-wildcards';
import { IAMSageMakerTrustConfusedDeputy } from './iam/sagemaker-trust-confused-deputy';
import { PreflightApiGatewayAccountForLogging } from './preflight/apigateway-account';
import { PreflightLogGroupKeyAllowsLogs } from './preflight/logs-kms-key-policy';
import { PreflightS3LogDestinationObjectLock } from './preflight/s3-log-destination-object-lock';
import { PreflightSageMakerKmsOnLocalStorage } from './preflight/sagemaker-kms-local-storage';
import { PreflightSageMakerModelS3Path } from './preflight/sagemaker-model-s3-path';
import { PreflightSageMakerServerlessDataCapture, PreflightSageMakerServerlessInstanceSettings, PreflightSageMakerServerlessModelNetwork } from './preflight/sagemaker-serverless';
import { PreflightWafAssociationScope } from './preflight/waf-association-scope';
import { PreflightWafLoggingDestinationName } from './preflight/waf-logging-destination-name';
import { PreflightWebSocketRouteAuthorizer } from './preflight/websocket-route-authorizer';
import { S3MinimumTls12 } from './s3/minimum-tls';
import { SageMakerDomainKms } from './sagemaker/domain-kms';
import { SageMakerDomainVpcOnly } from './sagemaker/domain-vpc-only';
import { SageMakerEndpointConfigDataCapture } from './sagemaker/endpoint-config-data-capture';
import { SageMakerEndpointConfigDataCaptureKms } from './sagemaker/endpoint-config-data-capture-kms';
import { SageMakerEndpointConfigInferenceComponentIsolation } from './sagemaker/endpoint-config-inference-components';
import { SageMakerEndpointConfigKms } from './sagemaker/endpoint-config-kms';
import { SageMakerEndpointConfigMultiInstance } from './sagemaker/endpoint-config-multi-instance';
import { SageMakerEndpointMonitoringSchedule } from './sagemaker/endpoint-monitoring-schedule';
import { SageMakerModelNetworkIsolation } from './sagemaker/model-network-isolation';
import { SageMakerModelVpcConfig } from './sagemaker/model-vpc-config';
import { SageMakerMonitoringInterContainerEncryption } from './sagemaker/monitoring-inter-container-encryption';
import { SageMakerMonitoringNetworkIsolation } from './sagemaker/monitoring-network-isolation';
import { SageMakerNotebookRootAccess } from './sagemaker/notebook-root-access';
import { WAFv2Logging } from './wafv2/logging';
import { WAFv2Metrics } from './wafv2/metrics';
import { WAFv2RateBasedRule } from './wafv2/rate-based-rule';

/** Every rule of the pack, in report order. Adding one here is all it takes to run it. */
export const ALL_RULES: AiSecRule[] = [
  SageMakerModelNetworkIsolation,
  SageMakerModelVpcConfig,
  SageMakerEndpointConfigKms,
  SageMakerEndpointConfigDataCapture,
  SageMakerEndpointConfigDataCaptureKms,
  SageMakerEndpointConfigMultiInstance,
  SageMakerMonitoringNetworkIsolation,
  SageMakerMonitoringInterContainerEncryption,
  SageMakerDomainVpcOnly,
  SageMakerDomainKms,
  SageMakerNotebookRootAccess,
  ECRScanOnPush,
  ECRTagImmutability,
  ECRKms,
  ECRLifecyclePolicy,
  WAFv2RateBasedRule,
  WAFv2Logging,
  WAFv2Metrics,
  APIGWStageWafOrPrivate,
  APIGWStageThrottling,
  APIGWMethodAuthorization,
  S3MinimumTls12,
  IAMSageMakerRoleNoFullAccess,
  IAMSageMakerCreateConditions,
  IAMPassRoleScoped,
  IAMSageMakerTrustConfusedDeputy,
  IAMSageMakerRoleNoWildcards,
  IAMSageMakerInvokeEndpointScoped,
  SageMakerEndpointConfigInferenceComponentIsolation,
  // Preflight: deploy failures (or resources that can never work) caught at synth.
  PreflightApiGatewayAccountForLogging,
  PreflightSageMakerModelS3Path,
  PreflightS3LogDestinationObjectLock,
  PreflightWafLoggingDestinationName,
  PreflightWafAssociationScope,
  PreflightWebSocketRouteAuthorizer,
  PreflightSageMakerServerlessInstanceSettings,
  PreflightSageMakerServerlessDataCapture,
  PreflightSageMakerServerlessModelNetwork,
  PreflightSageMakerKmsOnLocalStorage,
  PreflightLogGroupKeyAllowsLogs,
  BedrockGuardrailPromptAttack,
  BedrockCustomerManagedKey,
  BedrockAgentGuardrail,
  IAMBedrockInvokeNamedModels,
  IAMBedrockInvokeGuardrailCondition,
  // Off by default (`enabledBy`): the pack runs these only when its prop turns them on.
  SageMakerEndpointMonitoringSchedule,
];

const BY_TYPE = new Map<string, AiSecRule[]>();
for (const rule of ALL_RULES) {
  for (const type of rule.resourceTypes) BY_TYPE.set(type, [...(BY_TYPE.get(type) ?? []), rule]);
}

/** The rules that look at a CloudFormation resource type (none for most types). */
export function rulesFor(resourceType: string): AiSecRule[] {
  return BY_TYPE.get(resourceType) ?? [];
}
