import { Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { invalidProp } from '../private/errors';
import { ManagedPolicyPrincipal } from '../private/managed-policy-principal';
import { nonEmptyList } from '../private/validate';

/** What pulling an image takes (`docker pull`, SageMaker model creation). */
export const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
/** What pushing an image takes (`docker push`). */
export const PUSH_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];
/** Writes that change what the repository serves: reserved to the publishers. */
export const WRITE_ACTIONS = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchDeleteImage'];

/** Who may pull and push (the props SecureModelRepository and its hardening of an existing repository share). */
export interface RepositoryAccessProps {
  readonly pullPrincipalArns?: string[];
  readonly pullAccountIds?: string[];
  readonly pullOrganizationId?: string;
  readonly pushPrincipalArns?: string[];
}

/** Checks the access props, naming the prop. */
export function validateRepositoryAccess(scope: Construct, props: RepositoryAccessProps): void {
  nonEmptyList(scope, 'pullPrincipalArns', props.pullPrincipalArns, 'Name at least one role ARN, or leave the prop out.');
  nonEmptyList(scope, 'pushPrincipalArns', props.pushPrincipalArns, 'Name at least one publisher role ARN, or leave the prop out.');
  nonEmptyList(scope, 'pullAccountIds', props.pullAccountIds, 'Name at least one 12-digit account ID, or leave the prop out.');
  validatePrincipalArns(scope, 'pullPrincipalArns', props.pullPrincipalArns);
  validatePrincipalArns(scope, 'pushPrincipalArns', props.pushPrincipalArns);
  for (const account of props.pullAccountIds ?? []) {
    if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      invalidProp(scope, 'pullAccountIds', props.pullAccountIds, `"${account}" is not a 12-digit AWS account ID.`);
    }
  }
  if (props.pullOrganizationId !== undefined && !Token.isUnresolved(props.pullOrganizationId)
    && !/^o-[a-z0-9]{10,32}$/.test(props.pullOrganizationId)) {
    invalidProp(scope, 'pullOrganizationId', props.pullOrganizationId, 'Give an AWS Organizations ID such as "o-a1b2c3d4e5".');
  }
}

function validatePrincipalArns(scope: Construct, prop: string, arns: string[] | undefined): void {
  for (const arn of arns ?? []) {
    if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(arn)) {
      invalidProp(scope, prop, arns, `"${arn}" is not an IAM principal ARN such as "arn:aws:iam::111122223333:role/ImagePipeline".`);
    }
  }
}

/**
 * The repository policy: two deny statements (pull, and push or delete) that hold every IAM
 * principal except the named ones and AWS service-linked roles, and an allow statement per named
 * principal, account or organization. Statements go to `add` (a repository's resource policy, or a
 * policy document for a repository CloudFormation does not own), in a fixed order.
 */
export class RepositoryAccessPolicy {
  private readonly pullArns: string[] = [];
  private readonly pushArns: string[] = [];
  private readonly pullAccounts: string[] = [];
  private readonly pullOrg?: string;
  private readonly denyPull: iam.PolicyStatement;
  private readonly denyWrite: iam.PolicyStatement;

  constructor(private readonly scope: Construct, private readonly add: (statement: iam.PolicyStatement) => void, props: RepositoryAccessProps) {
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
    add(this.denyPull);
    add(this.denyWrite);
    for (const arn of props.pullPrincipalArns ?? []) this.allowPull(arn);
    for (const arn of props.pushPrincipalArns ?? []) this.allowPush(arn);
    for (const account of props.pullAccountIds ?? []) this.allowPullAccount(account);
    if (props.pullOrganizationId) {
      this.pullOrg = props.pullOrganizationId;
      add(new iam.PolicyStatement({
        sid: 'AllowPullByOrganization',
        principals: [new iam.AnyPrincipal()],
        actions: PULL_ACTIONS,
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.pullOrganizationId } },
      }));
    }
    this.updateDenyConditions();
  }

  /**
   * Exempts a pull grantee from the pull deny (an account grantee as an account). With
   * `withStatement`, a role or user also gets an allow statement (what a repository CloudFormation
   * does not own needs for a grantee of another account: CDK cannot add it there).
   */
  public addPullGrantee(grantee: iam.IGrantable, withStatement = false): void {
    const named = this.nameOf(grantee);
    if (named.account) this.allowPullAccount(named.account, withStatement);
    else if (withStatement) this.allowPull(named.arn!);
    else this.pullArns.push(named.arn!);
    this.updateDenyConditions();
  }

  /** Exempts a push grantee (a role or user) from both denies; see `addPullGrantee` for `withStatement`. */
  public addPushGrantee(grantee: iam.IGrantable, withStatement = false): void {
    const named = this.nameOf(grantee);
    if (!named.arn) invalidProp(this.scope, 'grantee', grantee.grantPrincipal.toString(), 'Push can be granted to a role or user only, not to a whole account.');
    if (withStatement) this.allowPush(named.arn);
    else this.pushArns.push(named.arn);
    this.updateDenyConditions();
  }

  private allowPull(arn: string): void {
    this.pullArns.push(arn);
    this.add(new iam.PolicyStatement({
      sid: `AllowPull${this.pullArns.length}`,
      principals: [new iam.ArnPrincipal(arn)],
      actions: PULL_ACTIONS,
    }));
  }

  private allowPush(arn: string): void {
    this.pushArns.push(arn);
    this.add(new iam.PolicyStatement({
      sid: `AllowPush${this.pushArns.length}`,
      principals: [new iam.ArnPrincipal(arn)],
      actions: PUSH_ACTIONS,
    }));
  }

  private allowPullAccount(account: string, addStatement = true): void {
    this.pullAccounts.push(account);
    if (!addStatement) return;
    this.add(new iam.PolicyStatement({
      sid: `AllowPullAccount${this.pullAccounts.length}`,
      principals: [new iam.AccountPrincipal(account)],
      actions: PULL_ACTIONS,
    }));
  }

  /** Rewrites the exemptions of the two deny statements from the current lists. */
  private updateDenyConditions(): void {
    const stack = Stack.of(this.scope);
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
    return invalidProp(this.scope, 'grantee', grantee.grantPrincipal.toString(),
      'Grant to a role, a user, an ArnPrincipal or an AccountPrincipal: the repository policy names who may pull or push.');
  }
}

/**
 * The grantee, with its identity-policy statements routed to a customer-managed policy of `scope`
 * attached to it (a role, user or group of the app, imported ones included), not to an inline
 * default policy (HIPAA/NIST/PCI IAMNoInlinePolicy). Other principals are returned as they are:
 * their grants go to the repository policy.
 */
export function intoManagedPolicy(scope: Construct, grantee: iam.IGrantable): iam.IGrantable {
  const principal = grantee.grantPrincipal;
  if (!isIdentity(principal)) return grantee;
  const id = `GrantsTo${Names.uniqueId(principal)}`;
  const policy = () => {
    const existing = scope.node.tryFindChild(id) as iam.ManagedPolicy | undefined;
    if (existing) return existing;
    const created = new iam.ManagedPolicy(scope, id, { description: `Image pulls and pushes of ${scope.node.path} granted to ${principal.node.path}` });
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

/** A role, user or group of the app: something a customer-managed policy can be attached to. */
function isIdentity(principal: iam.IPrincipal): principal is iam.IIdentity {
  return Construct.isConstruct(principal) && typeof (principal as Partial<iam.IIdentity>).addManagedPolicy === 'function';
}

const TOKEN_REASON = 'ecr:GetAuthorizationToken supports no resource-level permission (it returns a registry token); image pulls and pushes are limited to this repository by the other statement.';

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
