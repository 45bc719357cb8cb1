import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * Deploy-time constraints of the resource types the library creates, checked at synthesis.
 * Each check names the constraint ID of docs/deploy-constraints/network-identity-containers.md
 * and the documentation it comes from.
 */

/** Throws a SecureAiValidationError naming the constraint and its source. */
export function violates(scope: IConstruct, prop: string, value: unknown, constraint: string, source: string, fix: string): never {
  return invalidProp(scope, prop, value, `${fix} [${constraint}; ${source}]`);
}

/** C-IAM-1: IAM role name, 1-64 characters of [\w+=,.@-] (IAM API reference, CreateRole RoleName). */
export function checkRoleName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    violates(scope, prop, name, 'C-IAM-1', 'IAM API reference, CreateRole: RoleName',
      'An IAM role name has 1 to 64 characters: letters, digits and + = , . @ _ -.');
  }
}

/** C-ECR-1: ECR repository name (ECR API reference, CreateRepository repositoryName). */
export function checkRepositoryName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const pattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
  if (name.length < 2 || name.length > 256 || !pattern.test(name)) {
    violates(scope, prop, name, 'C-ECR-1', 'Amazon ECR API reference, CreateRepository: repositoryName',
      'A repository name has 2 to 256 characters: lowercase letters and digits, separated by single . _ - or / (namespaces), e.g. "ml/inference/sentiment".');
  }
}

/**
 * C-SG-1 / C-IAM-2 / C-IAM-6: a description CloudFormation accepts — at most `max` characters of
 * the allowed set. Text that already fits is returned unchanged (a changed security-group
 * description replaces the group).
 */
export function fitDescription(text: string, max: number, disallowed: RegExp): string {
  if (Token.isUnresolved(text)) return text;
  const clean = text.replace(disallowed, '_');
  return clean.length <= max ? clean : `${clean.slice(0, max - 3)}...`;
}

/** Characters EC2 refuses in a VPC security group description (C-SG-1). */
export const SECURITY_GROUP_DESCRIPTION_DISALLOWED = /[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g;
/** Characters IAM refuses in role and policy descriptions (C-IAM-2, C-IAM-6). */
export const IAM_DESCRIPTION_DISALLOWED = /[^\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]/g;

/**
 * The size IAM counts for a policy document: its JSON without whitespace, intrinsic functions
 * counted as written in the template (an ARN a `Ref` resolves to can be longer: the check is a
 * lower bound).
 */
export function policySize(scope: IConstruct, document: unknown): number {
  return JSON.stringify(Stack.of(scope).resolve(document)).replace(/\s/g, '').length;
}
