import { Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { IConstruct } from 'constructs';
import {
  ContextualGrounding, DeniedTopic, GuardrailFilterStrength, PiiEntityFilter, PiiEntityType, SensitiveInformationAction, SensitiveInformationRegex,
} from './guardrail-policy';
import { invalidProp } from '../private/errors';
import { checkNumberProp } from '../private/numbers';

// Limits and allowed values: CloudFormation resource reference AWS::Bedrock::Guardrail
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrail.html)
// and the CreateGuardrail API reference
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html).

/** The harmful-content categories filtered on input and output. */
const CONTENT_CATEGORIES = ['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT'];

/**
 * Default sensitive-information filters: credentials and payment and identity numbers are
 * blocked; contact details are masked.
 */
export const DEFAULT_PII_FILTERS: PiiEntityFilter[] = [
  ...[
    PiiEntityType.AWS_ACCESS_KEY, PiiEntityType.AWS_SECRET_KEY, PiiEntityType.PASSWORD, PiiEntityType.PIN,
    PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, PiiEntityType.CREDIT_DEBIT_CARD_CVV, PiiEntityType.CREDIT_DEBIT_CARD_EXPIRY,
    PiiEntityType.US_SOCIAL_SECURITY_NUMBER, PiiEntityType.US_BANK_ACCOUNT_NUMBER, PiiEntityType.US_BANK_ROUTING_NUMBER,
    PiiEntityType.INTERNATIONAL_BANK_ACCOUNT_NUMBER, PiiEntityType.US_PASSPORT_NUMBER,
  ].map((type) => ({ type, action: SensitiveInformationAction.BLOCK })),
  ...[
    PiiEntityType.EMAIL, PiiEntityType.PHONE, PiiEntityType.NAME, PiiEntityType.ADDRESS,
    PiiEntityType.IP_ADDRESS, PiiEntityType.USERNAME,
  ].map((type) => ({ type, action: SensitiveInformationAction.ANONYMIZE })),
];

/** The guardrail settings GuardedBedrockAccess renders (validated). */
export interface GuardrailSettings {
  readonly name: string;
  readonly description?: string;
  readonly contentFilterStrength: GuardrailFilterStrength;
  readonly promptAttackStrength: GuardrailFilterStrength;
  readonly piiFilters: PiiEntityFilter[];
  readonly deniedTopics: DeniedTopic[];
  readonly deniedWords: string[];
  readonly regexes: SensitiveInformationRegex[];
  readonly contextualGrounding?: ContextualGrounding;
  readonly blockedInputMessage: string;
  readonly blockedOutputMessage: string;
}

function length(scope: IConstruct, prop: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length < min || value.length > max) invalidProp(scope, prop, value, `Give ${min} to ${max} characters (CloudFormation AWS::Bedrock::Guardrail).`);
}

function count(scope: IConstruct, prop: string, value: unknown[], max: number): void {
  if (value.length > max) invalidProp(scope, prop, `${value.length} entries`, `Give at most ${max} (CloudFormation AWS::Bedrock::Guardrail).`);
}

