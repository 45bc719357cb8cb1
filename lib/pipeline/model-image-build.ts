import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { imageBuildCommands, trivyInstallCommands } from './commands';
import { ManagedPolicyRole } from './managed-policy-role';
import { SecureModelRepository } from '../containers/secure-model-repository';
import { invalidProp } from '../private/errors';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

const DEFAULT_TRIVY_VERSION = '0.68.2';
const DEFAULT_TRIVY_SHA256 = '3d933bbc3685f95ec15280f620583d05d97ee3affb66944d14481d5d6d567064';

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
   * pushed digest with Notation. The build image must provide `notation` with the AWS Signer
   * plugin (install it with `installCommands`, verifying what you download).
   * @default - the image is not signed
   */
  readonly signingProfileArn?: string;
  /**
   * Extra install commands, run before Trivy is installed (e.g. the AWS Signer Notation CLI).
   * @default - none
   */
  readonly installCommands?: string[];
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
 * (Docker needs it; it is the only privileged project of the pipeline) that
 *
 * 1. installs the pinned Trivy release after checking its SHA-256;
 * 2. scans the dependencies of the build context (`trivy fs`);
 * 3. builds the image and scans it (`trivy image`), writes a CycloneDX SBOM;
 * 4. stores the reports and the SBOM in the pipeline's evidence bucket (KMS, retained), also
 *    when a scan fails;
 * 5. fails on any finding of the configured severities (fixable ones by default), before
 *    anything is pushed;
 * 6. pushes by immutable tag (the source commit), reads the digest back, signs the digest with
 *    AWS Signer (Notation) when a profile is given, and exports `IMAGE_DIGEST`.
 *
 * The image is built once, before the first stage; every stage deploys the same tag, which the
 * repository's tag immutability pins to one digest.
 */
export class ModelImageBuild extends Construct {
  /** The Trivy release installed when none is given. */
  public static readonly DEFAULT_TRIVY_VERSION = DEFAULT_TRIVY_VERSION;
  /**
   * SHA-256 of `trivy_0.68.2_Linux-64bit.tar.gz` as published in that release's checksums file
   * (`trivy_0.68.2_checksums.txt`).
   */
  public static readonly DEFAULT_TRIVY_SHA256 = DEFAULT_TRIVY_SHA256;

  /** The pipeline step. */
  public readonly step: pipelines.CodeBuildStep;
  /** The role of the image project: push to the repository, reports to the evidence bucket. */
  public readonly role: iam.Role;
  /** The digest pushed (`sha256:...`), as a CodePipeline variable reference for the `env` of later steps, resolved at run time. */
  public readonly imageDigest: string;

  constructor(scope: Construct, id: string, options: ModelImageBuildProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const severities = options.failOnSeverities ?? ['CRITICAL', 'HIGH'];
    const allowed = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
    if (severities.length === 0 || severities.some((s) => !allowed.includes(s))) {
      invalidProp(this, 'failOnSeverities', severities, `List one or more of ${allowed.join(', ')}.`);
    }
    if (options.trivyVersion !== undefined && options.trivySha256 === undefined) {
      invalidProp(this, 'trivySha256', undefined, `Give the SHA-256 of trivy_${options.trivyVersion}_Linux-64bit.tar.gz from the release's checksums file together with \`trivyVersion\`.`);
    }
    const version = options.trivyVersion ?? DEFAULT_TRIVY_VERSION;
    if (!/^\d+\.\d+\.\d+$/.test(version)) invalidProp(this, 'trivyVersion', version, 'Pin an exact release, e.g. "0.68.2".');
    const sha256 = options.trivySha256 ?? DEFAULT_TRIVY_SHA256;
    if (!/^[0-9a-f]{64}$/.test(sha256)) invalidProp(this, 'trivySha256', sha256, 'Give the 64 lower-case hex digits of the release checksum.');
    const context = options.context ?? '.';
    if (context.includes('..') || /\s/.test(context)) invalidProp(this, 'context', context, 'Give a directory inside the repository, without spaces or "..".');
    if (options.signingProfileArn && !Token.isUnresolved(options.signingProfileArn)
      && !/^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/[A-Za-z0-9_]+$/.test(options.signingProfileArn)) {
      invalidProp(this, 'signingProfileArn', options.signingProfileArn, 'Give the ARN of an AWS Signer signing profile (arn:aws:signer:<region>:<account>:/signing-profiles/<name>).');
    }

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Builds, scans, pushes and signs the model image ${id}`,
    });
    options.repository.grantPush(this.role);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadBackThePushedDigest',
      actions: ['ecr:DescribeImages'],
      resources: [options.repository.repositoryArn],
    }));
    options.evidence.grantWrite(this.role, `${options.repository.repository.repositoryName}/`);
    if (options.signingProfileArn) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'SignWithTheProfile',
        actions: ['signer:SignPayload', 'signer:GetRevocationStatus'],
        resources: [options.signingProfileArn],
      }));
    }

    this.step = new pipelines.CodeBuildStep(id, {
      input: options.input,
      role: this.role,
      buildEnvironment: { privileged: true },
      installCommands: [...(options.installCommands ?? []), ...trivyInstallCommands()],
      commands: imageBuildCommands(),
      env: {
        TOOLS_DIR: '/usr/local/bin',
        TRIVY_VERSION: version,
        TRIVY_SHA256: sha256,
        CONTEXT: context,
        REPOSITORY_URI: options.repository.repositoryUri,
        REPOSITORY_NAME: options.repository.repository.repositoryName,
        SEVERITIES: severities.join(','),
        IGNORE_UNFIXED: options.failOnUnfixed ? 'false' : 'true',
        REPORT_BUCKET: options.evidence.bucket.bucketName,
        SIGNING_PROFILE_ARN: options.signingProfileArn ?? '',
      },
    });
    this.imageDigest = this.step.exportedVariable('IMAGE_DIGEST');
  }
}
