import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { literal } from '../values';

const IMMUTABLE = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/** ECR repositories make image tags immutable. */
export const ECRTagImmutability: AiSecRule = defineRule({
  name: 'ECRTagImmutability',
  level: Level.ERROR,
  resourceTypes: ['AWS::ECR::Repository'],
  info: 'The ECR repository does not make image tags immutable (ImageTagMutability is not IMMUTABLE).',
  rationale: 'With mutable tags, whoever can push can replace the image an endpoint or training job pulls by tag, without changing any infrastructure: a supply-chain attack path.',
  guide: 'Supply Chain Security; Issue 3 ("Pin specific versions to avoid unexpected changes")',
  controls: ['Security Hub ECR.2 (private repositories should have tag immutability configured)', 'Control Tower CT.ECR.PR.3 (ecr_private_tag_immutability_enabled_check)'],
  judge: (s) => {
    const mutability = literal(s, s.r.props.ImageTagMutability, 'ImageTagMutability');
    return IMMUTABLE.includes(String(mutability)) ? OK : fail(`ImageTagMutability is ${mutability ?? 'absent (MUTABLE)'}`);
  },
});
