import { Stack } from 'aws-cdk-lib';
import { createTestApp } from '../support/app';
import { PathEvaluator, templateOf } from '../support/paths';

/** A stack for a construct's path table (no compliance plugins: the path tables judge function). */
export function pathStack(id: string): Stack {
  return new Stack(createTestApp({ checks: false }), id);
}

/** The evaluator of a stack, synthesized once. */
export function evaluatorOf(stack: Stack): PathEvaluator {
  return new PathEvaluator(templateOf(stack));
}

/** An identity policy allowing actions on resources (for principals outside the template: an attacker's own rights). */
export function allow(actions: string | string[], resources: string | string[] = '*') {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}
