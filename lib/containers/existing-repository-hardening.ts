import { Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { intoManagedPolicy, RepositoryAccessPolicy, validateRepositoryAccess } from './repository-access';
import { invalidProp } from '../private/errors';

/**
 * Properties of an ExistingRepositoryHardening: the repository, and who may pull and push (the
 * same access props as SecureModelRepository).
 */
export interface ExistingRepositoryHardeningProps {
  /**
   * The existing repository, e.g. `ecr.Repository.fromRepositoryName(this, 'Images', 'ml/inference')`.
   * It must be in the stack's account and Region, and not created by this app (use
   * SecureModelRepository for a new repository).
   */
  readonly repository: ecr.IRepository;

  /**
   * IAM role or user ARNs, in this or another account, that may pull images. The repository
   * policy (`repositoryPolicy`) allows them and denies pulling to every other IAM principal except
   * `pullAccountIds`, `pullOrganizationId` and AWS service-linked roles. Add more with `grantPull`.
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
   * IAM role ARNs of the publishers that may push images; pushing and deleting images is denied
   * to every other IAM principal. Add more with `grantPush`.
   *
   * @default - no publisher is named here
   */
  readonly pushPrincipalArns?: string[];

  /**
   * Turn on ENHANCED continuous scanning (Amazon Inspector) for this repository: the one setting
   * of the hardening that CloudFormation can write for a repository it does not own.
   *
   * ACCOUNT-WIDE: this writes the registry scanning configuration of the account and Region
   * (`AWS::ECR::RegistryScanningConfiguration`), replacing any configuration another stack or a
   * person set, and Amazon Inspector charges per image scanned. Enable it in one stack per
   * account and Region at most.
   *
   * @default false - the repository's own scan settings are left as they are
   */
  readonly enableEnhancedScanning?: boolean;
}

/**
 * What SecureModelRepository's hardening can reach of an existing ECR repository that
 * CloudFormation does not own — created by hand, by another tool or by another team. Create it
 * with `SecureModelRepository.hardenExisting`.
 *
 * CloudFormation has no resource type that changes a repository it did not create: the
 * repository policy, tag immutability, lifecycle policy and scan-on-push setting are properties of
 * `AWS::ECR::Repository`, which only the stack that created (or imported) the repository sets,
 * and a repository's encryption cannot be changed after it is created at all (ECR User Guide,
 * "Editing a private repository"). This construct therefore:
 * - writes what CloudFormation allows: the account's registry scanning configuration with a
 *   continuous ENHANCED rule filtered to this repository (`enableEnhancedScanning`);
 * - grants pulls and pushes to roles and users through customer-managed policies, as
 *   SecureModelRepository does;
 * - builds the repository policy SecureModelRepository would write (`repositoryPolicy`,
 *   `repositoryPolicyText`) for you to apply with
 *   `aws ecr set-repository-policy --repository-name <name> --policy-text <policy>`
 *   (`setRepositoryPolicyCommand` spells it out); it is NOT applied by deploying the stack.
 *
 * @example
 * const hardening = SecureModelRepository.hardenExisting(this, 'LegacyImages', {
 *   repository: ecr.Repository.fromRepositoryName(this, 'Legacy', 'ml/legacy-inference'),
 *   pushPrincipalArns: ['arn:aws:iam::111122223333:role/ImagePipeline'],
 *   enableEnhancedScanning: true,
 * });
 * hardening.grantPull(sageMakerExecutionRole);
 * new CfnOutput(this, 'LegacyImagesPolicy', { value: hardening.repositoryPolicyText });
 */
export class ExistingRepositoryHardening extends Construct {
  /** The existing repository. */
  public readonly repository: ecr.IRepository;
  /**
   * The repository policy SecureModelRepository would write for the same props and grants. Not
   * applied by CloudFormation: apply it with `aws ecr set-repository-policy`.
   */
  public readonly repositoryPolicy: iam.PolicyDocument;
  /** The account-wide registry scanning configuration, when `enableEnhancedScanning` is set. */
  public readonly registryScanningConfiguration?: ecr.CfnRegistryScanningConfiguration;

  private readonly access: RepositoryAccessPolicy;

  constructor(scope: Construct, id: string, props: ExistingRepositoryHardeningProps) {
    super(scope, id);
    const repository = props.repository;
    if (repository === undefined || repository === null) {
      invalidProp(this, 'repository', repository, 'Give the existing repository, e.g. ecr.Repository.fromRepositoryName(this, \'Images\', \'ml/inference\').');
    }
    if (repository.node.defaultChild instanceof ecr.CfnRepository) {
      invalidProp(this, 'repository', repository.node.path,
        'This repository is created by this app: create it as a SecureModelRepository instead, which sets every setting in CloudFormation.');
    }
    const stack = Stack.of(this);
    for (const [what, theirs, ours] of [['account', repository.env.account, stack.account], ['Region', repository.env.region, stack.region]]) {
      if (Token.compareStrings(theirs, ours) === TokenComparison.DIFFERENT) {
        invalidProp(this, 'repository', repository.repositoryArn,
          `The repository is in ${what} ${theirs}, the stack in ${ours}: the registry scanning configuration and the grants' policies apply to the stack's own ${what}. Harden it from a stack in its ${what}.`);
      }
    }
    validateRepositoryAccess(this, props);
    this.repository = repository;

    this.repositoryPolicy = new iam.PolicyDocument();
    this.access = new RepositoryAccessPolicy(this, (statement) => this.repositoryPolicy.addStatements(statement), props);

    if (props.enableEnhancedScanning) {
      this.registryScanningConfiguration = new ecr.CfnRegistryScanningConfiguration(this, 'RegistryScanning', {
        scanType: 'ENHANCED',
        rules: [{
          scanFrequency: 'CONTINUOUS_SCAN',
          repositoryFilters: [{ filter: repository.repositoryName, filterType: 'WILDCARD' }],
        }],
      });
    }
  }

  /** `repositoryPolicy` as JSON (resolved at deployment, e.g. in a CfnOutput). */
  public get repositoryPolicyText(): string {
    return Stack.of(this).toJsonString(this.repositoryPolicy);
  }

  /** The AWS CLI command that applies `repositoryPolicy` to the repository (resolved at deployment, e.g. in a CfnOutput). */
  public get setRepositoryPolicyCommand(): string {
    return `aws ecr set-repository-policy --repository-name ${this.repository.repositoryName} --policy-text '${this.repositoryPolicyText}'`;
  }

  /**
   * Lets `grantee` pull images: the pull actions on the repository and `ecr:GetAuthorizationToken`
   * in a customer-managed policy attached to a role or user of the app (imported ones included),
   * and an allow statement plus an exemption from the pull deny in `repositoryPolicy` (which you
   * apply with `aws ecr set-repository-policy`).
   *
   * @param grantee a role or user (or an account principal)
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    this.access.addPullGrantee(grantee, true);
    return this.repository.grantPull(intoManagedPolicy(this, grantee));
  }

  /**
   * Lets `grantee` push images: the push actions and `ecr:GetAuthorizationToken` in a
   * customer-managed policy, and an allow statement plus an exemption from both denies in
   * `repositoryPolicy`. It grants no delete.
   *
   * @param grantee a publisher role or user
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    this.access.addPushGrantee(grantee, true);
    return this.repository.grantPush(intoManagedPolicy(this, grantee));
  }
}
