import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SecureAiValidationError } from '../../lib';
import { checkNumberRelation } from '../../lib/private/numbers';
import { checkNumber, wholeDays } from '../../lib/private/validate';

const between1And10 = (n: number) => (n >= 1 && n <= 10 ? undefined : 'Give a number between 1 and 10.');

function scope(): Construct {
  return new Construct(new Stack(new App(), 'Stack'), 'Thing');
}

describe('checkNumber', () => {
  test('a literal out of range is refused at once, naming the prop and the value', () => {
    expect(() => checkNumber(scope(), 'threshold', 11, between1And10)).toThrow(SecureAiValidationError);
    expect(() => checkNumber(scope(), 'threshold', 11, between1And10)).toThrow('Stack/Thing: invalid `threshold` (received 11). Give a number between 1 and 10.');
    expect(() => checkNumber(scope(), 'threshold', 5, between1And10)).not.toThrow();
  });

  test('a Lazy number is checked at synthesis with its resolved value', () => {
    const bad = scope();
    checkNumber(bad, 'threshold', Lazy.number({ produce: () => 42 }), between1And10); // no error yet: unknown until synthesis
    expect(() => App.of(bad)!.synth()).toThrow('Stack/Thing: invalid `threshold` (received 42). Give a number between 1 and 10.');
    const good = scope();
    checkNumber(good, 'threshold', Lazy.number({ produce: () => 7 }), between1And10);
    expect(() => App.of(good)!.synth()).not.toThrow();
  });

  test('a value known only at deployment (a parameter) is left to CloudFormation', () => {
    const s = scope();
    const parameter = new CfnParameter(Stack.of(s), 'Threshold', { type: 'Number' });
    checkNumber(s, 'threshold', parameter.valueAsNumber, between1And10);
    expect(() => App.of(s)!.synth()).not.toThrow();
  });

  test('a non-number is named as what it is, not reported as null', () => {
    expect(() => checkNumber(scope(), 'threshold', 'high' as any, between1And10)).toThrow('invalid `threshold` (received "high"). Give a number, not a string.');
    expect(() => checkNumber(scope(), 'threshold', NaN, between1And10)).toThrow('invalid `threshold` (received NaN). Give a number.');
    expect(() => checkNumber(scope(), 'threshold', null as any, between1And10)).toThrow('invalid `threshold` (received null). Give a number, not a null.');
  });
});

describe('wholeDays', () => {
  test('a literal duration: days returned, out of range refused', () => {
    expect(wholeDays(scope(), 'retention', Duration.days(30), 1, 365)).toBe(30);
    expect(() => wholeDays(scope(), 'retention', Duration.days(400), 1, 365)).toThrow('invalid `retention` (received 400 days). Give between 1 and 365 days.');
    expect(() => wholeDays(scope(), 'retention', Duration.hours(36), 1, 365)).toThrow('Give a whole number of days');
  });

  test('a Lazy duration in days keeps its value (was: silently replaced by the default) and is checked at synthesis', () => {
    const good = scope();
    const days = wholeDays(good, 'retention', Duration.days(Lazy.number({ produce: () => 90 })), 1, 365);
    expect(Stack.of(good).resolve(days)).toBe(90);
    expect(() => App.of(good)!.synth()).not.toThrow();
    const bad = scope();
    wholeDays(bad, 'retention', Duration.days(Lazy.number({ produce: () => 4000 })), 1, 365);
    expect(() => App.of(bad)!.synth()).toThrow('invalid `retention` (received 4000). Give between 1 and 365 days.');
  });

  test('a token duration in another unit cannot be converted to days: named error', () => {
    expect(() => wholeDays(scope(), 'retention', Duration.seconds(Lazy.number({ produce: () => 86_400 })), 1, 365))
      .toThrow(/invalid `retention`.*A duration from a token must be given in days/);
  });
});

describe('checkNumberRelation', () => {
  const atLeastRate = ([burst, rate]: number[]) => (burst < rate ? `The burst must be at least rate (${rate}).` : undefined);

  test('literals are checked at once, naming the first prop and its value', () => {
    expect(() => checkNumberRelation(scope(), 'burst', [5, 10], atLeastRate)).toThrow('Stack/Thing: invalid `burst` (received 5). The burst must be at least rate (10).');
    expect(() => checkNumberRelation(scope(), 'burst', [10, 10], atLeastRate)).not.toThrow();
  });

  test('a Lazy side is resolved and checked at synthesis', () => {
    const bad = scope();
    checkNumberRelation(bad, 'burst', [5, Lazy.number({ produce: () => 10 })], atLeastRate);
    expect(() => App.of(bad)!.synth()).toThrow('Stack/Thing: invalid `burst` (received 5). The burst must be at least rate (10).');
    const good = scope();
    checkNumberRelation(good, 'burst', [Lazy.number({ produce: () => 12 }), Lazy.number({ produce: () => 10 })], atLeastRate);
    expect(() => App.of(good)!.synth()).not.toThrow();
  });

  test('a side known only at deployment leaves the relation unchecked, even with a Lazy other side', () => {
    const s = scope();
    const rate = new CfnParameter(Stack.of(s), 'Rate', { type: 'Number' });
    checkNumberRelation(s, 'burst', [Lazy.number({ produce: () => 5 }), rate.valueAsNumber], atLeastRate);
    expect(() => App.of(s)!.synth()).not.toThrow();
  });
});
