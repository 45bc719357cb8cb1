import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ModelParts } from './model-builder';
import { InferenceMonitoringOptions, SecureModelEndpointOptions } from './props';
import { ModelDataQualityMonitor } from '../monitoring/model-data-quality-monitor';

/**
 * The `dataQualityMonitoring` of an endpoint: a ModelDataQualityMonitor over its captured data, in
 * its VPC subnets, alerting its alarm topic. Undefined when the prop is not set.
 */
export function addDataQualityMonitor(scope: Construct, props: SecureModelEndpointOptions & InferenceMonitoringOptions,
  parts: ModelParts, capturePrefix: string, topic: sns.ITopic, monitoringKey: kms.IKey): ModelDataQualityMonitor | undefined {
  if (!props.dataQualityMonitoring) return undefined;
  const monitor = new ModelDataQualityMonitor(scope, 'DataQualityMonitor', {
    ...props.dataQualityMonitoring,
    endpointName: parts.endpointName,
    captureBucket: parts.dataCaptureBucket,
    captureEncryptionKey: props.dataCaptureEncryptionKey ?? (props.dataCaptureBucket ? props.dataCaptureBucket.encryptionKey : parts.encryptionKey),
    capturePrefix: capturePrefix.endsWith('/') ? capturePrefix : `${capturePrefix}/`,
    volumeEncryptionKey: parts.encryptionKey,
    vpc: props.vpc,
    vpcSubnets: props.vpcSubnets,
    s3PrefixListId: props.s3PrefixListId,
    alarmTopic: topic,
    // A created topic is encrypted with the created monitoring key; a key or topic you pass is yours to open to EventBridge.
    alarmTopicEncryptionKey: props.alarmTopic || props.monitoringEncryptionKey ? undefined : monitoringKey,
  });
  // The schedule names the endpoint, which must exist first.
  monitor.jobDefinition.node.addDependency(parts.endpoint);
  monitor.schedule.node.addDependency(parts.endpoint);
  return monitor;
}
