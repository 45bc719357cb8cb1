import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ModelParts } from './model-builder';
import { InferenceMonitoringOptions, SecureModelEndpointOptions } from './props';
import { ModelDataQualityMonitor } from '../monitoring/model-data-quality-monitor';
import { ModelMonitorEndpointProps } from '../monitoring/model-monitor-props';
import { ModelQualityMonitor } from '../monitoring/model-quality-monitor';
import { invalidProp, isUnresolved } from '../private/errors';

type EndpointProps = SecureModelEndpointOptions & InferenceMonitoringOptions;

/** What a Model Monitor schedule of an endpoint of the library watches: its capture, keys, VPC and alarm topic. */
function monitoredEndpoint(props: EndpointProps, parts: ModelParts, capturePrefix: string, topic: sns.ITopic,
  monitoringKey: kms.IKey): ModelMonitorEndpointProps {
  return {
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
  };
}

/** The schedule names the endpoint, which must exist first. */
function afterEndpoint<T extends ModelDataQualityMonitor | ModelQualityMonitor>(monitor: T, parts: ModelParts): T {
  monitor.jobDefinition.node.addDependency(parts.endpoint);
  monitor.schedule.node.addDependency(parts.endpoint);
  return monitor;
}

/**
 * The Model Monitor schedules of an endpoint: `dataQualityMonitoring` (a ModelDataQualityMonitor
 * over its captured data) and `modelQualityMonitoring` (a ModelQualityMonitor over its captured
 * predictions and the ground truth), in its VPC subnets, alerting its alarm topic; each undefined
 * when its prop is not set.
 */
export function addModelMonitors(scope: Construct, props: EndpointProps, parts: ModelParts, capturePrefix: string, topic: sns.ITopic,
  monitoringKey: kms.IKey): { dataQuality?: ModelDataQualityMonitor; modelQuality?: ModelQualityMonitor } {
  const endpoint = monitoredEndpoint(props, parts, capturePrefix, topic, monitoringKey);
  const dataQuality = props.dataQualityMonitoring
    && afterEndpoint(new ModelDataQualityMonitor(scope, 'DataQualityMonitor', { ...props.dataQualityMonitoring, ...endpoint }), parts);
  if (!props.modelQualityMonitoring) return { dataQuality };
  const reports = props.modelQualityMonitoring.reportsPrefix ?? 'model-quality-reports/';
  const dataReports = props.dataQualityMonitoring?.reportsPrefix ?? 'monitoring-reports/';
  if (dataQuality && !isUnresolved(reports) && !isUnresolved(dataReports) && (reports.startsWith(dataReports) || dataReports.startsWith(reports))) {
    invalidProp(scope, 'modelQualityMonitoring.reportsPrefix', reports,
      `Keep the model-quality reports apart from the data-quality reports ("${dataReports}"): each monitor's role writes its own prefix only.`);
  }
  const modelQuality = afterEndpoint(new ModelQualityMonitor(scope, 'ModelQualityMonitor', { ...props.modelQualityMonitoring, ...endpoint }), parts);
  return { dataQuality, modelQuality };
}
