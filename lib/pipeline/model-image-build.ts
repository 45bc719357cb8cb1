import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { MODEL_IMAGES_CONTEXT_KEY } from './commands';
import { IMAGE_OUTPUT_DIRECTORY, imageBuildCommands, imageVerifyCommands, notationInstallCommands, trivyInstallCommands } from './image-commands';
import { ManagedPolicyRole } from './managed-policy-role';
import { SecureModelRepository } from '../containers/secure-model-repository';
import { invalidProp } from '../private/errors';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

const DEFAULT_TRIVY_VERSION = '0.68.2';
const DEFAULT_TRIVY_SHA256 = '3d933bbc3685f95ec15280f620583d05d97ee3affb66944d14481d5d6d567064';
const DEFAULT_NOTATION_VERSION = '1.3.2';
const DEFAULT_NOTATION_SHA256 = 'e1a0f060308086bf8020b2d31defb7c5348f133ca0dba6a1a7820ef3cbb6dfe5';
const DEFAULT_SIGNER_PLUGIN_URL = 'https://d2hvyiie56hcat.cloudfront.net/linux/amd64/plugin/latest/notation-aws-signer-plugin.zip';
const DEFAULT_SIGNER_ROOT_CERTIFICATE_URL = 'https://d2hvyiie56hcat.cloudfront.net/aws-signer-notation-root.cert';
/** A digest that names no image: what `promotedImage` returns outside the pipeline. */
const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;
const SHA256 = /^[0-9a-f]{64}$/;

/** How one model image is built, checked, published and signed by a {@link SecureDeliveryPipeline}. */
export interface ModelImageBuildOptions {
  /** The repository the image is pushed to, by immutable tag (the source commit) and digest. */
  readonly repository: SecureModelRepository;
  /**
   * Directory of the Docker build context, relative to the repository root.
   * @default '.'
   */
  readonly context?: string;
  /**
   * Severities that fail the build (Trivy `--severity`), for the image and for the
   * dependencies of the build context.
   * @default ['CRITICAL', 'HIGH']
   */
  readonly failOnSeverities?: string[];
  /**
   * Fail also on vulnerabilities that have no fixed version yet. By default only fixable
   * findings fail the build (Trivy `--ignore-unfixed`); every finding is in the report.
   * @default false
   */
  readonly failOnUnfixed?: boolean;
  /**
   * Trivy version to install (a release of github.com/aquasecurity/trivy).
   * @default ModelImageBuild.DEFAULT_TRIVY_VERSION ('0.68.2')
   */
  readonly trivyVersion?: string;
  /**
   * SHA-256 of `trivy_<version>_Linux-64bit.tar.gz`, from the release's checksums file. The
   * download is refused when it differs. Required when `trivyVersion` is set.
   * @default ModelImageBuild.DEFAULT_TRIVY_SHA256 (the checksum of the default version)
   */
  readonly trivySha256?: string;
  /**
   * ARN of an AWS Signer signing profile (platform Notation-OCI-SHA384-ECDSA) that signs the
   * pushed digest with Notation; every stage then verifies the signature before it deploys. The
   * step installs the pinned Notation CLI, the AWS Signer plugin and AWS Signer's root
   * certificate, each checked against its SHA-256: give `signerPluginSha256` and
   * `signerRootCertificateSha256` with it.
   * @default - the image is not signed
   */
  readonly signingProfileArn?: string;
  /**
   * Notation CLI version to install (a release of github.com/notaryproject/notation), when the
   * image is signed.
   * @default ModelImageBuild.DEFAULT_NOTATION_VERSION ('1.3.2')
   */
  readonly notationVersion?: string;
  /**
   * SHA-256 of `notation_<version>_linux_amd64.tar.gz`, from the release's checksums file. The
   * download is refused when it differs. Required when `notationVersion` is set.
   * @default ModelImageBuild.DEFAULT_NOTATION_SHA256 (the checksum of the default version)
   */
  readonly notationSha256?: string;
  /**
   * Where the AWS Signer plugin for Notation (Linux x86-64 zip) is downloaded from. AWS Signer
   * publishes it under a "latest" address (AWS Signer developer guide, "Prerequisites for signing
   * container images"): the pinned `signerPluginSha256` is what pins the version, and a new
   * build there fails the step until you verify it (its GPG signature) and pin its checksum.
   * @default ModelImageBuild.DEFAULT_SIGNER_PLUGIN_URL
   */
  readonly signerPluginUrl?: string;
  /**
   * SHA-256 of the AWS Signer plugin zip at `signerPluginUrl`, after you verified its signature.
   * Required with `signingProfileArn`.
   * @default - none: required when the image is signed
   */
  readonly signerPluginSha256?: string;
  /**
   * Where AWS Signer's Notation root certificate is downloaded from (the trust store
   * `aws-signer-ts` of the verification).
   * @default ModelImageBuild.DEFAULT_SIGNER_ROOT_CERTIFICATE_URL
   */
  readonly signerRootCertificateUrl?: string;
  /**
   * SHA-256 of the root certificate file at `signerRootCertificateUrl`. Required with
   * `signingProfileArn`.
   * @default - none: required when the image is signed
   */
  readonly signerRootCertificateSha256?: string;
  /**
   * Extra install commands of the image step, run before the tools are installed.
   * @default - none
   */
  readonly installCommands?: string[];
}

