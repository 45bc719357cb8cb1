import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A principal whose identity-policy statements go to a customer-managed policy (created on first
 * use by `policy`), not to an inline default policy (HIPAA/NIST/PCI IAMNoInlinePolicy). Everything
 * else — policy fragment, account, assume-role action — is the wrapped principal's.
 */
export class ManagedPolicyPrincipal extends iam.PrincipalBase {
  public readonly principalAccount: string | undefined;
  public readonly assumeRoleAction: string;
  constructor(private readonly inner: iam.IPrincipal, private readonly policy: () => iam.ManagedPolicy) {
    super();
    this.principalAccount = inner.principalAccount;
    this.assumeRoleAction = inner.assumeRoleAction;
  }
  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.inner.policyFragment;
  }
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const policy = this.policy();
    policy.addStatements(statement);
    return { statementAdded: true, policyDependable: policy };
  }
  public toString(): string {
    return this.inner.toString();
  }
  public dedupeString(): string | undefined {
    return undefined;
  }
}
