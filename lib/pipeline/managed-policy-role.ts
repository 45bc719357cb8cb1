import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A role whose grants (`addToPrincipalPolicy`, which every `grant*` method of the CDK and CDK
 * Pipelines use) go to one customer-managed policy instead of an inline default policy
 * (HIPAA/NIST/PCI IAMNoInlinePolicy).
 */
export class ManagedPolicyRole extends iam.Role {
  private grantsPolicy?: iam.ManagedPolicy;

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.grantsPolicy) {
      this.grantsPolicy = new iam.ManagedPolicy(this, 'GrantsPolicy', {
        description: `Permissions granted to ${this.node.path}`,
        roles: [this],
      });
    }
    this.grantsPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.grantsPolicy };
  }
}
