import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

export const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

export interface AcknowledgementFilter {
  /** Only constructs whose path this accepts. @default all */
  readonly include?: (constructPath: string) => boolean;
}

/**
 * Every acknowledgement recorded under `scope` (read after the constructs are built):
 * finding ID without its plugin namespace → reason. aws-cdk-lib's own acknowledgements of
 * CloudFormation schema rules are not the library's and are left out.
 */
export function acknowledgementsIn(scope: IConstruct, filter: AcknowledgementFilter = {}): Map<string, string> {
  const acknowledged = new Map<string, string>();
  for (const construct of scope.node.findAll()) {
    if (filter.include && !filter.include(construct.node.path)) continue;
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        if (id.startsWith('CloudFormation-Validate::')) continue;
        acknowledged.set(id.replace(/^[A-Za-z-]+::/, ''), reason);
      }
    }
  }
  return acknowledged;
}

/**
 * Fails unless every acknowledgement is listed in the README (its ID in backticks, or one of the
 * generic forms `listedAs` gives for IDs that embed logical IDs) together with its reason.
 */
export function expectListedInReadme(acknowledged: Map<string, string>, listedAs: (id: string) => string[] = (id) => [id]): void {
  expect(acknowledged.size).toBeGreaterThan(0);
  for (const [id, reason] of acknowledged) {
    const forms = [id, ...listedAs(id)];
    expect({ id, listed: forms.some((form) => README.includes(`\`${form}\``)) }).toEqual({ id, listed: true });
    expect({ id, reasonListed: README.includes(reason.split('(')[0].trim()) }).toEqual({ id, reasonListed: true });
  }
}
