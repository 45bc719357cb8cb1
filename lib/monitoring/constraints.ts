import { Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { constraints, DeployConstraint, violates, violationMessage } from '../private/deploy-constraint';

const CREATE_TRAIL = 'CloudTrail API reference, CreateTrail, Name';
const METRIC_FILTER = 'CloudWatch Logs API reference, PutMetricFilter / MetricFilter';

/** Deploy-time constraints of the monitoring resources the library checks (docs/deploy-constraints/monitoring-storage.md). */
export const MONITORING_CONSTRAINTS = constraints({
  trailNameCharacters: {
    id: 'CT-1',
    rule: 'a trail name has only ASCII letters, digits, periods, underscores and dashes, and starts and ends with a letter or digit',
    source: CREATE_TRAIL,
  },
  trailNameLength: { id: 'CT-2', rule: 'a trail name is 3 to 128 characters long', source: CREATE_TRAIL },
  trailNameAdjacent: { id: 'CT-3', rule: 'a trail name has no adjacent periods, underscores or dashes', source: CREATE_TRAIL },
  trailNameIpAddress: { id: 'CT-4', rule: 'a trail name is not in IP address format', source: CREATE_TRAIL },
  filterPatternLength: { id: 'LOGS-3', rule: 'a metric filter pattern is at most 1024 characters', source: METRIC_FILTER },
  filtersPerLogGroup: { id: 'LOGS-4', rule: 'a log group has at most 100 metric filters', source: METRIC_FILTER },
});

/** Checks a trail name against CreateTrail's rules. */
export function checkTrailName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const fail = (c: DeployConstraint) => violates(scope, prop, name, c, 'Choose another trail name, or leave the prop out for a generated one.');
  if (name.length < 3 || name.length > 128) fail(MONITORING_CONSTRAINTS.trailNameLength);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$/.test(name)) fail(MONITORING_CONSTRAINTS.trailNameCharacters);
  if (/[._-]{2}/.test(name)) fail(MONITORING_CONSTRAINTS.trailNameAdjacent);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) fail(MONITORING_CONSTRAINTS.trailNameIpAddress);
}

/** Checks a metric filter pattern's length (PutMetricFilter). */
export function checkFilterPattern(scope: IConstruct, prop: string, pattern: string): void {
  if (Token.isUnresolved(pattern)) return;
  if (pattern.length > 1024) {
    violates(scope, prop, `${pattern.length} characters`, MONITORING_CONSTRAINTS.filterPatternLength, 'Split the pattern into several metric filters.');
  }
}

/**
 * Adds a synthesis-time check that the log group has at most 100 metric filters in its stack,
 * including the ones other code adds to it later.
 */
export function limitFiltersPerLogGroup(logGroup: logs.ILogGroup): void {
  logGroup.node.addValidation({
    validate: () => {
      const stack = Stack.of(logGroup);
      const name = stack.resolve(logGroup.logGroupName);
      const filters = stack.node.findAll().filter((c) => c instanceof logs.CfnMetricFilter
        && JSON.stringify(stack.resolve((c as logs.CfnMetricFilter).logGroupName)) === JSON.stringify(name));
      return filters.length > 100
        ? [violationMessage(MONITORING_CONSTRAINTS.filtersPerLogGroup, `${logGroup.node.path} has ${filters.length} metric filters: move some to another log group.`)]
        : [];
    },
  });
}
