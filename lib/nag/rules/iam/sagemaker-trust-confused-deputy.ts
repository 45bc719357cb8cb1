import { requiredKeys } from './policy';
import { sageMakerTrustStatements } from './trust';
import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';

/** Trust policies that let SageMaker assume a role carry aws:SourceAccount or aws:SourceArn. */
export const IAMSageMakerTrustConfusedDeputy: AiSecRule = defineRule({
  name: 'IAMSageMakerTrustConfusedDeputy',
  level: Level.WARN,
  resourceTypes: ['AWS::IAM::Role'],
  info: 'The role trusts sagemaker.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
  rationale: 'Without a source condition, SageMaker acting for another account could be made to assume the role (confused deputy). A warning: check that every SageMaker feature the role serves sends the source keys before adding them.',
  guide: 'Implement Strong Identity and Access Management; Least Privilege Access ("applies to users, services, and AI components")',
  controls: ['no Security Hub or Control Tower control (AWS guidance: cross-service confused deputy prevention)'],
  judge: (s) => {
    const statements = sageMakerTrustStatements(s);
    if (statements.length === 0) return NA;
    return statements.every((st) => requiredKeys(st).some((key) => key === 'aws:sourceaccount' || key === 'aws:sourcearn'))
      ? OK : fail('a trust statement for sagemaker.amazonaws.com requires neither aws:SourceAccount nor aws:SourceArn');
  },
});
