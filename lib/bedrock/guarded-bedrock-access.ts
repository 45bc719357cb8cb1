import * as crypto from 'crypto';
import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BedrockModel } from './bedrock-model';
import { ContextualGrounding, DeniedTopic, GuardrailFilterStrength, PiiEntityFilter, SensitiveInformationRegex } from './guardrail-policy';
import { DEFAULT_PII_FILTERS, GuardrailSettings, renderGuardrail, validateGuardrail } from './guardrail-render';
import { alarmFactory } from '../private/alarms';
import { invalidProp } from '../private/errors';
import { createKey } from '../private/kms';
import { checkNumberProp } from '../private/numbers';
import { nonEmptyList } from '../private/validate';

/** The IAM actions of the four inference APIs: Converse needs `bedrock:InvokeModel`, ConverseStream `bedrock:InvokeModelWithResponseStream` (Bedrock API reference). */
const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** Properties of GuardedBedrockAccess. */
export interface GuardedBedrockAccessProps {
  /**
   * The models callers may invoke: foundation models of the stack's Region and cross-Region
   * inference profiles. Nothing else is granted (no `foundation-model/*`).
   */
  readonly models: BedrockModel[];

  /**
   * Guardrail name: 1–50 letters, digits, `-` or `_`.
   *
   * @default - a name derived from the construct path
   */
  readonly guardrailName?: string;

  /**
   * Guardrail description, 1–200 characters.
   *
   * @default - a description naming the construct path
   */
  readonly description?: string;

  /**
   * Strength of the harmful-content filters (sexual, violence, hate, insults, misconduct) on
   * prompts and responses.
   *
   * @default GuardrailFilterStrength.HIGH
   */
  readonly contentFilterStrength?: GuardrailFilterStrength;

  /**
   * Strength of the prompt-attack filter (jailbreaks, prompt injection) on prompts. It applies to
   * input only. NONE switches it off, and the AiSec rule pack reports the guardrail.
   *
   * @default GuardrailFilterStrength.HIGH
   */
  readonly promptAttackStrength?: GuardrailFilterStrength;

  /**
   * Sensitive-information (PII) filters. Replaces the default list.
   *
   * @default - AWS access and secret keys, passwords, PINs, card numbers, CVVs and expiry dates,
   * US SSNs, bank account, routing and IBAN numbers and passport numbers are blocked; e-mail
   * addresses, phone numbers, names, addresses, IP addresses and user names are masked
   */
  readonly piiFilters?: PiiEntityFilter[];

  /**
   * Topics the guardrail denies (at most 30).
   *
   * @default - none
   */
  readonly deniedTopics?: DeniedTopic[];

  /**
   * Words and phrases the guardrail blocks (at most 10,000, each 1–100 characters), in addition
   * to the managed profanity list, which is always on.
   *
   * @default - the managed profanity list only
   */
  readonly deniedWords?: string[];

  /**
   * Custom regular expressions for sensitive information (at most 10).
   *
   * @default - none
   */
  readonly sensitiveInformationRegexes?: SensitiveInformationRegex[];

  /**
   * Contextual grounding and relevance checks of responses.
   *
   * @default - no contextual grounding check
   */
  readonly contextualGrounding?: ContextualGrounding;

  /**
   * The message returned when the guardrail blocks a prompt (1–500 characters).
   *
   * @default 'This request was blocked by the content policy.'
   */
  readonly blockedInputMessage?: string;

  /**
   * The message returned when the guardrail blocks a response (1–500 characters).
   *
   * @default 'The response was blocked by the content policy.'
   */
  readonly blockedOutputMessage?: string;

  /**
   * Customer-managed KMS key that encrypts the guardrail. A key you pass is used as is: enable
   * rotation on it yourself (KMS.4).
   *
   * @default - a new customer-managed key with annual rotation, a 30-day deletion window, retained
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * VPC endpoint IDs (`vpce-...`) of the Bedrock runtime interface endpoints: when given, the
   * grants allow invocation only through them (`aws:SourceVpce`).
   *
   * @default - callers may reach Bedrock through any network path
   */
  readonly requiredVpcEndpointIds?: string[];

