import { Aspects, CfnElement, Duration, IAspect, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct, IConstruct } from 'constructs';
import { acknowledgePipelineFindings, BUILD_ACTIONS, ONLY_THIS_PIPELINES_PROJECTS } from './acknowledgements';
import { createAlertRules, createAlertTopic, sendSourceRuleFailuresToDeadLetterQueue } from './alerts';
import { MODEL_IMAGES_DIRECTORY, modelImageContextCommand, SYNTH_REPORTS_DIRECTORY, synthCommands } from './commands';
import { ModelImageBuild, ModelImageBuildOptions } from './model-image-build';
import { invalidProp } from '../private/errors';
import { createLogGroup } from '../private/logs';
import { checkRetention } from '../private/numbers';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

/** Properties of a {@link SecureDeliveryPipeline}. */
export interface SecureDeliveryPipelineProps {
  /**
   * The repository, as `owner/name`, read through the CodeConnections connection `connectionArn`
   * (GitHub, GitHub Enterprise Server, GitLab, Bitbucket). Set this and `connectionArn`, or
   * `codeCommitRepository`. A connection holds no long-lived credential in the pipeline.
   * @default - none: `codeCommitRepository` is the source
   */
  readonly repository?: string;
  /**
   * ARN of the CodeConnections (formerly CodeStar Connections) connection to `repository`.
   * @default - none: `codeCommitRepository` is the source
   */
  readonly connectionArn?: string;
  /**
   * A CodeCommit repository as the source, instead of a connection.
   * @default - none: `repository` and `connectionArn` are the source
   */
  readonly codeCommitRepository?: codecommit.IRepository;
  /**
   * The branch that is built and deployed.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * Commands that install the project's dependencies before synthesis (lockfile installs pin
   * every version: "Pin specific versions").
   * @default ['npm ci']
   */
  readonly installCommands?: string[];
  /**
   * The command that synthesizes the project's app. The app must register the checks
   * (`Validations.of(app).addPlugins(...)`): the step fails when no validation report is written
   * or when the report lists any unacknowledged finding, warnings included.
   * @default 'npx cdk synth'
   */
  readonly synthCommand?: string;
  /**
   * Where the synthesis writes the cloud assembly.
   * @default 'cdk.out'
   */
  readonly assemblyDirectory?: string;
  /**
   * Name of the pipeline.
   * @default - generated from the construct path
   */
  readonly pipelineName?: string;
  /**
   * Topic that receives pipeline execution state changes (failed, stopped, succeeded, superseded)
   * and failed (rejected) manual approvals. If it is encrypted with a customer-managed key,
   * that key must let `events.amazonaws.com` use it (kms:GenerateDataKey*, kms:Decrypt).
   * @default - a new topic encrypted with a new customer-managed key
   */
  readonly alertTopic?: sns.ITopic;
  /**
   * Retention of the build logs (CodeBuild, every step), encrypted with a customer-managed key:
   * a `logs.RetentionDays` value of at least a year (`INFINITE` keeps them forever, which the
   * HIPAA / NIST / PCI CloudWatchLogGroupRetentionPeriod rules report).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the artifact bucket, its keys and the build logs when the pipeline is
   * removed from the app.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** How a stage is added to a {@link SecureDeliveryPipeline}. */
export interface SecureStageOptions {
  /**
   * Stop for a manual approval before this stage is deployed. A rejected approval fails the
   * pipeline execution and is sent to the alert topic. `addProductionStage` always sets it.
   * @default false
   */
  readonly requireApproval?: boolean;
  /**
   * Steps to run before the stage is deployed (after the approval, if any).
   * @default - none
   */
  readonly pre?: pipelines.Step[];
  /**
   * Steps to run after the stage is deployed (smoke tests, image verification).
   * @default - none
   */
  readonly post?: pipelines.Step[];
}

/**
 * A delivery pipeline for the project's CDK app, built on CDK Pipelines (aws-cdk-lib `pipelines`,
 * CodePipeline and CodeBuild; CloudFormation deploys in each account):
 *
 * - source from a CodeConnections connection or CodeCommit, no long-lived credential;
 * - a synth step that runs the project's synthesis with its checks and fails on any
 *   unacknowledged finding; the validation report and the synthesis output are kept as a build
 *   artifact (`synth-reports`) and inside the cloud assembly;
 * - stages in their own accounts, deployed in the order they are added, a manual approval before
 *   production (`addProductionStage`);
 * - artifacts in a {@link SecureTrainingBucket} (customer-managed key with rotation, TLS-only,
 *   access logs, versioning) shared with the stage accounts through cross-account keys;
 * - CodeBuild never privileged (only a model image step, {@link ModelImageBuild}, is), build logs
 *   in a KMS-encrypted log group kept for a year;
 * - self-mutation and synthesis denied the roles of other accounts (only the deploy actions reach
 *   the stage accounts);
 * - model images (`addModelImage`) built, scanned, pushed and signed once before synthesis and
 *   promoted by digest: the stage templates pin the digest, verified before each stage;
 * - pipeline state changes and rejected approvals sent to an alert topic by EventBridge.
 *
 * @example
 * const pipeline = new SecureDeliveryPipeline(toolingStack, 'Delivery', {
 *   repository: 'my-org/ml-platform',
 *   connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abc',
 * });
 * pipeline.addStage(new PlatformStage(app, 'Dev', { env: { account: '222222222222', region: 'eu-west-1' } }));
 * pipeline.addStage(new PlatformStage(app, 'Test', { env: { account: '333333333333', region: 'eu-west-1' } }));
 * pipeline.addProductionStage(new PlatformStage(app, 'Prod', { env: { account: '444444444444', region: 'eu-west-1' } }));
 */
export class SecureDeliveryPipeline extends Construct {
  /** The CDK Pipelines pipeline: add waves and steps to it as usual. */
  public readonly pipeline: pipelines.CodePipeline;
  /** The synth step. */
  public readonly synthStep: pipelines.CodeBuildStep;
  /** The `synth-reports` directory of the synth step (validation report, synthesis output). */
  public readonly synthReports: pipelines.FileSet;
  /** The artifact bucket (customer-managed key, TLS-only, access-logged, retained). */
  public readonly artifactBucket: SecureTrainingBucket;
  /** The log group of every CodeBuild project of the pipeline. */
  public readonly buildLogGroup: logs.ILogGroup;
  /** The topic that receives pipeline state changes and rejected approvals. */
  public readonly alertTopic: sns.ITopic;
  /** The EventBridge rules that send pipeline events to the alert topic (state changes, rejected approvals). */
  public readonly alertRules: events.Rule[];
  /** Name of the pipeline. */
  public readonly pipelineName: string;
  /** The accounts of the stages added so far, by stage path. */
  private readonly stageAccounts = new Map<string, string>();
  private productionAdded = false;
  private readonly sourceStep: pipelines.CodePipelineSource;
  private imageEvidence?: SecureTrainingBucket;
  private readonly images: ModelImageBuild[] = [];
  private readonly alertDeadLetterQueue: sqs.Queue;
  private readonly removalPolicy: RemovalPolicy;
  private built = false;

