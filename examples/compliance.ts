import { App, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { AiSecurityChecks } from '../lib';
import { ControlTowerGuardValidator } from './guard';

/**
 * The validation plugins every stack of this project must pass. CloudFormation schema
 * validation runs on its own (aws-cdk-lib >= 2.262) and `@aws-cdk/core:validateAgainstDefaultRules`
 * in cdk.json turns its findings into errors.
 *
 * `CDK_SECURE_AI_CHECKS=off` registers none of them (the benchmark's "without checks" run;
 * add `CDK_VALIDATION=false` to skip schema validation too). Never set it in a pipeline.
 *
 * @returns the plugins registered, for the synthesis summary (examples/summary.ts)
 */
export function addComplianceChecks(app: App): IPolicyValidationPlugin[] {
  if (process.env.CDK_SECURE_AI_CHECKS === 'off') return [];
  const plugins: IPolicyValidationPlugin[] = [
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new ServerlessChecks(app),
    new AiSecurityChecks(app),
    new ControlTowerGuardValidator(),
  ];
  Validations.of(app).addPlugins(...plugins);
  return plugins;
}

/** Names under which the plugins above, and CDK's own checks, appear in the validation report. */
export const COMPLIANCE_PLUGIN_NAMES = [
  'AwsSolutions',
  'HIPAA.Security',
  'NIST.800.53.R5',
  'PCI.DSS.321',
  'Serverless',
  'AiSec',
  'cdk-validator-cfnguard',
  'CloudFormation Validate',
];