  /**
   * Topic the alarms notify (throttles, client and server errors per model, guardrail
   * interventions spike), e.g. `AiSecurityMonitoring.alertTopic`.
   *
   * @default - no alarms
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * Guardrail interventions in five minutes that raise the interventions alarm (a prompt-attack
   * campaign or a leaking application looks like that).
   *
   * @default 20
   */
  readonly interventionAlarmThreshold?: number;

  /**
   * Apply this guardrail version to every inference call in the account and Region
   * (`AWS::Bedrock::EnforcedGuardrailConfiguration`). ACCOUNT-WIDE: one per account and Region;
   * every workload of the account gets this guardrail's blocking, whatever it passes.
   *
   * @default false
   */
  readonly enforceInAccount?: boolean;

  /**
   * What happens to a created key when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Foundation models behind a Bedrock guardrail that callers cannot skip.
 *
 * - an `AWS::Bedrock::Guardrail` with a prompt-attack filter on input, harmful-content filters,
 *   PII filters (credentials blocked, contact details masked), the managed profanity list,
 *   encrypted with a customer-managed key; and an immutable `AWS::Bedrock::GuardrailVersion`
 *   (a new version whenever the configuration changes);
 * - `grantInvoke`: only the named models, only with this guardrail version
 *   (`bedrock:GuardrailIdentifier`, and an explicit deny of any other), optionally only through
 *   the VPC endpoints;
 * - optional alarms on Bedrock's CloudWatch metrics and optional account-wide enforcement.
 *
 * @example
 * const access = new GuardedBedrockAccess(this, 'Assistant', {
 *   models: [BedrockModel.foundationModel('anthropic.claude-3-haiku-20240307-v1:0')],
 *   alertTopic: monitoring.alertTopic,
 * });
 * access.grantInvoke(applicationRole);
 */
export class GuardedBedrockAccess extends Construct {
  /** The guardrail. */
  public readonly guardrail: bedrock.CfnGuardrail;
  /** The immutable guardrail version callers must name. */
  public readonly guardrailVersion: bedrock.CfnGuardrailVersion;
  /** The key that encrypts the guardrail. */
  public readonly encryptionKey: kms.IKey;
  /** The guardrail ID callers pass as `guardrailIdentifier`. */
  public readonly guardrailId: string;
  /** The guardrail ARN. */
  public readonly guardrailArn: string;
  /** The version number callers pass as `guardrailVersion`. */
  public readonly guardrailVersionNumber: string;
  /** The value `bedrock:GuardrailIdentifier` takes for this version: `<guardrail ARN>:<version>`. */
  public readonly guardrailIdentifierCondition: string;
  /** The alarms created (empty without `alertTopic`). */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly models: BedrockModel[];
  private readonly requiredVpcEndpointIds?: string[];
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: GuardedBedrockAccessProps) {
    super(scope, id);
    if (!props.models || props.models.length === 0) {
      invalidProp(this, 'models', props.models, 'Name at least one model: BedrockModel.foundationModel(...) or BedrockModel.crossRegionInferenceProfile(...).');
    }
    props.models.forEach((m) => m._validate(this, 'models'));
    const ids = props.models.map((m) => m.invocationId);
    if (new Set(ids).size !== ids.length) invalidProp(this, 'models', ids, 'Name each model once.');
    nonEmptyList(this, 'requiredVpcEndpointIds', props.requiredVpcEndpointIds, 'Give the IDs (`vpce-...`) of the Bedrock runtime interface endpoints, or leave the prop out.');
    for (const vpce of props.requiredVpcEndpointIds ?? []) {
      if (!Token.isUnresolved(vpce) && !/^vpce-[0-9a-f]+$/.test(vpce)) invalidProp(this, 'requiredVpcEndpointIds', vpce, 'Give VPC endpoint IDs such as `vpce-0123456789abcdef0`.');
    }
    const threshold = props.interventionAlarmThreshold ?? 20;
    checkNumberProp(this, 'interventionAlarmThreshold', props.interventionAlarmThreshold, { integer: true, min: 1, fix: 'Give a whole number of interventions, at least 1.' });
    this.models = props.models;
    this.requiredVpcEndpointIds = props.requiredVpcEndpointIds;

    const settings: GuardrailSettings = {
      name: props.guardrailName ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' }).replace(/[^0-9a-zA-Z-_]/g, '-'),
      description: props.description ?? `Guardrail of ${this.node.path}`.slice(0, 200),
      contentFilterStrength: props.contentFilterStrength ?? GuardrailFilterStrength.HIGH,
      promptAttackStrength: props.promptAttackStrength ?? GuardrailFilterStrength.HIGH,
      piiFilters: props.piiFilters ?? DEFAULT_PII_FILTERS,
      deniedTopics: props.deniedTopics ?? [],
      deniedWords: props.deniedWords ?? [],
      regexes: props.sensitiveInformationRegexes ?? [],
      contextualGrounding: props.contextualGrounding,
      blockedInputMessage: props.blockedInputMessage ?? 'This request was blocked by the content policy.',
      blockedOutputMessage: props.blockedOutputMessage ?? 'The response was blocked by the content policy.',
    };
    validateGuardrail(this, settings);

    this.encryptionKey = props.encryptionKey ?? createKey(this, 'Key', {
      description: `Encrypts the Bedrock guardrail of ${this.node.path}`,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const guardrailProps = renderGuardrail(settings, this.encryptionKey.keyArn);
    this.guardrail = new bedrock.CfnGuardrail(this, 'Guardrail', guardrailProps);
    // A version is immutable: its description carries a digest of the configuration, so a
    // changed configuration replaces the version resource, which publishes a new version.
    const digest = crypto.createHash('sha256').update(JSON.stringify(Stack.of(this).resolve(guardrailProps))).digest('hex').slice(0, 16);
    this.guardrailVersion = new bedrock.CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      description: `Configuration ${digest}`,
    });
    this.guardrailId = this.guardrail.attrGuardrailId;
    this.guardrailArn = this.guardrail.attrGuardrailArn;
    this.guardrailVersionNumber = this.guardrailVersion.attrVersion;
    // The value the condition key receives: the guardrail ARN and the version, colon-separated
    // (Bedrock User Guide, "Enforce the use of specific guardrails in model inference requests").
    this.guardrailIdentifierCondition = `${this.guardrailArn}:${this.guardrailVersionNumber}`;

    if (props.enforceInAccount) {
      new bedrock.CfnEnforcedGuardrailConfiguration(this, 'AccountEnforcement', {
        guardrailIdentifier: this.guardrailArn,
        guardrailVersion: this.guardrailVersionNumber,
      });
    }
    if (props.alertTopic) this.createAlarms(props.alertTopic, threshold);
  }

