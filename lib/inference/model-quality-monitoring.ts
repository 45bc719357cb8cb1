import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ModelParts } from './model-builder';
import { InferenceMonitoringOptions, SecureModelEndpointOptions } from './props';
import { ModelDataQualityMonitor } from '../monitoring/model-data-quality-monitor';
import { ModelQualityMonitor } from '../monitoring/model-quality-monitor';
import { invalidProp, isUnresolved } from '../private/errors';

/**
 * The `modelQualityMonitoring` of an endpoint: a ModelQualityMonitor over its captured predictions
 * and the ground truth in its capture bucket (by default), in its VPC subnets, alerting its alarm
 * topic. Undefined when the prop is not set.
 */
export function addModelQualityMonitor(scope: Construct, props: SecureModelEndpointOptions & InferenceMonitoringOptions,
  parts: ModelParts, capturePrefix: string, topic: sns.ITopic, monitoringKey: kms.IKey,
  dataQuality: ModelDataQualityMonitor | undefined): ModelQualityMonitor | undefined {
  if (!props.modelQualityMonitoring) return undefined;
  const reports = props.modelQualityMonitoring.reportsPrefix ?? 'model-quality-reports/';
  const dataReports = props.dataQualityMonitoring?.reportsPrefix ?? 'monitoring-reports/';
  if (dataQuality && !isUnresolved(reports) && !isUnresolved(dataReports) && (reports.startsWith(dataReports) || dataReports.startsWith(reports))) {
    invalidProp(scope, 'modelQualityMonitoring.reportsPrefix', reports,
      `Keep the model-quality reports apart from the data-quality reports ("${dataReports}"): each monitor's role writes its own prefix only.`);
  }
  const monitor = new ModelQualityMonitor(scope, 'ModelQualityMonitor', {
    ...props.modelQualityMonitoring,
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
