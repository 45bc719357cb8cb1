import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ExistingRepositoryHardening, ExistingRepositoryHardeningProps } from './existing-repository-hardening';
import { intoManagedPolicy, RepositoryAccessPolicy, validateRepositoryAccess } from './repository-access';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { checkRepositoryName } from '../private/constraints';
import { createKey } from '../private/kms';
import { checkNumberProp } from '../private/numbers';
import { wholeDays } from '../private/validate';

/**
 * Properties of a SecureModelRepository. Every property is optional: the defaults are the
 * secure configuration, and with no puller or publisher named nobody can pull or push.
 */
export interface SecureModelRepositoryProps {
  /**
   * Physical repository name, e.g. `ml/inference/sentiment`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly repositoryName?: string;

  /**
   * Customer-managed KMS key that encrypts the images (ECR KMS encryption).
   *
   * A key you pass is used as is: enable rotation on it yourself (Security Hub KMS.4).
   *
   * @default - a new customer-managed key with annual rotation, a 30-day deletion window,
   * retained (ECR.5 customer-managed KMS, KMS.3, KMS.4)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * IAM role or user ARNs, in this or another account, that may pull images. The repository
   * policy allows them to pull and denies pulling to every other IAM principal except
   * `pullAccountIds`, `pullOrganizationId` and AWS service-linked roles.
   * Add more with `grantPull`.
   *
   * @default - no principal is named here
   */
  readonly pullPrincipalArns?: string[];

  /**
   * Account IDs whose principals may pull (their own IAM policies must also allow it).
   *
   * @default - no account is named
   */
  readonly pullAccountIds?: string[];

  /**
   * AWS Organizations ID (`o-...`) whose principals may pull (`aws:PrincipalOrgID`).
   *
   * @default - the organization is not named
   */
  readonly pullOrganizationId?: string;

  /**
   * IAM role ARNs of the publishers (CI pipelines) that may push images. Pushing and deleting
   * images is denied to every other IAM principal. Add more with `grantPush`.
   *
   * @default - no publisher is named here
   */
  readonly pushPrincipalArns?: string[];

  /**
   * How many tagged images the lifecycle policy keeps; older tagged images expire (ECR.3).
   *
   * @default 50
   */
  readonly maxTaggedImages?: number;

  /**
   * How long an untagged image is kept after it was pushed (ECR.3), in whole days.
   *
   * @default Duration.days(14)
   */
  readonly untaggedImageExpiration?: Duration;

  /**
   * Turn on ENHANCED continuous scanning (Amazon Inspector) for this repository.
   *
   * ACCOUNT-WIDE: this writes the registry scanning configuration of the account and Region
   * (`AWS::ECR::RegistryScanningConfiguration`), replacing any configuration another stack or
   * a person set, and Amazon Inspector charges per image scanned. Enable it in one stack per
   * account and Region at most.
   *
   * @default false - basic scan on push only (ECR.1)
   */
  readonly enableEnhancedScanning?: boolean;

  /**
   * What happens to the repository (and a created key) when they leave the stack. Even with
   * DESTROY a repository that still holds images fails to delete (no auto-delete resource).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An ECR repository for training and inference images, secure by default.
 *
 * - KMS encryption with a customer-managed, rotated key;
 * - immutable tags, scan on push, a lifecycle policy that keeps the last N tagged images and
 *   expires untagged ones after D days; retained on stack deletion;
 * - a repository policy that lets only named principals pull and only named publishers push
 *   or delete, and denies every other IAM principal; nothing public;
 * - optional account-wide enhanced (continuous) scanning.
 *
 * @example
 * const images = new SecureModelRepository(this, 'Images', {
 *   pushPrincipalArns: ['arn:aws:iam::111122223333:role/ImagePipeline'],
 * });
 * images.grantPull(sageMakerExecutionRole);
 */
export class SecureModelRepository extends Construct {
  /**
   * Hardens an existing repository that CloudFormation does not own, as far as CloudFormation
   * allows: enhanced continuous scanning through the account's registry scanning configuration,
   * grants through customer-managed policies, and the repository policy this construct would write,
   * built for you to apply with `aws ecr set-repository-policy` (see ExistingRepositoryHardening
   * and the README for what CloudFormation cannot do, and the commands that do it).
   *
   * @param scope the stack (in the repository's account and Region) or a construct in it
   * @param id construct ID
   * @param props the repository and who may pull and push
   */
  public static hardenExisting(scope: Construct, id: string, props: ExistingRepositoryHardeningProps): ExistingRepositoryHardening {
    return new ExistingRepositoryHardening(scope, id, props);
  }

