/**
 * The benchmark's baseline: a plain aws-cdk-lib app with the same resources as the reference app,
 * and no library code and no checks.
 *
 *   BENCH_BASELINE_FROM=<cloud assembly dir of the reference app> node -r ts-node/register/transpile-only scripts/bench/baseline-app.ts
 *
 * It is NOT hand-written: it reads the reference app's synthesized templates and declares, per
 * stack, one `CfnResource` per resource with the same logical ID, type, properties, DependsOn,
 * policies and metadata (and the same outputs, parameters, conditions and mappings). So it is
 * the cheapest possible way to write those resources with aws-cdk-lib: what remains of the
 * reference app's synth time above it is the cost of the library's constructs (L2 constructs,
 * validation, grants, acknowledgements...) plus the checks. scripts/bench.ts checks that the
 * baseline's templates have the same Resources as the reference app's.
 */
import * as fs from 'fs';
import { App, CfnCondition, CfnMapping, CfnOutput, CfnParameter, CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import { assemblyStacks } from './inventory';

const from = process.env.BENCH_BASELINE_FROM;
if (!from) throw new Error('set BENCH_BASELINE_FROM to the cloud assembly directory of the reference app');

/** The sections the default stack synthesizer writes itself. */
const SYNTHESIZER_PARAMETERS = new Set(['BootstrapVersion']);
const SYNTHESIZER_RULES = new Set(['CheckBootstrapVersion']);
/** The template sections reproduced, in an order where conditions exist before what uses them. */
const SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Transform', 'Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Rules'];

const app = new App();
for (const { id, templateFile } of assemblyStacks(from)) {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  const stack = new Stack(app, id.replace(/[^A-Za-z0-9-]/g, '-'));
  const conditions = new Map<string, CfnCondition>();
  const unknown = Object.keys(template).filter((section) => !SECTIONS.includes(section));
  if (unknown.length) throw new Error(`${id}: template sections ${unknown.join(', ')} are not reproduced by the baseline app`);
  for (const section of SECTIONS.filter((x) => x in template)) {
    const body: any = template[section];
    switch (section) {
      case 'AWSTemplateFormatVersion':
        stack.templateOptions.templateFormatVersion = body;
        break;
      case 'Description':
        stack.templateOptions.description = body;
        break;
      case 'Metadata':
        stack.templateOptions.metadata = body;
        break;
      case 'Transform':
        for (const transform of [body].flat()) stack.addTransform(transform);
        break;
      case 'Resources':
        for (const [logicalId, r] of Object.entries<any>(body)) {
          const resource = new CfnResource(stack, logicalId, { type: r.Type, properties: r.Properties });
          resource.overrideLogicalId(logicalId);
          if (r.DependsOn) resource.addOverride('DependsOn', r.DependsOn);
          if (r.DeletionPolicy) resource.addOverride('DeletionPolicy', r.DeletionPolicy);
          if (r.UpdateReplacePolicy) resource.addOverride('UpdateReplacePolicy', r.UpdateReplacePolicy);
          if (r.Condition) resource.addOverride('Condition', r.Condition);
          for (const [key, value] of Object.entries(r.Metadata ?? {})) resource.addMetadata(key, value);
        }
        break;
      case 'Outputs':
        for (const [logicalId, o] of Object.entries<any>(body)) {
          const output = new CfnOutput(stack, logicalId, {
            value: o.Value, description: o.Description, exportName: o.Export?.Name, condition: o.Condition ? conditions.get(o.Condition) : undefined,
          });
          output.overrideLogicalId(logicalId);
        }
        break;
      case 'Parameters':
        for (const [logicalId, p] of Object.entries<any>(body)) {
          if (SYNTHESIZER_PARAMETERS.has(logicalId)) continue;
          new CfnParameter(stack, logicalId, {
            type: p.Type,
            default: p.Default,
            description: p.Description,
            allowedValues: p.AllowedValues,
            allowedPattern: p.AllowedPattern,
            constraintDescription: p.ConstraintDescription,
            minLength: p.MinLength,
            maxLength: p.MaxLength,
            minValue: p.MinValue,
            maxValue: p.MaxValue,
            noEcho: p.NoEcho,
          });
        }
        break;
      case 'Conditions':
        for (const [logicalId, expression] of Object.entries<any>(body)) {
          const condition = new CfnCondition(stack, logicalId, { expression: Lazy.any({ produce: () => expression }) });
          condition.overrideLogicalId(logicalId);
          conditions.set(logicalId, condition);
        }
        break;
      case 'Mappings':
        for (const [logicalId, mapping] of Object.entries<any>(body)) {
          new CfnMapping(stack, logicalId, { mapping }).overrideLogicalId(logicalId);
        }
        break;
      case 'Rules':
        for (const name of Object.keys(body)) {
          if (!SYNTHESIZER_RULES.has(name)) throw new Error(`${id}: rule ${name} is not reproduced by the baseline app`);
        }
        break;
    }
  }
}
app.synth();