  /**
   * Lets `grantee` invoke the named models with this guardrail version, and nothing else.
   *
   * A customer-managed policy attached to the role, user or group, with:
   * - `bedrock:InvokeModel` / `InvokeModelWithResponseStream` (which Converse and ConverseStream
   *   require) on the named foundation models and inference profiles, when
   *   `bedrock:GuardrailIdentifier` is this guardrail's ARN and version;
   * - for a cross-Region inference profile, the same on its foundation model in each destination
   *   Region, only through that profile (`bedrock:InferenceProfileArn`);
   * - an explicit deny of both actions on any model without this guardrail version, which holds
   *   whatever other policy the principal has (so grant one GuardedBedrockAccess per principal);
   * - `bedrock:ApplyGuardrail` on this guardrail, and `kms:Decrypt` of its key through Bedrock.
   *
   * @param grantee a role, user or group of this app
   */
  public grantInvoke(grantee: iam.IGrantable): iam.ManagedPolicy {
    const principal = grantee.grantPrincipal;
    if (!isIdentity(principal)) {
      invalidProp(this, 'grantee', String(principal), 'Grant to a role, user or group of this app: the grant is a customer-managed policy attached to it.');
    }
    const key = Names.uniqueId(principal);
    if (this.granted.has(key)) invalidProp(this, 'grantee', principal.node.path, 'Invocation is already granted to this principal.');
    this.granted.add(key);

    const stack = Stack.of(this);
    const guardrailCondition = { 'bedrock:GuardrailIdentifier': this.guardrailIdentifierCondition };
    const vpce = this.requiredVpcEndpointIds ? { 'aws:SourceVpce': this.requiredVpcEndpointIds } : {};
    const direct = [
      ...this.models.filter((m) => m.inferenceProfileId === undefined).flatMap((m) => m._foundationModelArns(stack)),
      ...this.models.flatMap((m) => m._profileArn(stack) ?? []),
    ];
    const statements = [
      new iam.PolicyStatement({
        sid: 'InvokeNamedModelsWithThisGuardrail',
        actions: INVOKE_ACTIONS,
        resources: direct,
        conditions: { StringEquals: { ...guardrailCondition, ...vpce } },
      }),
      ...this.models.filter((m) => m.inferenceProfileId !== undefined).map((m, i) => new iam.PolicyStatement({
        sid: `InvokeModelBehindProfile${i}`,
        actions: INVOKE_ACTIONS,
        resources: m._foundationModelArns(stack),
        conditions: { StringEquals: { ...guardrailCondition, 'bedrock:InferenceProfileArn': m._profileArn(stack)!, ...vpce } },
      })),
      new iam.PolicyStatement({
        sid: 'DenyInvocationWithoutThisGuardrail',
        effect: iam.Effect.DENY,
        actions: INVOKE_ACTIONS,
        resources: ['*'],
        conditions: { StringNotEquals: guardrailCondition },
      }),
      new iam.PolicyStatement({
        sid: 'ApplyThisGuardrail',
        actions: ['bedrock:ApplyGuardrail'],
        resources: [this.guardrailArn],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptTheGuardrailThroughBedrock',
        actions: ['kms:Decrypt'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `bedrock.${stack.region}.amazonaws.com` } },
      }),
    ];
    const policy = new iam.ManagedPolicy(this, `Invoke${key}`, {
      description: `Lets ${principal.node.path} invoke the models of ${this.node.path} with its guardrail only`,
      statements,
    });
    principal.addManagedPolicy(policy);
    return policy;
  }

  private createAlarms(topic: sns.ITopic, interventions: number): void {
    const alarm = alarmFactory(this, topic, this.alarms, { comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD });
    const add = (id: string, metric: cloudwatch.Metric, threshold: number, description: string) => alarm(id, description, metric, threshold);
    // Runtime metrics: namespace AWS/Bedrock, dimension ModelId (Bedrock User Guide,
    // "Monitor bedrock-runtime inference using CloudWatch metrics").
    this.models.forEach((model, i) => {
      const metric = (metricName: string) => new cloudwatch.Metric({
        namespace: 'AWS/Bedrock', metricName, dimensionsMap: { ModelId: model.invocationId }, statistic: 'Sum', period: Duration.minutes(5),
      });
      add(`Throttles${i}`, metric('InvocationThrottles'), 10, `Bedrock throttles calls to ${model.invocationId} (${this.node.path})`);
      add(`ClientErrors${i}`, metric('InvocationClientErrors'), 10, `Bedrock rejects calls to ${model.invocationId}: denied, invalid or blocked requests (${this.node.path})`);
      add(`ServerErrors${i}`, metric('InvocationServerErrors'), 1, `Bedrock fails calls to ${model.invocationId} (${this.node.path})`);
    });
    // Guardrail metrics: namespace AWS/Bedrock/Guardrails, dimensions GuardrailArn and
    // GuardrailVersion (Bedrock User Guide, "Monitor Amazon Bedrock Guardrails using CloudWatch metrics").
    add('Interventions', new cloudwatch.Metric({
      namespace: 'AWS/Bedrock/Guardrails',
      metricName: 'InvocationsIntervened',
      dimensionsMap: { GuardrailArn: this.guardrailArn, GuardrailVersion: this.guardrailVersionNumber },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }), interventions, `The guardrail of ${this.node.path} intervened often: a prompt-attack campaign or a leaking application`);
  }
}

/** A role, user or group of the app: something a customer-managed policy can be attached to. */
function isIdentity(principal: iam.IPrincipal): principal is iam.IPrincipal & iam.IIdentity {
  return Construct.isConstruct(principal) && typeof (principal as Partial<iam.IIdentity>).addManagedPolicy === 'function';
}
