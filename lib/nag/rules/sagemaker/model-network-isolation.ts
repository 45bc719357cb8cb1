import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isTrue, literal } from '../values';
import { servedOnlyServerless } from './variants';

/** SageMaker models run with network isolation (EnableNetworkIsolation: true). */
export const SageMakerModelNetworkIsolation: AiSecRule = defineRule({
  name: 'SageMakerModelNetworkIsolation',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::Model'],
  info: 'The SageMaker model does not enable network isolation (EnableNetworkIsolation is not true).',
  rationale: 'A model container without network isolation can make outbound calls: a compromised or malicious model image can exfiltrate inference data or model weights.',
  guide: 'Network Segmentation ("Isolate your AI environments"); Issue 5, model theft and data exfiltration',
  controls: ['Security Hub SageMaker.5 (models should have network isolation enabled)'],
  judge: (s) => {
    if (servedOnlyServerless(s)) return NA;
    const isolation = literal(s, s.r.props.EnableNetworkIsolation, 'EnableNetworkIsolation');
    return isTrue(isolation) ? OK : fail(`EnableNetworkIsolation is ${isolation ?? 'absent'}`);
  },
});
