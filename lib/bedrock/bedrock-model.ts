import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from '../private/errors';

/**
 * Geographic prefixes of the system-defined (cross-Region) inference profiles: a profile ID is
 * `<prefix>.<foundation model ID>`, e.g. `us.anthropic.claude-3-5-sonnet-20240620-v1:0`.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
const PROFILE_PREFIXES = ['us', 'eu', 'apac', 'us-gov', 'global', 'jp', 'au', 'ca'];

/** Model IDs: provider, dot, name, optional `:version`; no wildcard, no ARN. */
const MODEL_ID = /^[a-z0-9-]+\.[a-zA-Z0-9._:-]+$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** Options of a system-defined cross-Region inference profile. */
export interface CrossRegionInferenceProfileOptions {
  /** The inference profile ID, e.g. `us.anthropic.claude-3-5-sonnet-20240620-v1:0`. */
  readonly profileId: string;
  /**
   * The destination Regions of the profile (the model page of the Bedrock documentation lists
   * them), e.g. `['us-east-1', 'us-east-2', 'us-west-2']`. A request made through the profile can
   * be served in any of them, and IAM authorizes the foundation model in the Region that serves
   * it: the grant allows the foundation model in each of these Regions, and only when called
   * through this profile (`bedrock:InferenceProfileArn`). Give `['*']` for a Global profile,
   * whose destinations are every commercial Region.
   */
  readonly destinationRegions: string[];
  /**
   * The foundation model ID behind the profile.
   *
   * @default - the profile ID without its geographic prefix (`us.`, `eu.`, `apac.`, `global.` …)
   */
  readonly foundationModelId?: string;
}

/**
 * A model a caller may invoke: a foundation model in the stack's Region, or a system-defined
 * cross-Region inference profile with the foundation models it routes to.
 */
export class BedrockModel {
  /**
   * A foundation model of the stack's Region, by model ID
   * (`anthropic.claude-3-haiku-20240307-v1:0`, `amazon.titan-text-express-v1`).
   */
  public static foundationModel(modelId: string): BedrockModel {
    return new BedrockModel(modelId, undefined, [], modelId);
  }

  /**
   * A system-defined cross-Region inference profile. The caller needs the profile ARN in the
   * source Region (the stack's) and the foundation model ARN in every destination Region of the
   * profile (Amazon Bedrock User Guide, "Prerequisites for inference profiles":
   * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html).
   */
  public static crossRegionInferenceProfile(options: CrossRegionInferenceProfileOptions): BedrockModel {
    const prefix = options.profileId.split('.')[0];
    const modelId = options.foundationModelId
      ?? (PROFILE_PREFIXES.includes(prefix) ? options.profileId.slice(prefix.length + 1) : '');
    return new BedrockModel(modelId, options.profileId, options.destinationRegions, options.profileId);
  }

  /** The foundation model ID. */
  public readonly foundationModelId: string;
  /** The inference profile ID, when the model is invoked through a profile. */
  public readonly inferenceProfileId?: string;
  /** Destination Regions of the profile (empty for a foundation model). */
  public readonly destinationRegions: string[];
  /** The ID a caller passes as `modelId` (model ID or profile ID). */
  public readonly invocationId: string;

  private constructor(foundationModelId: string, inferenceProfileId: string | undefined, destinationRegions: string[], invocationId: string) {
    this.foundationModelId = foundationModelId;
    this.inferenceProfileId = inferenceProfileId;
    this.destinationRegions = destinationRegions;
    this.invocationId = invocationId;
  }

  /** @internal Checks the IDs and Regions; `prop` names the prop in errors. */
  public _validate(scope: IConstruct, prop: string): void {
    const check = (value: string, what: string) => {
      if (Token.isUnresolved(value)) return;
      if (!MODEL_ID.test(value)) {
        invalidProp(scope, prop, value, `Give a ${what} such as \`anthropic.claude-3-haiku-20240307-v1:0\` (no ARN, no wildcard): only named models are granted.`);
      }
    };
    if (this.inferenceProfileId === undefined) {
      check(this.foundationModelId, 'foundation model ID');
      return;
    }
    check(this.inferenceProfileId, 'inference profile ID');
    if (this.foundationModelId === '') {
      invalidProp(scope, prop, this.inferenceProfileId, `The profile ID has no known geographic prefix (${PROFILE_PREFIXES.join(', ')}): give \`foundationModelId\`.`);
    }
    check(this.foundationModelId, 'foundation model ID');
    const regions = this.destinationRegions;
    if (regions.length === 0) {
      invalidProp(scope, prop, regions, 'Give the destination Regions of the profile (the model page of the Bedrock documentation lists them), or [\'*\'] for a Global profile.');
    }
    if (regions.includes('*') && regions.length > 1) {
      invalidProp(scope, prop, regions, '`*` (a Global profile) stands alone: give either `[\'*\']` or the list of Regions.');
    }
    for (const region of regions) {
      if (region !== '*' && !Token.isUnresolved(region) && !REGION.test(region)) {
        invalidProp(scope, prop, regions, `\`${region}\` is not a Region name such as \`us-east-1\`.`);
      }
    }
  }

  /** @internal The inference profile ARN in the stack's Region, if any. */
  public _profileArn(stack: Stack): string | undefined {
    if (this.inferenceProfileId === undefined) return undefined;
    return `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${this.inferenceProfileId}`;
  }

  /** @internal The foundation model ARNs: the stack's Region, or every destination Region of the profile. */
  public _foundationModelArns(stack: Stack): string[] {
    const regions = this.inferenceProfileId === undefined ? [stack.region] : this.destinationRegions;
    return regions.map((region) => `arn:${stack.partition}:bedrock:${region}::foundation-model/${this.foundationModelId}`);
  }
}
