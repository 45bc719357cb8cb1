import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A role whose grants (`addToPrincipalPolicy`, used by every `grant*` method of the CDK) go to a
 * customer-managed policy instead of an inline default policy (HIPAA/NIST/PCI IAMNoInlinePolicy).
 */
export class ManagedPoliciesOnlyRole extends iam.Role {
  private grantsPolicy?: iam.ManagedPolicy;

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.grantsPolicy) {
      this.grantsPolicy = new iam.ManagedPolicy(this, 'GrantsPolicy', {
        description: `Permissions granted to ${this.node.path} after creation`,
        roles: [this],
      });
    }
    this.grantsPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.grantsPolicy };
  }
}

/** A role, user or group of the app: something a customer-managed policy can be attached to. */
export function isIdentity(principal: iam.IPrincipal): principal is iam.IIdentity {
  return Construct.isConstruct(principal) && typeof (principal as Partial<iam.IIdentity>).addManagedPolicy === 'function';
}
