import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { checkRepositoryName } from '../private/constraints';
import { invalidProp } from '../private/errors';
import { createKey } from '../private/kms';
import { ManagedPolicyPrincipal } from '../private/managed-policy-principal';
import { nonEmptyList, wholeDays } from '../private/validate';

/** What pulling an image takes (`docker pull`, SageMaker model creation). */
const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
/** What pushing an image takes (`docker push`). */
const PUSH_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];
/** Writes that change what the repository serves: reserved to the publishers. */
const WRITE_ACTIONS = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchDeleteImage'];

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
  /** The ECR repository. */
  public readonly repository: ecr.Repository;
  /** The KMS key that encrypts the images. */
  public readonly encryptionKey: kms.IKey;
  /** The account-wide registry scanning configuration, when `enableEnhancedScanning` is set. */
  public readonly registryScanningConfiguration?: ecr.CfnRegistryScanningConfiguration;

  private readonly pullArns: string[] = [];
  private readonly pushArns: string[] = [];
  private readonly pullAccounts: string[] = [];
  private readonly pullOrg?: string;
  private readonly denyPull: iam.PolicyStatement;
  private readonly denyWrite: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: SecureModelRepositoryProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    checkRepositoryName(this, 'repositoryName', props.repositoryName);
    const untaggedDays = wholeDays(this, 'untaggedImageExpiration', props.untaggedImageExpiration ?? Duration.days(14), 1, 3650);
    const maxTagged = props.maxTaggedImages ?? 50;
    if (!Token.isUnresolved(maxTagged) && (!Number.isInteger(maxTagged) || maxTagged < 1 || maxTagged > 10_000)) {
      invalidProp(this, 'maxTaggedImages', maxTagged, 'Give a whole number of images between 1 and 10000.');
    }
    nonEmptyList(this, 'pullPrincipalArns', props.pullPrincipalArns, 'Name at least one role ARN, or leave the prop out.');
    nonEmptyList(this, 'pushPrincipalArns', props.pushPrincipalArns, 'Name at least one publisher role ARN, or leave the prop out.');
    nonEmptyList(this, 'pullAccountIds', props.pullAccountIds, 'Name at least one 12-digit account ID, or leave the prop out.');
    this.validatePrincipalArns('pullPrincipalArns', props.pullPrincipalArns);
    this.validatePrincipalArns('pushPrincipalArns', props.pushPrincipalArns);
    for (const account of props.pullAccountIds ?? []) {
      if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
        invalidProp(this, 'pullAccountIds', props.pullAccountIds, `"${account}" is not a 12-digit AWS account ID.`);
      }
    }
    if (props.pullOrganizationId !== undefined && !Token.isUnresolved(props.pullOrganizationId)
      && !/^o-[a-z0-9]{10,32}$/.test(props.pullOrganizationId)) {
      invalidProp(this, 'pullOrganizationId', props.pullOrganizationId, 'Give an AWS Organizations ID such as "o-a1b2c3d4e5".');
    }

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

    // Deny statements first: they hold whatever the allow statements and grants name.
    this.denyPull = new iam.PolicyStatement({
      sid: 'DenyPullExceptNamedPrincipals',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: PULL_ACTIONS,
      conditions: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    this.denyWrite = new iam.PolicyStatement({
      sid: 'DenyPushExceptPublishers',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: WRITE_ACTIONS,
      conditions: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    this.repository.addToResourcePolicy(this.denyPull);
    this.repository.addToResourcePolicy(this.denyWrite);

    for (const arn of props.pullPrincipalArns ?? []) this.allowPull(arn);
    for (const arn of props.pushPrincipalArns ?? []) this.allowPush(arn);
    for (const account of props.pullAccountIds ?? []) this.allowPullAccount(account);
    if (props.pullOrganizationId) {
      this.pullOrg = props.pullOrganizationId;
      this.repository.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowPullByOrganization',
        principals: [new iam.AnyPrincipal()],
        actions: PULL_ACTIONS,
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.pullOrganizationId } },
      }));
      acknowledge(this.repository, [{ id: 'AwsSolutions-ECR1', source: FindingSource.CDK_NAG }], ORGANIZATION_REASON);
    }
    this.updateDenyConditions();

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
    const named = this.nameOf(grantee);
    if (named.account) this.allowPullAccount(named.account, false);
    else this.pullArns.push(named.arn!);
    this.updateDenyConditions();
    return this.repository.grantPull(this.intoManagedPolicy(grantee));
  }

  /**
   * Lets `grantee` push images: the push actions on this repository, `ecr:GetAuthorizationToken`,
   * and its ARN is added to the publishers the repository policy does not deny.
   * It grants no delete: the lifecycle policy expires old images.
   *
   * @param grantee a publisher role or user
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    const named = this.nameOf(grantee);
    if (!named.arn) invalidProp(this, 'grantee', grantee.grantPrincipal.toString(), 'Push can be granted to a role or user only, not to a whole account.');
    this.pushArns.push(named.arn);
    this.updateDenyConditions();
    return this.repository.grantPush(this.intoManagedPolicy(grantee));
  }

  /**
   * The grantee, with its identity-policy statements routed to a customer-managed policy of this
   * construct attached to it (a role, user or group of the app, imported ones included), not to
   * an inline default policy (HIPAA/NIST/PCI IAMNoInlinePolicy). Other principals are returned
   * as they are: their grants go to the repository policy.
   */
  private intoManagedPolicy(grantee: iam.IGrantable): iam.IGrantable {
    const principal = grantee.grantPrincipal;
    if (!isIdentity(principal)) return grantee;
    const id = `GrantsTo${Names.uniqueId(principal)}`;
    const policy = () => {
      const existing = this.node.tryFindChild(id) as iam.ManagedPolicy | undefined;
      if (existing) return existing;
      const created = new iam.ManagedPolicy(this, id, { description: `Image pulls and pushes of ${this.node.path} granted to ${principal.node.path}` });
      // Attached from the policy side (its Roles/Users/Groups): the repository policy names the
      // grantee's ARN, so a ManagedPolicyArns entry on a created role would close a cycle.
      const target = principal as unknown as Record<string, unknown>;
      if (typeof target.roleArn === 'string') created.attachToRole(principal as unknown as iam.IRole);
      else if (typeof target.userArn === 'string') created.attachToUser(principal as unknown as iam.IUser);
      else if (typeof target.groupArn === 'string') created.attachToGroup(principal as unknown as iam.IGroup);
      else principal.addManagedPolicy(created);
      acknowledge(created, [{ id: 'AwsSolutions-IAM5[Resource::*]', source: FindingSource.CDK_NAG }], TOKEN_REASON);
      return created;
    };
    return { grantPrincipal: new ManagedPolicyPrincipal(principal, policy) };
  }

  private allowPull(arn: string): void {
    this.pullArns.push(arn);
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowPull${this.pullArns.length}`,
      principals: [new iam.ArnPrincipal(arn)],
      actions: PULL_ACTIONS,
    }));
  }

  private allowPush(arn: string): void {
    this.pushArns.push(arn);
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowPush${this.pushArns.length}`,
      principals: [new iam.ArnPrincipal(arn)],
      actions: PUSH_ACTIONS,
    }));
  }

  private allowPullAccount(account: string, addStatement = true): void {
    this.pullAccounts.push(account);
    if (!addStatement) return;
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowPullAccount${this.pullAccounts.length}`,
      principals: [new iam.AccountPrincipal(account)],
      actions: PULL_ACTIONS,
    }));
  }

  /** Rewrites the exemptions of the two deny statements from the current lists. */
  private updateDenyConditions(): void {
    const stack = Stack.of(this);
    const serviceLinkedRoles = `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/*`;
    this.denyPull.addCondition('ArnNotLike', { 'aws:PrincipalArn': unique([...this.pullArns, ...this.pushArns, serviceLinkedRoles]) });
    if (this.pullAccounts.length > 0) this.denyPull.addCondition('StringNotEquals', { 'aws:PrincipalAccount': unique(this.pullAccounts) });
    if (this.pullOrg) this.denyPull.addCondition('StringNotEqualsIfExists', { 'aws:PrincipalOrgID': this.pullOrg });
    this.denyWrite.addCondition('ArnNotLike', { 'aws:PrincipalArn': unique([...this.pushArns, serviceLinkedRoles]) });
  }

  private nameOf(grantee: iam.IGrantable): { arn?: string; account?: string } {
    const principal = grantee.grantPrincipal as unknown as Record<string, unknown>;
    if (typeof principal.roleArn === 'string') return { arn: principal.roleArn };
    if (typeof principal.userArn === 'string') return { arn: principal.userArn };
    if (principal instanceof iam.AccountPrincipal) return { account: principal.accountId }; // before ArnPrincipal: a subclass
    if (principal instanceof iam.ArnPrincipal) return { arn: principal.arn };
    return invalidProp(this, 'grantee', grantee.grantPrincipal.toString(),
      'Grant to a role, a user, an ArnPrincipal or an AccountPrincipal: the repository policy names who may pull or push.');
  }

  private validatePrincipalArns(prop: string, arns: string[] | undefined): void {
    for (const arn of arns ?? []) {
      if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(arn)) {
        invalidProp(this, prop, arns, `"${arn}" is not an IAM principal ARN such as "arn:aws:iam::111122223333:role/ImagePipeline".`);
      }
    }
  }
}

/** A role, user or group of the app: something a customer-managed policy can be attached to. */
function isIdentity(principal: iam.IPrincipal): principal is iam.IIdentity {
  return Construct.isConstruct(principal) && typeof (principal as Partial<iam.IIdentity>).addManagedPolicy === 'function';
}

const TOKEN_REASON = 'ecr:GetAuthorizationToken supports no resource-level permission (it returns a registry token); image pulls and pushes are limited to this repository by the other statement.';

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

const ORGANIZATION_REASON =
  'The pull statement names Principal "*" only together with an aws:PrincipalOrgID condition, which limits it to the principals of the named AWS organization (the documented way to share a repository with an organization); push stays limited to named publishers.';
