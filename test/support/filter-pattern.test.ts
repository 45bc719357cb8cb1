import { matchesFilterPattern } from './filter-pattern';

/** Canaries: the evaluator must reject as readily as it accepts. */
describe('CloudWatch Logs filter pattern evaluator canaries', () => {
  const record = {
    eventSource: 'iam.amazonaws.com',
    eventName: 'PutRolePolicy',
    errorCode: 'AccessDenied',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Dev/alice' },
    readOnly: false,
  };

  test.each<[string, string, boolean]>([
    ['bare equality', '{ $.eventName = PutRolePolicy }', true],
    ['quoted equality', '{ $.eventName = "PutRolePolicy" }', true],
    ['inequality of values', '{ $.eventName = DeleteRolePolicy }', false],
    ['values are whole, not substrings', '{ $.eventName = PutRole }', false],
    ['trailing wildcard', '{ $.errorCode = "AccessDenied*" }', true],
    ['leading wildcard', '{ $.errorCode = "*UnauthorizedOperation" }', false],
    ['nested field', '{ $.userIdentity.type = AssumedRole }', true],
    ['absent field never equals', '{ $.requestParameters.bucketName = "*" }', false],
    ['!= on a present, different value', '{ $.eventName != GetRole }', true],
    ['!= on an absent field', '{ $.missing != x }', false],
    ['booleans compare as text', '{ $.readOnly = false }', true],
    ['&& needs both', '{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateRole) }', false],
    ['|| needs one', '{ ($.eventName = CreateRole) || ($.eventName = PutRolePolicy) }', true],
    ['|| of none', '{ ($.eventName = CreateRole) || ($.eventName = DeleteRole) }', false],
    ['nested groups', '{ ($.eventSource = iam.amazonaws.com) && (($.eventName = CreateRole) || ($.eventName = PutRolePolicy)) }', true],
    ['nested groups, outer fails', '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = CreateRole) || ($.eventName = PutRolePolicy)) }', false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesFilterPattern(pattern, record)).toBe(expected);
  });

  test.each([
    ['mixed && and || without parentheses', '{ $.a = 1 && $.b = 2 || $.c = 3 }'],
    ['a numeric comparison', '{ $.count > 1 }'],
    ['no braces', '$.eventName = PutRolePolicy'],
    ['an array index', '{ $.resources[0].ARN = x }'],
    ['trailing text', '{ $.a = b } x'],
  ])('rejects %s', (_name, pattern) => {
    expect(() => matchesFilterPattern(pattern, record)).toThrow(/filter pattern/);
  });
});