/** The model image a stage deploys, as the pipeline's synth step handed it to the app. */
export interface PromotedModelImage {
  /** The repository URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositoryUri: string;
  /** The immutable tag (the source commit). */
  readonly tag: string;
  /** The digest pushed and signed (`sha256:...`). */
  readonly digest: string;
  /** `repositoryUri@digest`: the image by digest, for a SageMaker model or a task definition. */
  readonly imageUri: string;
  /** False outside the pipeline (no digest in the context): `digest` is then a placeholder that names no image. */
  readonly fromPipeline: boolean;
}

/** Properties of a {@link ModelImageBuild}: the options, and what the pipeline provides. */
export interface ModelImageBuildProps extends ModelImageBuildOptions {
  /** The source the image is built from (the pipeline's source). */
  readonly input: pipelines.IFileSetProducer;
  /** The bucket that keeps the scan reports and SBOMs. */
  readonly evidence: SecureTrainingBucket;
}

/**
 * One model image step of a {@link SecureDeliveryPipeline}: a privileged CodeBuild project
 * (Docker needs it; it is the only privileged project of the pipeline) that runs in the pipeline's
 * Build stage, before the synth step, and
 *
 * 1. installs the pinned Trivy release (and, to sign, the pinned Notation CLI, AWS Signer plugin
 *    and root certificate) after checking each download's SHA-256;
 * 2. scans the dependencies of the build context (`trivy fs`);
 * 3. builds the image — or, on a re-run of the same commit, pulls the image already pushed under
 *    its immutable tag — scans it (`trivy image`) and writes a CycloneDX SBOM;
 * 4. stores the reports and the SBOM in the pipeline's evidence bucket (KMS, retained), also
 *    when a scan fails;
 * 5. fails on any finding of the configured severities (fixable ones by default), before
 *    anything is pushed;
 * 6. pushes by immutable tag (the source commit) unless the tag is there already, reads the
 *    digest back, signs it with AWS Signer (Notation) when a profile is given and verifies the
 *    signature, exports `IMAGE_DIGEST` and writes `model-image/image.json` for the synth step.
 *
 * The synth step receives the digest and puts it in the app's context: the stage templates pin
 * the image by digest (`ModelImageBuild.promotedImage`), and every stage deploys the templates of
 * that one synthesis. Before each stage a verification step checks that the digest is in the
 * repository and its signature verifies (`verifyStep`). The image is never rebuilt between stages.
 */