  constructor(scope: Construct, id: string, props: SecureDeliveryPipelineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
      invalidProp(this, 'env', `${stack.account}/${stack.region}`,
        'Give the pipeline stack an explicit account and Region (`env: { account, region }`): cross-account deployment needs them.');
    }
    const source = this.source(props);
    const branch = props.branch ?? 'main';
    if (branch.trim() === '') invalidProp(this, 'branch', branch, 'Name the branch to build, e.g. "main".');
    const assemblyDirectory = props.assemblyDirectory ?? 'cdk.out';
    this.pipelineName = props.pipelineName ?? `${stack.stackName}-${id}`.slice(0, 100);

    checkRetention(this, 'logRetention', props.logRetention, { allowInfinite: true });
    this.artifactBucket = new SecureTrainingBucket(this, 'Artifacts', { removalPolicy });
    this.buildLogGroup = createLogGroup(this, 'BuildLogs', {
      retention: props.logRetention,
      removalPolicy,
      purpose: 'build',
    }).logGroup;

    this.removalPolicy = removalPolicy;
    this.sourceStep = source(branch);
    this.synthStep = new pipelines.CodeBuildStep('Synth', {
      input: this.sourceStep,
      installCommands: props.installCommands ?? ['npm ci'],
      commands: synthCommands(props.synthCommand ?? 'npx cdk synth', assemblyDirectory),
      primaryOutputDirectory: assemblyDirectory,
    });
    this.synthReports = this.synthStep.addOutputDirectory(SYNTH_REPORTS_DIRECTORY);

