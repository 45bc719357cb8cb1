import * as fs from 'fs';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AiServiceEndpoint, NetworkStage, NetworkTier, PrivateInferenceEndpoint, SegmentedAiVpc } from '../../lib';
import { ARCHITECTURE_SVG, buildModel, loadTemplates, renderSvg, StackTemplate } from '../../scripts/diagram';
import { CDK_JSON_CONTEXT } from '../support/app';
import { synthesizeExampleApp } from '../support/example-synth';

const FIX = 'docs/architecture.svg is stale: run `npx projen docs` and commit the result';

describe('docs/architecture.svg', () => {
  let stacks: StackTemplate[];

  beforeAll(async () => {
    // `npx cdk synth -q`: the example app as a reviewer synthesizes it (shared with the main-job test)
    const { status, stderr, outdir } = await synthesizeExampleApp();
    if (status !== 0) throw new Error(`cdk synth failed: ${stderr}`);
    stacks = loadTemplates(outdir);
  }, 300_000);

  test('is generated from the synthesized example app and up to date', () => {
    const committed = fs.existsSync(ARCHITECTURE_SVG) ? fs.readFileSync(ARCHITECTURE_SVG, 'utf8') : '';
    const current = renderSvg(buildModel(stacks));
    expect(committed === current ? 'up to date' : FIX).toBe('up to date');
  });

  test('draws every subnet of the detailed VPC under the tier its aws-cdk:subnet-name tag names', () => {
    const model = buildModel(stacks);
    expect(model.network).toBeDefined();
    const vpcStack = stacks.find((s) => s.stackName === model.network!.stackName)!;
    const subnets = Object.values(vpcStack.resources).filter((r) => r.Type === 'AWS::EC2::Subnet');
    expect(subnets.length).toBeGreaterThan(0);
    for (const subnet of subnets) {
      const tier = subnet.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-name').Value;
      expect(model.network!.tiers.find((t) => t.name === tier)?.subnets.map((s) => s.cidr)).toContain(subnet.Properties.CidrBlock);
    }
    // every VPC of the app is a listed stage
    const vpcs = stacks.flatMap((s) => Object.values(s.resources).filter((r) => r.Type === 'AWS::EC2::VPC'));
    expect(model.stages.map((s) => s.cidr).sort()).toEqual(vpcs.map((v) => v.Properties.CidrBlock).sort());
  });

  test('the request path carries the controls found in the templates', () => {
    const model = buildModel(stacks);
    const labels = model.requestPath.flatMap((s) => s.controls.map((c) => c.label));
    const acl = stacks.flatMap((s) => Object.values(s.resources)).find((r) => r.Type === 'AWS::WAFv2::WebACL')!;
    const rate = acl.Properties.Rules.find((r: any) => r.Statement.RateBasedStatement).Statement.RateBasedStatement;
    expect(labels).toContain(`WAF rate rule: ${rate.Limit} req / ${rate.EvaluationWindowSec / 60} min per IP`);
    expect(labels).toContain('auth: IAM (SigV4)');
    expect(labels).toContain('request validator: JSON schema');
    expect(labels).toContain('API policy: deny unless aws:SourceVpce');
    expect(labels).toContain('model network isolation');
    expect(model.requestPath.map((s) => s.title)).toEqual([
      'Client', 'VPC endpoint: execute-api', 'API Gateway REST API', 'SageMaker Runtime', 'SageMaker endpoint',
    ]);
    expect(model.capture?.controls.map((c) => c.label)).toContain('capture: customer KMS key');
  });

  test('a changed control changes the picture (the SVG is derived, not written)', () => {
    const before = renderSvg(buildModel(stacks));
    const changed: StackTemplate[] = JSON.parse(JSON.stringify(stacks));
    // every stage's web ACL: the picture details one stage, whichever it is
    const acls = changed.flatMap((s) => Object.values(s.resources)).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
    expect(acls.length).toBeGreaterThan(0);
    for (const acl of acls) acl.Properties.Rules.find((r: any) => r.Statement.RateBasedStatement).Statement.RateBasedStatement.Limit = 4242;
    const after = renderSvg(buildModel(changed));
    expect(after).not.toEqual(before);
    expect(after).toContain('WAF rate rule: 4242 req');
  });
});