  /** The ECR repository. */
  public readonly repository: ecr.Repository;
  /** The KMS key that encrypts the images. */
  public readonly encryptionKey: kms.IKey;
  /** The account-wide registry scanning configuration, when `enableEnhancedScanning` is set. */
  public readonly registryScanningConfiguration?: ecr.CfnRegistryScanningConfiguration;

  private readonly access: RepositoryAccessPolicy;

  constructor(scope: Construct, id: string, props: SecureModelRepositoryProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    checkRepositoryName(this, 'repositoryName', props.repositoryName);
    const untaggedDays = wholeDays(this, 'untaggedImageExpiration', props.untaggedImageExpiration ?? Duration.days(14), 1, 3650);
    const maxTagged = props.maxTaggedImages ?? 50;
    checkNumberProp(this, 'maxTaggedImages', props.maxTaggedImages, {
      integer: true,
      min: 1,
      max: 10_000,
      fix: 'Give a whole number of images between 1 and 10000.',
      synthOnly: 'it is written into the lifecycle policy text, a JSON string.',
    });
    validateRepositoryAccess(this, props);

    this.encryptionKey = props.encryptionKey ?? createKey(this, 'Key', {
      description: `Encrypts container images in ${this.node.path}`,
      removalPolicy,
    });

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: this.encryptionKey,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      removalPolicy,
      lifecycleRules: [
        {
          description: `Keep the last ${maxTagged} tagged images`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: ['*'],
          maxImageCount: maxTagged,
        },
        {
          description: `Expire untagged images ${untaggedDays ?? 14} days after push`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(untaggedDays ?? 14),
        },
      ],
    });

    this.access = new RepositoryAccessPolicy(this, (statement) => this.repository.addToResourcePolicy(statement), props);
    if (props.pullOrganizationId) {
      acknowledge(this.repository, [{ id: 'AwsSolutions-ECR1', source: FindingSource.CDK_NAG }], ORGANIZATION_REASON);
    }

    if (props.enableEnhancedScanning) {
      this.registryScanningConfiguration = new ecr.CfnRegistryScanningConfiguration(this, 'RegistryScanning', {
        scanType: 'ENHANCED',
        rules: [{
          scanFrequency: 'CONTINUOUS_SCAN',
          repositoryFilters: [{ filter: this.repository.repositoryName, filterType: 'WILDCARD' }],
        }],
      });
    }
  }

  /** The repository ARN. */
  public get repositoryArn(): string {
    return this.repository.repositoryArn;
  }

  /** The repository URI, e.g. `111122223333.dkr.ecr.us-east-1.amazonaws.com/name`. */
  public get repositoryUri(): string {
    return this.repository.repositoryUri;
  }

  /**
   * The image URI for a tag or a digest (`sha256:...`), for a SageMaker model's container image.
   *
   * @param tagOrDigest an immutable tag such as `1.4.2`, or a digest
   */
  public imageUri(tagOrDigest: string): string {
    return this.repository.repositoryUriForTagOrDigest(tagOrDigest);
  }

  /**
   * Lets `grantee` pull images: the pull actions on this repository (an identity policy, or the
   * repository policy for another account), `ecr:GetAuthorizationToken` (which only accepts `*`),
   * and its ARN is added to the principals the repository policy does not deny.
   *
   * @param grantee a role or user (or an account principal)
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    this.access.addPullGrantee(grantee);
    return this.repository.grantPull(intoManagedPolicy(this, grantee));
  }

  /**
   * Lets `grantee` push images: the push actions on this repository, `ecr:GetAuthorizationToken`,
   * and its ARN is added to the publishers the repository policy does not deny.
   * It grants no delete: the lifecycle policy expires old images.
   *
   * @param grantee a publisher role or user
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    this.access.addPushGrantee(grantee);
    return this.repository.grantPush(intoManagedPolicy(this, grantee));
  }
}

const ORGANIZATION_REASON =
  'The pull statement names Principal "*" only together with an aws:PrincipalOrgID condition, which limits it to the principals of the named AWS organization (the documented way to share a repository with an organization); push stays limited to named publishers.';
