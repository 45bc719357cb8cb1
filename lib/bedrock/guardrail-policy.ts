// Limits and allowed values: CloudFormation resource reference AWS::Bedrock::Guardrail
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrail.html)
// and the CreateGuardrail API reference
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html).

/** How strongly a content filter blocks (Bedrock Guardrails filter strength). */
export enum GuardrailFilterStrength {
  /** No filtering. */
  NONE = 'NONE',
  /** Blocks content classified as harmful with HIGH confidence. */
  LOW = 'LOW',
  /** Blocks content classified with HIGH or MEDIUM confidence. */
  MEDIUM = 'MEDIUM',
  /** Blocks content classified with HIGH, MEDIUM or LOW confidence. */
  HIGH = 'HIGH',
}

/** What a sensitive-information filter does with what it detects. */
export enum SensitiveInformationAction {
  /** Block the prompt or response. */
  BLOCK = 'BLOCK',
  /** Mask the detected value (`{EMAIL}`). */
  ANONYMIZE = 'ANONYMIZE',
}

/** A PII entity type Bedrock Guardrails detects (CloudFormation `PiiEntityConfig.Type`). */
export enum PiiEntityType {
  ADDRESS = 'ADDRESS',
  AGE = 'AGE',
  AWS_ACCESS_KEY = 'AWS_ACCESS_KEY',
  AWS_SECRET_KEY = 'AWS_SECRET_KEY',
  CA_HEALTH_NUMBER = 'CA_HEALTH_NUMBER',
  CA_SOCIAL_INSURANCE_NUMBER = 'CA_SOCIAL_INSURANCE_NUMBER',
  CREDIT_DEBIT_CARD_CVV = 'CREDIT_DEBIT_CARD_CVV',
  CREDIT_DEBIT_CARD_EXPIRY = 'CREDIT_DEBIT_CARD_EXPIRY',
  CREDIT_DEBIT_CARD_NUMBER = 'CREDIT_DEBIT_CARD_NUMBER',
  DRIVER_ID = 'DRIVER_ID',
  EMAIL = 'EMAIL',
  INTERNATIONAL_BANK_ACCOUNT_NUMBER = 'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  IP_ADDRESS = 'IP_ADDRESS',
  LICENSE_PLATE = 'LICENSE_PLATE',
  MAC_ADDRESS = 'MAC_ADDRESS',
  NAME = 'NAME',
  PASSWORD = 'PASSWORD',
  PHONE = 'PHONE',
  PIN = 'PIN',
  SWIFT_CODE = 'SWIFT_CODE',
  UK_NATIONAL_HEALTH_SERVICE_NUMBER = 'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
  UK_NATIONAL_INSURANCE_NUMBER = 'UK_NATIONAL_INSURANCE_NUMBER',
  UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER = 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  URL = 'URL',
  USERNAME = 'USERNAME',
  US_BANK_ACCOUNT_NUMBER = 'US_BANK_ACCOUNT_NUMBER',
  US_BANK_ROUTING_NUMBER = 'US_BANK_ROUTING_NUMBER',
  US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER = 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  US_PASSPORT_NUMBER = 'US_PASSPORT_NUMBER',
  US_SOCIAL_SECURITY_NUMBER = 'US_SOCIAL_SECURITY_NUMBER',
  VEHICLE_IDENTIFICATION_NUMBER = 'VEHICLE_IDENTIFICATION_NUMBER',
}

/** One PII entity filter. */
export interface PiiEntityFilter {
  /** The entity type. */
  readonly type: PiiEntityType;
  /** What to do when it is found in a prompt or a response. */
  readonly action: SensitiveInformationAction;
}

/** A topic the guardrail denies. */
export interface DeniedTopic {
  /** Name, 1–100 characters of letters, digits, spaces and `-_!?.`. */
  readonly name: string;
  /** What the topic is, 1–200 characters. */
  readonly definition: string;
  /**
   * Up to five example prompts of the topic, each 1–100 characters.
   *
   * @default - no examples
   */
  readonly examples?: string[];
}

/** A custom regular expression for sensitive information. */
export interface SensitiveInformationRegex {
  /** Name, 1–100 characters. */
  readonly name: string;
  /** The pattern, 1–500 characters. */
  readonly pattern: string;
  /** What to do with a match. */
  readonly action: SensitiveInformationAction;
  /**
   * Description, 1–1000 characters.
   *
   * @default - none
   */
  readonly description?: string;
}

/** Contextual grounding checks (for answers that must rest on a given source). */
export interface ContextualGrounding {
  /**
   * Responses whose grounding score is below this are blocked: 0 to 0.99.
   *
   * @default - no grounding check
   */
  readonly groundingThreshold?: number;
  /**
   * Responses whose relevance score is below this are blocked: 0 to 0.99.
   *
   * @default - no relevance check
   */
  readonly relevanceThreshold?: number;
}