describe('the generator on other shapes of app', () => {
  test('a stage set (dev/test/prod in nested assemblies): prod in detail, the others listed', () => {
    const app = new App({ context: CDK_JSON_CONTEXT });
    for (const stage of [NetworkStage.DEV, NetworkStage.TEST, NetworkStage.PROD]) {
      const s = new Stage(app, `Platform-${stage}`);
      new SegmentedAiVpc(new Stack(s, 'Network'), 'Network', { stage, interfaceEndpoints: [] });
    }
    const assembly = app.synth({ validateOnSynthesis: false });
    const model = buildModel(loadTemplates(assembly.directory));
    expect(model.stages.map((s) => s.stage).sort()).toEqual(['dev', 'prod', 'test']);
    expect(model.detailStage).toBe('prod');
    expect(model.network?.cidr).toBe(SegmentedAiVpc.stageCidr(NetworkStage.PROD));
    expect(model.network?.tiers.map((t) => t.name)).toEqual(['Training', 'Inference', 'Endpoints']);
    const svg = renderSvg(model);
    expect(svg).toContain('Listed: dev: the same tiers; test: the same tiers.');
    expect(svg).toContain('No API Gateway REST API');
  });

  test('a platform per stage with cross-stack references: the prod endpoint is placed in its inference tier', () => {
    const app = new App({ context: CDK_JSON_CONTEXT });
    for (const stage of [NetworkStage.DEV, NetworkStage.PROD]) {
      const s = new Stage(app, `Platform-${stage}`);
      const network = new SegmentedAiVpc(new Stack(s, 'Network'), 'Network', {
        stage,
        interfaceEndpoints: [AiServiceEndpoint.EXECUTE_API, AiServiceEndpoint.SAGEMAKER_RUNTIME],
      });
      const inference = new Stack(s, 'Inference');
      new PrivateInferenceEndpoint(inference, 'Model', {
        vpc: network.vpc,
        vpcSubnets: network.subnetsOf(NetworkTier.INFERENCE),
        imageRepository: ecr.Repository.fromRepositoryName(inference, 'Images', 'models/m'),
        imageTagOrDigest: '1.0.0',
        modelDataBucket: s3.Bucket.fromBucketAttributes(inference, 'Artifacts', {
          bucketName: 'artifacts',
          encryptionKey: kms.Key.fromKeyArn(inference, 'ArtifactsKey', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
        }),
        modelDataKey: 'model.tar.gz',
        apiVpcEndpoints: [network.interfaceEndpoint(AiServiceEndpoint.EXECUTE_API)!],
      });
    }
    const model = buildModel(loadTemplates(app.synth({ validateOnSynthesis: false }).directory));
    expect(model.detailStage).toBe('prod');
    const steps = Object.fromEntries(model.requestPath.map((s) => [s.title, s]));
    expect(steps['SageMaker endpoint'].tier).toBe('Inference');
    expect(steps['VPC endpoint: execute-api'].tier).toBe('Endpoints');
    expect(steps['VPC endpoint: execute-api'].controls.map((c) => c.label)).toContain('execute-api endpoint (Platform-prod-Network)');
    expect(model.network?.tiers.find((t) => t.name === 'Endpoints')?.interfaceEndpoints).toEqual(['SageMaker Runtime', 'execute-api']);
    expect(renderSvg(model)).toContain('request path step 5: SageMaker endpoint');
  });

  test('an app without VPC or API renders without failing', () => {
    const svg = renderSvg(buildModel([{ stackName: 'Empty', resources: {}, outputs: {} }]));
    expect(svg).toContain('No VPC in the synthesized stacks.');
    expect(svg.startsWith('<svg')).toBe(true);
  });
});
