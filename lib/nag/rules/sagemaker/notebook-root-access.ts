import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { literal } from '../values';

/** SageMaker notebook instances disable root access. */
export const SageMakerNotebookRootAccess: AiSecRule = defineRule({
  name: 'SageMakerNotebookRootAccess',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  info: 'The SageMaker notebook instance does not set RootAccess to Disabled (root access is enabled by default).',
  rationale: 'Root on a notebook lets any user change its software, disable its controls and read every credential on it.',
  guide: 'Least Privilege Access ("Grant only necessary permissions. This principle applies to users, services, and AI components")',
  controls: ['Security Hub SageMaker.3 (users should not have root access to notebook instances)', 'Control Tower CT.SAGEMAKER.PR.3 (sagemaker_notebook_instance_root_access_check)'],
  judge: (s) => {
    const access = literal(s, s.r.props.RootAccess, 'RootAccess');
    return access === 'Disabled' ? OK : fail(`RootAccess is ${access ?? 'absent (Enabled)'}`);
  },
});
