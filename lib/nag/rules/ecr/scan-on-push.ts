import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isTrue, literal } from '../values';

/** ECR repositories scan images on push. */
export const ECRScanOnPush: AiSecRule = defineRule({
  name: 'ECRScanOnPush',
  level: Level.ERROR,
  resourceTypes: ['AWS::ECR::Repository'],
  info: 'The ECR repository does not scan images on push (ImageScanningConfiguration.ScanOnPush is not true).',
  rationale: 'Model-serving and training images carry large ML frameworks with frequent CVEs; scanning on push finds them before the image is deployed. (A registry-level enhanced scanning configuration also covers the repository: acknowledge the finding when it applies.)',
  guide: 'Secure Your Container Images ("Scan your images for known vulnerabilities ... Integrate scanning into your CI/CD pipeline")',
  controls: ['Security Hub ECR.1 (private repositories should have image scanning configured)', 'Control Tower CT.ECR.PR.2 (ecr_private_image_scanning_enabled_check)'],
  judge: (s) => {
    const scan = literal(s, s.r.props.ImageScanningConfiguration?.ScanOnPush, 'ImageScanningConfiguration.ScanOnPush');
    return isTrue(scan) ? OK : fail(`ImageScanningConfiguration.ScanOnPush is ${scan ?? 'absent'}`);
  },
});
