import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { AiSecurityMonitoringProps } from './ai-security-monitoring';
import { invalidProp } from '../private/errors';

/** Props that configure the construct's own trail: meaningless with `createTrail: false`. */
const TRAIL_PROPS: (keyof AiSecurityMonitoringProps)[] = [
  'trainingBuckets', 'encryptionKey', 'trailName', 'logRetention', 'trailObjectLockMode', 'trailObjectLockRetention',
];

/** Rejects combinations of the bring-your-own props that cannot mean what they say. */
export function checkAdoptionProps(scope: IConstruct, props: AiSecurityMonitoringProps, createTrail: boolean): void {
  if (!createTrail) {
    for (const prop of TRAIL_PROPS) {
      if (props[prop] !== undefined) {
        invalidProp(scope, prop, props[prop], `\`${prop}\` configures the construct's own trail, and \`createTrail\` is false: configure the existing trail instead, or leave \`${prop}\` out.`);
      }
    }
  }
  if (createTrail && props.trailLogGroup !== undefined) {
    invalidProp(scope, 'trailLogGroup', props.trailLogGroup.node.path,
      'The construct creates its own trail and log group: give `trailLogGroup` only with `createTrail: false` (an existing trail\'s log group).');
  }
  if (props.trailLogGroup) {
    // AWS::Logs::MetricFilter names its log group (LogGroupName), so the filter and the log group share an account and Region.
    const stack = Stack.of(scope);
    const env = props.trailLogGroup.env;
    for (const [what, theirs, ours] of [['account', env.account, stack.account], ['Region', env.region, stack.region]]) {
      if (!Token.isUnresolved(theirs) && !Token.isUnresolved(ours) && theirs !== ours) {
        invalidProp(scope, 'trailLogGroup', props.trailLogGroup.node.path,
          `The log group is in ${what} ${theirs}, this stack in ${ours}: a metric filter reads only a log group of its own account and Region. Create the monitoring where the log group is, or leave \`trailLogGroup\` out.`);
      }
    }
  }
}