    const otherAccountRoles = (sid: string) => new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      actions: ['sts:AssumeRole'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:ResourceAccount': stack.account } },
    });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: this.pipelineName,
      synth: this.synthStep,
      crossAccountKeys: true,
      enableKeyRotation: true,
      artifactBucket: this.artifactBucket.bucket,
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, privileged: false },
        partialBuildSpec: codebuild.BuildSpec.fromObject({ env: { shell: 'bash' } }),
        logging: { cloudWatch: { logGroup: this.buildLogGroup } },
        timeout: Duration.hours(1),
      },
      // Synthesis runs the project's code and its dependencies: it reaches no other account.
      synthCodeBuildDefaults: { rolePolicy: [otherAccountRoles('DenyRolesOfOtherAccounts')] },
      // Self-mutation deploys the pipeline's own stack, in this account only.
      selfMutationCodeBuildDefaults: { rolePolicy: [otherAccountRoles('DenyRolesOfOtherAccounts')] },
      dockerEnabledForSynth: false,
      dockerEnabledForSelfMutation: false,
    });

    this.alertTopic = props.alertTopic ?? createAlertTopic(this, removalPolicy);
    const alerts = createAlertRules(this, this.pipelineName, this.alertTopic);
    this.alertRules = alerts.rules;
    this.alertDeadLetterQueue = alerts.deadLetterQueue;

    // Build the pipeline when the app is synthesized (after every stage was added), before the
    // aspects reach the CodePipeline construct below this one, then acknowledge its findings.
    const self = this;
    Aspects.of(this).add(new (class implements IAspect {
      public visit(node: IConstruct): void {
        if (node === self) self.buildPipeline();
      }
    })());
  }

  /**
   * Builds the CodePipeline now. Called at synthesis; call it yourself only to reach the
   * CodePipeline resources (`pipeline.pipeline`) in code. No stage or wave can be added after.
   */
  public buildPipeline(): void {
    if (this.built) return;
    this.built = true;
    if (this.images.length > 0) {
      // Before the synthesis command: the digests go into the app's context.
      this.synthStep.commands.splice(1, 0, modelImageContextCommand(this.images.map((image) => image.node.id)));
    }
    this.pipeline.buildPipeline();
    this.limitAssetRolesToThisPipeline();
    const logicalId = (bucket?: SecureTrainingBucket) => bucket && Stack.of(this).getLogicalId(bucket.bucket.node.defaultChild as CfnElement);
    acknowledgePipelineFindings(this, logicalId(this.artifactBucket)!, logicalId(this.imageEvidence),
      this.images.map((image) => image.step.project.node.defaultChild!));
    sendSourceRuleFailuresToDeadLetterQueue(this, this.pipeline, this.alertDeadLetterQueue);
  }

  /**
   * Adds a model image step: built, scanned, pushed and signed once, in the Build stage before
   * the synth step, which hands its digest to the app (see {@link ModelImageBuild}); every stage
   * added after it verifies that digest before it deploys. Add every image before the first stage.
   */
  public addModelImage(id: string, options: ModelImageBuildOptions): ModelImageBuild {
    if (this.stageAccounts.size > 0) {
      invalidProp(this, 'addModelImage', id, 'Add model images before the first stage: they are built once and every stage deploys and verifies the same digest.');
    }
    if (this.built) invalidProp(this, 'addModelImage', id, 'Add model images before the pipeline is built.');
    this.imageEvidence ??= new SecureTrainingBucket(this, 'ImageEvidence', { removalPolicy: this.removalPolicy });
    const image = new ModelImageBuild(this, id, { ...options, input: this.sourceStep, evidence: this.imageEvidence });
    // The synth step receives the image's output (its digest) as an additional input directory.
    this.synthStep.inputs.push({ directory: `${MODEL_IMAGES_DIRECTORY}/${id}`, fileSet: image.output });
    this.synthStep.addStepDependency(image.step);
    this.images.push(image);
    return image;
  }

  /** The bucket that keeps the scan reports and SBOMs of the model images (created by the first `addModelImage`). */
  public get imageEvidenceBucket(): SecureTrainingBucket | undefined {
    return this.imageEvidence;
  }

  /**
   * Adds a stage, deployed after every stage added before it. Its account must be explicit and
   * differ from the account of every other stage (dev, test and prod each in its own account).
   */
  public addStage(stage: Stage, options: SecureStageOptions = {}): pipelines.StageDeployment {
    if (this.productionAdded) {
      invalidProp(this, 'stage', stage.node.path, 'The production stage is the last stage: add every other stage before `addProductionStage`.');
    }
    this.checkAccount(stage);
    const approval = options.requireApproval ? new pipelines.ManualApprovalStep(`Approve-${stage.stageName}`, {
      comment: `Deploy ${stage.stageName} to account ${stage.account}?`,
    }) : undefined;
    const pre = [...(approval ? [approval] : []), ...this.imageVerifySteps(stage.stageName, approval), ...(options.pre ?? [])];
    return this.pipeline.addStage(stage, { pre, post: options.post });
  }

  /** Adds the production stage: the last one, always behind a manual approval. */
  public addProductionStage(stage: Stage, options: SecureStageOptions = {}): pipelines.StageDeployment {
    const deployment = this.addStage(stage, { ...options, requireApproval: true });
    this.productionAdded = true;
    return deployment;
  }

  /**
   * Adds a wave: stages deployed in parallel (many workload accounts of the same stage), each in
   * its own account, after every stage added before.
   */
  public addWave(id: string, stages: Stage[], options: SecureStageOptions = {}): pipelines.Wave {
    if (this.productionAdded) {
      invalidProp(this, 'wave', id, 'The production stage is the last stage: add every wave before `addProductionStage`.');
    }
    const wave = this.pipeline.addWave(id);
    const approval = options.requireApproval ? new pipelines.ManualApprovalStep(`Approve-${id}`, { comment: `Deploy wave ${id}?` }) : undefined;
    if (approval) wave.addPre(approval);
    for (const step of this.imageVerifySteps(id, approval)) wave.addPre(step);
    for (const step of options.pre ?? []) wave.addPre(step);
    for (const stage of stages) {
      this.checkAccount(stage);
      wave.addStage(stage);
    }
    for (const step of options.post ?? []) wave.addPost(step);
    return wave;
  }

  /** One verification step per model image, after the approval when there is one (closest to the deployment). */
  private imageVerifySteps(stageName: string, approval?: pipelines.Step): pipelines.Step[] {
    return this.images.map((image) => {
      const step = image.verifyStep(stageName);
      if (approval) step.addStepDependency(approval);
      return step;
    });
  }

  private checkAccount(stage: Stage): void {
    const account = stage.account;
    if (!account || Token.isUnresolved(account)) {
      invalidProp(this, 'stage.env.account', account, `Give stage ${stage.node.path} an explicit account (\`env: { account, region }\`): each stage deploys to its own account.`);
    }
    for (const [other, otherAccount] of this.stageAccounts) {
      if (otherAccount === account) {
        invalidProp(this, 'stage.env.account', account, `Stage ${stage.node.path} uses the account of stage ${other}: give each stage its own account (separate development, test and production).`);
      }
    }
    this.stageAccounts.set(stage.node.path, account);
  }

  private source(props: SecureDeliveryPipelineProps): (branch: string) => pipelines.CodePipelineSource {
    const connection = props.repository !== undefined || props.connectionArn !== undefined;
    if (connection && props.codeCommitRepository) {
      invalidProp(this, 'codeCommitRepository', props.codeCommitRepository.repositoryName,
        'Choose one source: `repository` with `connectionArn`, or `codeCommitRepository`.');
    }
    if (props.codeCommitRepository) {
      const repository = props.codeCommitRepository;
      return (branch) => pipelines.CodePipelineSource.codeCommit(repository, branch);
    }
    if (!props.repository || !/^[^/\s]+\/[^/\s]+$/.test(props.repository)) {
      invalidProp(this, 'repository', props.repository, 'Name the repository as "owner/name" (with `connectionArn`), or give `codeCommitRepository`.');
    }
    if (!props.connectionArn || (!Token.isUnresolved(props.connectionArn)
      && !/^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/.+$/.test(props.connectionArn))) {
      invalidProp(this, 'connectionArn', props.connectionArn,
        'Give the ARN of a CodeConnections connection (arn:aws:codeconnections:<region>:<account>:connection/<id>), created and authorized in the console.');
    }
    const repository = props.repository;
    const connectionArn = props.connectionArn;
    return (branch) => pipelines.CodePipelineSource.connection(repository, branch, { connectionArn });
  }

  /**
   * CDK Pipelines lets its asset publishing roles start builds of any CodeBuild project of the
   * account: deny them every project but this pipeline's.
   */
  private limitAssetRolesToThisPipeline(): void {
    const assets = this.pipeline.node.tryFindChild('Assets');
    if (!assets) return;
    const projects = this.node.findAll().filter((c): c is codebuild.CfnProject => c instanceof codebuild.CfnProject).map((p) => p.attrArn);
    for (const role of assets.node.children.filter((c): c is iam.Role => c instanceof iam.Role)) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: ONLY_THIS_PIPELINES_PROJECTS,
        effect: iam.Effect.DENY,
        // Not BUILD_ACTIONS as such: CDK Pipelines' asset role silently drops a statement whose
        // action list equals the one it grants itself.
        actions: [...BUILD_ACTIONS, 'codebuild:RetryBuild'],
        notResources: projects,
      }));
    }
  }
}