/** Checks every documented limit of the guardrail; throws naming the prop. */
export function validateGuardrail(scope: IConstruct, s: GuardrailSettings): void {
  length(scope, 'guardrailName', s.name, 1, 50);
  if (!Token.isUnresolved(s.name) && !/^[0-9a-zA-Z-_]+$/.test(s.name)) {
    invalidProp(scope, 'guardrailName', s.name, 'Use letters, digits, `-` and `_` only.');
  }
  length(scope, 'description', s.description, 1, 200);
  length(scope, 'blockedInputMessage', s.blockedInputMessage, 1, 500);
  length(scope, 'blockedOutputMessage', s.blockedOutputMessage, 1, 500);

  const types = new Set<string>();
  for (const f of s.piiFilters) {
    if (!Object.values(PiiEntityType).includes(f.type)) invalidProp(scope, 'piiFilters', f.type, `Use a PiiEntityType: ${Object.values(PiiEntityType).join(', ')}.`);
    if (!Object.values(SensitiveInformationAction).includes(f.action)) invalidProp(scope, 'piiFilters', f.action, 'Use SensitiveInformationAction.BLOCK or ANONYMIZE.');
    if (types.has(f.type)) invalidProp(scope, 'piiFilters', f.type, 'Each entity type may appear once.');
    types.add(f.type);
  }

  count(scope, 'deniedTopics', s.deniedTopics, 30);
  const topicNames = new Set<string>();
  for (const t of s.deniedTopics) {
    length(scope, 'deniedTopics.name', t.name, 1, 100);
    if (!Token.isUnresolved(t.name) && !/^[0-9a-zA-Z-_ !?.]+$/.test(t.name)) {
      invalidProp(scope, 'deniedTopics.name', t.name, 'Use letters, digits, spaces and `-_!?.` only.');
    }
    if (topicNames.has(t.name)) invalidProp(scope, 'deniedTopics.name', t.name, 'Topic names must be unique.');
    topicNames.add(t.name);
    length(scope, 'deniedTopics.definition', t.definition, 1, 200);
    count(scope, 'deniedTopics.examples', t.examples ?? [], 5);
    for (const e of t.examples ?? []) length(scope, 'deniedTopics.examples', e, 1, 100);
  }

  count(scope, 'deniedWords', s.deniedWords, 10000);
  for (const w of s.deniedWords) length(scope, 'deniedWords', w, 1, 100);

  count(scope, 'sensitiveInformationRegexes', s.regexes, 10);
  for (const r of s.regexes) {
    length(scope, 'sensitiveInformationRegexes.name', r.name, 1, 100);
    length(scope, 'sensitiveInformationRegexes.pattern', r.pattern, 1, 500);
    length(scope, 'sensitiveInformationRegexes.description', r.description, 1, 1000);
    if (!Object.values(SensitiveInformationAction).includes(r.action)) {
      invalidProp(scope, 'sensitiveInformationRegexes.action', r.action, 'Use SensitiveInformationAction.BLOCK or ANONYMIZE.');
    }
  }

  for (const [prop, value] of [['contentFilterStrength', s.contentFilterStrength], ['promptAttackStrength', s.promptAttackStrength]]) {
    if (!Object.values(GuardrailFilterStrength).includes(value as GuardrailFilterStrength)) {
      invalidProp(scope, prop, value, 'Use a GuardrailFilterStrength: NONE, LOW, MEDIUM or HIGH.');
    }
  }

  const grounding = s.contextualGrounding;
  if (grounding) {
    if (grounding.groundingThreshold === undefined && grounding.relevanceThreshold === undefined) {
      invalidProp(scope, 'contextualGrounding', grounding, 'Give `groundingThreshold`, `relevanceThreshold` or both, or leave `contextualGrounding` out.');
    }
    for (const [prop, value] of [['groundingThreshold', grounding.groundingThreshold], ['relevanceThreshold', grounding.relevanceThreshold]] as const) {
      // CreateGuardrail API reference, GuardrailContextualGroundingFilterConfig: threshold 0 to 0.99.
      checkNumberProp(scope, `contextualGrounding.${prop}`, value, { min: 0, max: 0.99, fix: 'Give a threshold from 0 to 0.99.' });
    }
  }
}

/** The AWS::Bedrock::Guardrail properties for validated settings. */
export function renderGuardrail(s: GuardrailSettings, kmsKeyArn: string): bedrock.CfnGuardrailProps {
  const grounding = s.contextualGrounding;
  const groundingFilters = grounding ? [
    ...(grounding.groundingThreshold !== undefined ? [{ type: 'GROUNDING', threshold: grounding.groundingThreshold }] : []),
    ...(grounding.relevanceThreshold !== undefined ? [{ type: 'RELEVANCE', threshold: grounding.relevanceThreshold }] : []),
  ] : [];
  return {
    name: s.name,
    description: s.description,
    blockedInputMessaging: s.blockedInputMessage,
    blockedOutputsMessaging: s.blockedOutputMessage,
    kmsKeyArn,
    contentPolicyConfig: {
      filtersConfig: [
        ...CONTENT_CATEGORIES.map((type) => ({ type, inputStrength: s.contentFilterStrength, outputStrength: s.contentFilterStrength })),
        // The prompt-attack filter applies to input only: its output strength must be NONE
        // (Bedrock User Guide, "Detect prompt attacks with Amazon Bedrock Guardrails").
        { type: 'PROMPT_ATTACK', inputStrength: s.promptAttackStrength, outputStrength: GuardrailFilterStrength.NONE },
      ],
    },
    wordPolicyConfig: {
      managedWordListsConfig: [{ type: 'PROFANITY' }],
      wordsConfig: s.deniedWords.length > 0 ? s.deniedWords.map((text) => ({ text })) : undefined,
    },
    sensitiveInformationPolicyConfig: (s.piiFilters.length > 0 || s.regexes.length > 0) ? {
      piiEntitiesConfig: s.piiFilters.length > 0 ? s.piiFilters.map((f) => ({ type: f.type, action: f.action })) : undefined,
      regexesConfig: s.regexes.length > 0
        ? s.regexes.map((r) => ({ name: r.name, pattern: r.pattern, action: r.action, description: r.description }))
        : undefined,
    } : undefined,
    topicPolicyConfig: s.deniedTopics.length > 0 ? {
      topicsConfig: s.deniedTopics.map((t) => ({ name: t.name, definition: t.definition, examples: t.examples, type: 'DENY' })),
    } : undefined,
    contextualGroundingPolicyConfig: groundingFilters.length > 0 ? { filtersConfig: groundingFilters } : undefined,
  };
}