export class ModelImageBuild extends Construct {
  /** The Trivy release installed when none is given. */
  public static readonly DEFAULT_TRIVY_VERSION = DEFAULT_TRIVY_VERSION;
  /**
   * SHA-256 of `trivy_0.68.2_Linux-64bit.tar.gz` as published in that release's checksums file
   * (`trivy_0.68.2_checksums.txt`).
   */
  public static readonly DEFAULT_TRIVY_SHA256 = DEFAULT_TRIVY_SHA256;
  /** The Notation CLI release installed to sign and verify when none is given. */
  public static readonly DEFAULT_NOTATION_VERSION = DEFAULT_NOTATION_VERSION;
  /** SHA-256 of `notation_1.3.2_linux_amd64.tar.gz` as published in `notation_1.3.2_checksums.txt`. */
  public static readonly DEFAULT_NOTATION_SHA256 = DEFAULT_NOTATION_SHA256;
  /** Where AWS Signer publishes its Notation plugin for Linux x86-64 (a "latest" address: pin `signerPluginSha256`). */
  public static readonly DEFAULT_SIGNER_PLUGIN_URL = DEFAULT_SIGNER_PLUGIN_URL;
  /** Where AWS Signer publishes its Notation root certificate. */
  public static readonly DEFAULT_SIGNER_ROOT_CERTIFICATE_URL = DEFAULT_SIGNER_ROOT_CERTIFICATE_URL;
  /** The context key the synth step writes the promoted images to. */
  public static readonly CONTEXT_KEY = MODEL_IMAGES_CONTEXT_KEY;

  /**
   * The image `imageId` (the id given to `addModelImage`) as the pipeline's synth step handed it
   * to the app: call it in the stacks of a stage to deploy the image by digest. Outside the
   * pipeline (a local synthesis without the context) it returns a placeholder digest that names
   * no image, with a warning; pass `-c` / cdk.context.json key {@link ModelImageBuild.CONTEXT_KEY}
   * to synthesize a given digest.
   *
   * @param scope a construct of the app (the context is read from it)
   * @param imageId the id of the image step (`addModelImage(imageId, ...)`)
   */
  public static promotedImage(scope: Construct, imageId: string): PromotedModelImage {
    type Entry = { repositoryUri?: string; tag?: string; digest?: string };
    const images = scope.node.tryGetContext(MODEL_IMAGES_CONTEXT_KEY) as Record<string, Entry> | undefined;
    const image = images?.[imageId];
    if (image) {
      if (!image.repositoryUri || !image.tag || !/^sha256:[0-9a-f]{64}$/.test(image.digest ?? '')) {
        invalidProp(scope, `context ${MODEL_IMAGES_CONTEXT_KEY}.${imageId}`, image, 'Give { repositoryUri, tag, digest: "sha256:<64 hex digits>" }, as the synth step writes it.');
      }
      return { repositoryUri: image.repositoryUri, tag: image.tag, digest: image.digest!, imageUri: `${image.repositoryUri}@${image.digest}`, fromPipeline: true };
    }
    Annotations.of(scope).addWarningV2('cdk-secure-ai:modelImageNotPromoted',
      `No digest for model image ${imageId} in the context (${MODEL_IMAGES_CONTEXT_KEY}): a placeholder that names no image is used. The pipeline's synth step provides it.`);
    return { repositoryUri: 'placeholder', tag: 'placeholder', digest: PLACEHOLDER_DIGEST, imageUri: `placeholder@${PLACEHOLDER_DIGEST}`, fromPipeline: false };
  }

  /** The pipeline step. */
  public readonly step: pipelines.CodeBuildStep;
  /** The role of the image project: push to the repository, reports to the evidence bucket. */
  public readonly role: iam.Role;
  /** The role of the verification steps before each stage: read the repository, check revocation. */
  public readonly verifyRole: iam.Role;
  /** The digest pushed (`sha256:...`), as a CodePipeline variable reference for the `env` of later steps, resolved at run time. */
  public readonly imageDigest: string;
  /** The image step's output (`image.json`: repository URI, tag, digest), an input of the synth step. */
  public readonly output: pipelines.FileSet;
  private readonly verifyEnv: Record<string, string>;
  private readonly verifyInstall: string[];

