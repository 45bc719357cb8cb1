/**
 * The apps the install-matrix test (consumer.test.ts) writes into throwaway projects: what a
 * team would write, against the published package.
 */

/**
 * cdk-nag 2 (Aspect form): the AiSec pack finds a plain ECR repository; suppressions work both
 * ways; the opt-in rule runs only in the stack whose pack turns it on.
 */
export const V2_APP = `
import * as fs from 'fs';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { AiSecurityChecks, AiSecurityChecksV2, SecureTrainingBucket } from 'cdk-secure-ai';

const app = new App();
const stack = new Stack(app, 'Consumer');
new SecureTrainingBucket(stack, 'Data');
new s3.Bucket(stack, 'PlainBucket', { enforceSSL: true });
const repository = new ecr.CfnRepository(stack, 'PlainRepository', {});
NagSuppressions.addResourceSuppressions(repository, [{ id: 'AiSec-ECRLifecyclePolicy', reason: 'images are pruned by the registry team nightly' }]);
Aspects.of(stack).add(new AiSecurityChecksV2());
Aspects.of(app).add(new AwsSolutionsChecks());
// The opt-in rule: the same endpoint with data capture and no monitoring schedule, pack defaults and requireModelMonitoring.
const capturing = (id: string) => {
  const s = new Stack(app, id);
  const config = new sagemaker.CfnEndpointConfig(s, 'Config', {
    productionVariants: [{ variantName: 'main', modelName: 'model', instanceType: 'ml.m5.large', initialInstanceCount: 2 }],
    dataCaptureConfig: { captureOptions: [{ captureMode: 'Input' }], destinationS3Uri: 's3://capture/endpoint', initialSamplingPercentage: 100 },
  });
  new sagemaker.CfnEndpoint(s, 'Endpoint', { endpointConfigName: config.attrEndpointConfigName });
  return s;
};
Aspects.of(capturing('MonitoringOff')).add(new AiSecurityChecksV2());
Aspects.of(capturing('MonitoringOn')).add(new AiSecurityChecksV2({ requireModelMonitoring: true }));
let wrongForm = '';
try { new AiSecurityChecks(app); } catch (e) { wrongForm = (e as Error).message; }
const assembly = app.synth();
const messagesOf = (name: string) => assembly.getStackByName(name).messages.map((m) => ({ level: m.level, path: m.id, text: String(m.entry.data) }));
const messages = messagesOf('Consumer');
fs.writeFileSync('result.json', JSON.stringify({ wrongForm, messages, monitoringOff: messagesOf('MonitoringOff'), monitoringOn: messagesOf('MonitoringOn') }));
`;

/**
 * cdk-nag 3 (validation plugin form): the AiSec pack reports a plain ECR repository in the
 * validation report; with \`guard\`, the shipped ControlTowerGuardValidator reports a plain bucket.
 */
export const v3App = (guard: boolean) => `
import * as fs from 'fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AiSecurityChecks, AiSecurityChecksV2, ControlTowerGuardValidator, LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from 'cdk-secure-ai';

const app = new App({ context: { '@aws-cdk/core:validationReportJson': true, '@aws-cdk/core:failSynthOnValidationErrors': false } });
const stack = new Stack(app, 'Consumer');
const data = new SecureTrainingBucket(stack, 'Data');
new LeastPrivilegeSageMakerRole(stack, 'Training', {
  workloads: [SageMakerWorkload.TRAINING],
  inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],
  jobNamePrefix: 'consumer-',
});
new ecr.CfnRepository(stack, 'PlainRepository', {});
new s3.Bucket(stack, 'PlainBucket', { enforceSSL: true });
Validations.of(app).addPlugins(new AiSecurityChecks(app), new AwsSolutionsChecks(app));
${guard ? 'Validations.of(app).addPlugins(new ControlTowerGuardValidator());' : 'void ControlTowerGuardValidator;'}
let wrongForm = '';
try { new AiSecurityChecksV2(); } catch (e) { wrongForm = (e as Error).message; }
let synthError = '';
try { app.synth(); } catch (e) { synthError = (e as Error).message; }
fs.writeFileSync('result.json', JSON.stringify({ wrongForm, synthError }));
`;

/** No cdk-nag installed: the constructs load and synthesize; the pack says what to install. */
export const NO_NAG_APP = `
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { AiSecurityChecks, LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from 'cdk-secure-ai';

const app = new App();
const stack = new Stack(app, 'Consumer');
const data = new SecureTrainingBucket(stack, 'Data');
new LeastPrivilegeSageMakerRole(stack, 'Training', {
  workloads: [SageMakerWorkload.TRAINING],
  inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],
  outputs: [{ bucket: data.bucket, prefixes: ['models/'] }],
  jobNamePrefix: 'consumer-',
});
let missing = '';
try { new AiSecurityChecks(app); } catch (e) { missing = (e as Error).message; }
const template = app.synth().getStackByName('Consumer').template;
fs.writeFileSync('result.json', JSON.stringify({ missing, types: Object.values<any>(template.Resources).map((r) => r.Type) }));
`;
