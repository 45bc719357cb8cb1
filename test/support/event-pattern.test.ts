import { matchesEventPattern } from './event-pattern';

/** Canaries: the evaluator must say no as readily as yes, or every pattern test is worthless. */
describe('EventBridge pattern evaluator canaries', () => {
  const event = {
    'source': 'aws.guardduty',
    'detail-type': 'GuardDuty Finding',
    'detail': {
      severity: 7,
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      tags: ['a', 'b'],
      counts: { HIGH: 2 },
      findings: [{ Severity: { Label: 'LOW' } }, { Severity: { Label: 'HIGH' } }],
      nothing: null,
    },
  };

  test.each<[string, unknown, boolean]>([
    ['exact strings match', { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] }, true],
    ['a different exact string does not', { source: ['aws.securityhub'] }, false],
    ['any of several values', { source: ['aws.ecr', 'aws.guardduty'] }, true],
    ['a missing field does not match', { detail: { region: ['us-east-1'] } }, false],
    ['a nested pattern on a missing object does not match', { detail: { service: { action: ['x'] } } }, false],
    ['numeric >= at the boundary', { detail: { severity: [{ numeric: ['>=', 7] }] } }, true],
    ['numeric > at the boundary', { detail: { severity: [{ numeric: ['>', 7] }] } }, false],
    ['numeric range inside', { detail: { severity: [{ numeric: ['>', 4, '<=', 7] }] } }, true],
    ['numeric range outside', { detail: { severity: [{ numeric: ['>', 7, '<', 9] }] } }, false],
    ['numeric does not match a string', { detail: { type: [{ numeric: ['>', 0] }] } }, false],
    ['exact number', { detail: { severity: [7] } }, true],
    ['a number does not equal its string', { detail: { severity: ['7'] } }, false],
    ['prefix', { detail: { type: [{ prefix: 'UnauthorizedAccess:' }] } }, true],
    ['prefix mismatch', { detail: { type: [{ prefix: 'Recon:' }] } }, false],
    ['anything-but excludes', { source: [{ 'anything-but': ['aws.guardduty'] }] }, false],
    ['anything-but admits', { source: [{ 'anything-but': 'aws.ecr' }] }, true],
    ['exists true', { detail: { counts: { HIGH: [{ exists: true }] } } }, true],
    ['exists false on a present field', { detail: { counts: { HIGH: [{ exists: false }] } } }, false],
    ['exists false on an absent field', { detail: { counts: { CRITICAL: [{ exists: false }] } } }, true],
    ['null matches null', { detail: { nothing: [null] } }, true],
    ['an event array matches if any element does', { detail: { tags: ['b'] } }, true],
    ['an event array with no matching element', { detail: { tags: ['c'] } }, false],
    ['array of objects: one element matches', { detail: { findings: { Severity: { Label: ['HIGH'] } } } }, true],
    ['array of objects: none matches', { detail: { findings: { Severity: { Label: ['CRITICAL'] } } } }, false],
    ['$or: second alternative', { detail: { counts: { $or: [{ CRITICAL: [{ numeric: ['>', 0] }] }, { HIGH: [{ numeric: ['>', 0] }] }] } } }, true],
    ['$or: no alternative', { detail: { counts: { $or: [{ CRITICAL: [{ numeric: ['>', 0] }] }, { MEDIUM: [{ numeric: ['>', 0] }] }] } } }, false],
    ['every field must match', { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['<', 4] }] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  test.each<[string, unknown]>([
    ['a leaf that is not an array', { source: 'aws.guardduty' }],
    ['an unknown operator', { source: [{ wildcard: 'aws.*' }] }],
    ['a malformed numeric', { detail: { severity: [{ numeric: ['>>', 1] }] } }],
    ['an empty matcher list', { source: [] }],
    ['a one-armed $or', { $or: [{ source: ['aws.ecr'] }] }],
  ])('rejects %s instead of guessing', (_name, pattern) => {
    expect(() => matchesEventPattern(pattern, event)).toThrow();
  });
});