  constructor(scope: Construct, id: string, options: ModelImageBuildProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const severities = options.failOnSeverities ?? ['CRITICAL', 'HIGH'];
    const allowed = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
    if (severities.length === 0 || severities.some((s) => !allowed.includes(s))) {
      invalidProp(this, 'failOnSeverities', severities, `List one or more of ${allowed.join(', ')}.`);
    }
    const trivy = this.pinned('trivy', options.trivyVersion, options.trivySha256, DEFAULT_TRIVY_VERSION, DEFAULT_TRIVY_SHA256, 'trivy_<version>_Linux-64bit.tar.gz');
    const context = options.context ?? '.';
    if (context.includes('..') || /\s/.test(context)) invalidProp(this, 'context', context, 'Give a directory inside the repository, without spaces or "..".');
    const profile = options.signingProfileArn;
    if (profile && !Token.isUnresolved(profile)
      && !/^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/[A-Za-z0-9_]+$/.test(profile)) {
      invalidProp(this, 'signingProfileArn', profile, 'Give the ARN of an AWS Signer signing profile (arn:aws:signer:<region>:<account>:/signing-profiles/<name>).');
    }
    const notationEnv = profile ? this.notationEnv(options) : {};

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: codeBuildOfThisAccount(stack),
      description: `Builds, scans, pushes and signs the model image ${id}`,
    });
    options.repository.grantPush(this.role);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadBackThePushedDigest',
      actions: ['ecr:DescribeImages'],
      resources: [options.repository.repositoryArn],
    }));
    options.evidence.grantWrite(this.role, `${options.repository.repository.repositoryName}/`);

    this.verifyRole = new ManagedPolicyRole(this, 'VerifyRole', {
      assumedBy: codeBuildOfThisAccount(stack),
      description: `Verifies the model image ${id} before each stage: in the repository, signature valid`,
    });
    options.repository.grantPull(this.verifyRole);
    this.verifyRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'FindTheDigest',
      actions: ['ecr:DescribeImages'],
      resources: [options.repository.repositoryArn],
    }));

    if (profile) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'SignWithTheProfile',
        actions: ['signer:SignPayload'],
        resources: [profile],
      }));
      for (const role of [this.role, this.verifyRole]) role.addToPrincipalPolicy(revocationStatement(stack, profile));
    }

    const repositoryEnv = {
      TOOLS_DIR: '/usr/local/bin',
      REPOSITORY_URI: options.repository.repositoryUri,
      REPOSITORY_NAME: options.repository.repository.repositoryName,
      SIGNING_PROFILE_ARN: profile ?? '',
      ...notationEnv,
    };
    const install = [...(profile ? notationInstallCommands() : [])];
    this.step = new pipelines.CodeBuildStep(id, {
      input: options.input,
      role: this.role,
      buildEnvironment: { privileged: true },
      installCommands: [...(options.installCommands ?? []), ...trivyInstallCommands(), ...install],
      commands: imageBuildCommands(),
      primaryOutputDirectory: IMAGE_OUTPUT_DIRECTORY,
      env: {
        ...repositoryEnv,
        TRIVY_VERSION: trivy.version,
        TRIVY_SHA256: trivy.sha256,
        CONTEXT: context,
        SEVERITIES: severities.join(','),
        IGNORE_UNFIXED: options.failOnUnfixed ? 'false' : 'true',
        REPORT_BUCKET: options.evidence.bucket.bucketName,
      },
    });
    this.output = this.step.primaryOutput!;
    this.imageDigest = this.step.exportedVariable('IMAGE_DIGEST');
    this.verifyEnv = { ...repositoryEnv, IMAGE_DIGEST: this.imageDigest };
    this.verifyInstall = install;
  }

  /**
   * A new verification step for one stage (or wave): the exported digest is in the repository
   * and, when the image is signed, its signature verifies against the profile and AWS Signer's
   * root (revocation included). Not privileged; runs with `verifyRole`.
   *
   * @param stageName the stage or wave it guards (names the step)
   */
  public verifyStep(stageName: string): pipelines.CodeBuildStep {
    return new pipelines.CodeBuildStep(`Verify${this.node.id}-${stageName}`, {
      role: this.verifyRole,
      installCommands: this.verifyInstall,
      commands: imageVerifyCommands(),
      env: this.verifyEnv,
    });
  }

  private pinned(tool: string, version: string | undefined, sha256: string | undefined, defaultVersion: string, defaultSha256: string, file: string) {
    if (version !== undefined && sha256 === undefined) {
      invalidProp(this, `${tool}Sha256`, undefined, `Give the SHA-256 of ${file.replace('<version>', version)} from the release's checksums file together with \`${tool}Version\`.`);
    }
    const v = version ?? defaultVersion;
    if (!/^\d+\.\d+\.\d+$/.test(v)) invalidProp(this, `${tool}Version`, v, `Pin an exact release, e.g. "${defaultVersion}".`);
    const s = sha256 ?? defaultSha256;
    if (!SHA256.test(s)) invalidProp(this, `${tool}Sha256`, s, 'Give the 64 lower-case hex digits of the release checksum.');
    return { version: v, sha256: s };
  }

  private notationEnv(options: ModelImageBuildOptions): Record<string, string> {
    const notation = this.pinned('notation', options.notationVersion, options.notationSha256, DEFAULT_NOTATION_VERSION, DEFAULT_NOTATION_SHA256, 'notation_<version>_linux_amd64.tar.gz');
    for (const [prop, value] of [['signerPluginSha256', options.signerPluginSha256], ['signerRootCertificateSha256', options.signerRootCertificateSha256]] as const) {
      if (value === undefined || !SHA256.test(value)) {
        invalidProp(this, prop, value, 'Signing installs the AWS Signer plugin and root certificate: download them, verify them (the plugin\'s GPG signature, AWS Signer developer guide), and give the 64 lower-case hex digits of their SHA-256.');
      }
    }
    for (const [prop, value] of [['signerPluginUrl', options.signerPluginUrl], ['signerRootCertificateUrl', options.signerRootCertificateUrl]] as const) {
      if (value !== undefined && !Token.isUnresolved(value) && !/^https:\/\/[^\s"'$`]+$/.test(value)) invalidProp(this, prop, value, 'Give an https:// address without spaces or quotes.');
    }
    return {
      NOTATION_VERSION: notation.version,
      NOTATION_SHA256: notation.sha256,
      SIGNER_PLUGIN_URL: options.signerPluginUrl ?? DEFAULT_SIGNER_PLUGIN_URL,
      SIGNER_PLUGIN_SHA256: options.signerPluginSha256!,
      SIGNER_ROOT_CERTIFICATE_URL: options.signerRootCertificateUrl ?? DEFAULT_SIGNER_ROOT_CERTIFICATE_URL,
      SIGNER_ROOT_CERTIFICATE_SHA256: options.signerRootCertificateSha256!,
    };
  }
}

function codeBuildOfThisAccount(stack: Stack): iam.IPrincipal {
  return new iam.ServicePrincipal('codebuild.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } });
}

/**
 * signer:GetRevocationStatus, which the AWS Signer plugin calls when Notation verifies a
 * signature: its resources are the signing profile (by version) and the signing job (Service
 * Authorization Reference, AWS Signer), named here for the profile's own account and Region.
 */
function revocationStatement(stack: Stack, profileArn: string): iam.PolicyStatement {
  const arn = stack.splitArn(profileArn, ArnFormat.SLASH_RESOURCE_NAME);
  return new iam.PolicyStatement({
    sid: 'CheckRevocationOfTheProfilesSignatures',
    actions: ['signer:GetRevocationStatus'],
    resources: [
      profileArn,
      `${profileArn}/*`,
      `arn:${arn.partition}:signer:${arn.region}:${arn.account}:/signing-jobs/*`,
    ],
  });
}
