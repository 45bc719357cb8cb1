import { IDENTITY_POLICY_TYPES, coversAction, everyResource, identityStatements } from './policy';
import { AiSecRule, Level, NA, defineRule, findings } from '../../rule';

const INVOKE = ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync', 'sagemaker:InvokeEndpointWithResponseStream'];

/** Policies allow invoking named SageMaker endpoints, not every endpoint. Findings: `Action::<action>`. */
export const IAMSageMakerInvokeEndpointScoped: AiSecRule = defineRule({
  name: 'IAMSageMakerInvokeEndpointScoped',
  level: Level.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'The policy allows invoking every SageMaker endpoint (sagemaker:InvokeEndpoint on *, or on endpoint/*).',
  rationale: 'An identity that may invoke every endpoint reaches models it was never meant to query (other teams\' models, models trained on restricted data), and bypasses the API layer (authorizer, WAF, throttling) in front of the endpoint meant for it.',
  guide: 'Implement Least Privilege Access; Secure AI Model Endpoints ("Implement authentication and authorization")',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag AwsSolutions-IAM5, wildcard resources)'],
  judge: (s) => {
    const statements = identityStatements(s);
    if (statements === undefined) return NA;
    const found: Record<string, string> = {};
    for (const action of INVOKE) {
      const broad = statements.filter((st) => st.allow && coversAction(st, action) && everyResource(st, 'endpoint'));
      if (broad.length > 0) found[`Action::${action}`] = `${action} is allowed on ${broad.flatMap((st) => st.resources ?? ['NotResource']).join(', ')}`;
    }
    return findings(found);
  },
});
