import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { coversAction, statementsOf } from '../iam/policy';
import { flatten, targetOf } from '../values';

/** A log group encrypted with a key of the app whose key policy lets CloudWatch Logs use it. */
export const PreflightLogGroupKeyAllowsLogs: AiSecRule = defineRule({
  name: 'PreflightLogGroupKeyAllowsLogs',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::Logs::LogGroup'],
  info: 'The log group is encrypted with a KMS key of the app whose key policy does not allow the CloudWatch Logs service principal to use it.',
  rationale: 'CloudWatch Logs checks the key when the log group is created: unless the key policy allows logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*, creating the encrypted log group fails.',
  guide: 'Encrypt Data at Rest and in Transit (encryption that deploys)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'Amazon CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management Service" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html), step 2: set permissions on the KMS key',
  judge: (s) => {
    const key = targetOf(s.index, s.r.stack, s.r.props.KmsKeyId);
    if (key?.type !== 'AWS::KMS::Key') return NA;
    const statements = statementsOf({ r: key, index: s.index }, key.props.KeyPolicy, 'KeyPolicy');
    const allowed = statements.some((st) => st.allow && /logs\.[^,}]*amazonaws\.com/.test(flatten(s.index, key.stack, st.principal))
      && coversAction(st, 'kms:GenerateDataKey') && coversAction(st, 'kms:Encrypt'));
    return allowed ? OK : fail(`the key policy of ${key.logicalId} has no Allow for the logs service principal with kms:Encrypt and kms:GenerateDataKey`);
  },
});
