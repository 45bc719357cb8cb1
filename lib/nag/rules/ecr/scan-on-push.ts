import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isTrue, leaf, resolve } from '../resolve';

/** ECR repositories scan images on push. */
export const ECRScanOnPush: AiSecRule = {
  name: 'ECRScanOnPush',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnRepository.CFN_RESOURCE_TYPE_NAME],
  info: 'The ECR repository does not scan images on push (ImageScanningConfiguration.ScanOnPush is not true).',
  rationale: 'Model-serving and training images carry large ML frameworks with frequent CVEs; scanning on push finds them before the image is deployed. (A registry-level enhanced scanning configuration also covers the repository: acknowledge the finding when it applies.)',
  guide: 'Secure Your Container Images ("Scan your images for known vulnerabilities ... Integrate scanning into your CI/CD pipeline")',
  controls: ['Security Hub ECR.1 (private repositories should have image scanning configured)', 'Control Tower CT.ECR.PR.2 (ecr_private_image_scanning_enabled_check)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const scanning = resolve(node, node.imageScanningConfiguration);
    return isTrue(leaf(scanning?.scanOnPush, 'ImageScanningConfiguration.ScanOnPush'))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
