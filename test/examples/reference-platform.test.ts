import { CfnElement } from 'aws-cdk-lib';
import { Template as AssertionTemplate } from 'aws-cdk-lib/assertions';
import { STAGES } from '../../examples/platform/config';
import { addReferencePlatform, MODEL_MONITORING_CONTEXT } from '../../examples/platform/platform';
import { AccessAnalysis, MonitoringFrequency, SegmentedAiVpc, SensitiveDataDiscovery } from '../../lib';
import { createTestApp } from '../support/app';
import { matchesEventPattern } from '../support/event-pattern';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';

type Template = { Resources: Record<string, { Type: string; Properties?: any }>; Outputs?: Record<string, { Value: unknown }> };

/**
 * The reference platform is wired as the README says: three stages that share nothing, whose
 * differences come from their configuration, and inside a stage the roles, the bucket, the
 * repository, the endpoint and the alarms are connected. (The checks run in main-job.test.ts.)
 */
describe('the reference platform', () => {
  const app = createTestApp({ checks: false });
  const stages = addReferencePlatform(app);
  const assembly = app.synth();
  const template = (stackName: string) => assembly.getStackByName(stackName).template as Template;
  const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

  /** Where a cross-stack reference points: the producing stack and the value it exports. */
  const producerOf = (ref: any): { stack: string; value: any } => {
    const { StackName: stack, OutputName: output } = ref['Fn::GetStackOutput'];
    return { stack, value: template(stack).Outputs![output].Value };
  };
  const referencesIn = (value: unknown): any[] => {
    const found: any[] = [];
    const walk = (v: any) => {
      if (v && typeof v === 'object') {
        if (v['Fn::GetStackOutput'] || v['Fn::ImportValue']) found.push(v);
        Object.values(v).forEach(walk);
      }
    };
    walk(value);
    return found;
  };

  test('three stages of four stacks each, named SecureAi-<stage>-<part>', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(
      STAGES.flatMap((c) => ['Network', 'Data', 'Operations', 'Inference'].map((p) => `SecureAi-${c.name}-${p}`)).sort());
  });

  test('each stage has its own VPC, in its own non-overlapping CIDR block', () => {
    const blocks = STAGES.map((c) => {
      const vpcs = ofType(template(`SecureAi-${c.name}-Network`), 'AWS::EC2::VPC');
      expect(vpcs).toHaveLength(1);
      const cidr = vpcs[0][1].Properties.CidrBlock as string;
      expect(cidr).toBe(SegmentedAiVpc.stageCidr(c.networkStage));
      return cidr;
    });
    const range = (cidr: string) => {
      const [ip, bits] = cidr.split('/');
      const start = ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
      return [start, start + 2 ** (32 - Number(bits)) - 1];
    };
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        const [a, b] = [range(blocks[i]), range(blocks[j])];
        expect({ pair: [blocks[i], blocks[j]], overlap: a[0] <= b[1] && b[0] <= a[1] }).toEqual({ pair: [blocks[i], blocks[j]], overlap: false });
      }
    }
  });

  test('no route and no reference between stages', () => {
    const routeTypes = ['AWS::EC2::VPCPeeringConnection', 'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::TransitGatewayVpcAttachment',
      'AWS::EC2::VPNGateway', 'AWS::EC2::VPNConnection', 'AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway'];
    for (const stack of assembly.stacks) {
      const stage = stack.stackName.split('-')[1];
      const t = stack.template as Template;
      expect({ stack: stack.stackName, routes: Object.values(t.Resources).filter((r) => routeTypes.includes(r.Type)).map((r) => r.Type) })
        .toEqual({ stack: stack.stackName, routes: [] });
      const foreign = referencesIn(t.Resources).filter((r) => !r['Fn::GetStackOutput'] || !r['Fn::GetStackOutput'].StackName.startsWith(`SecureAi-${stage}-`));
      expect({ stack: stack.stackName, foreign }).toEqual({ stack: stack.stackName, foreign: [] });
      expect(stack.dependencies.map((d) => d.id).filter((id) => !id.startsWith(`SecureAi-${stage}-`) && !id.endsWith('.assets'))).toEqual([]);
    }
  });

  test('stage differences come from the stage configuration', () => {
    for (const c of STAGES) {
      const data = template(`SecureAi-${c.name}-Data`);
      const dataStack = stages.find((s) => s.data.stackName === `SecureAi-${c.name}-Data`)!.data;
      const bucket = data.Resources[dataStack.getLogicalId(dataStack.data.bucket.node.defaultChild as CfnElement)];
      expect(bucket.Properties.ObjectLockEnabled).toBe(true);
      expect(bucket.Properties.ObjectLockConfiguration).toEqual(c.objectLock
        ? { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Days: c.objectLock.retention.toDays(), Mode: c.objectLock.mode } } }
        : undefined);
      expect(bucket.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration)
        .toEqual({ NoncurrentDays: c.noncurrentVersionExpiration.toDays() });
      const inference = template(`SecureAi-${c.name}-Inference`);
      const [[, endpointConfig]] = ofType(inference, 'AWS::SageMaker::EndpointConfig');
      expect(endpointConfig.Properties.ProductionVariants[0]).toEqual(expect.objectContaining({
        InitialInstanceCount: c.endpointInstances.initial, InstanceType: c.endpointInstanceType,
      }));
      const [[, target]] = ofType(inference, 'AWS::ApplicationAutoScaling::ScalableTarget');
      expect(target.Properties).toEqual(expect.objectContaining({ MinCapacity: c.endpointInstances.initial, MaxCapacity: c.endpointInstances.max }));
      const [[, trail]] = ofType(template(`SecureAi-${c.name}-Operations`), 'AWS::Logs::LogGroup');
      expect(trail.Properties.RetentionInDays).toBe(c.logRetention);
    }
  });

  test.each(STAGES.map((c) => c.name))('%s: the training role reads the bucket; the endpoint runs as the inference role, pulls from the repository, reads the bucket, sits in the inference tier, is called through execute-api and alarms to the one topic', (name) => {
    const stage = stages.find((s) => s.network.stackName === `SecureAi-${name}-Network`)!;
    const logicalId = (c: any) => c.stack.getLogicalId(c.node.defaultChild ?? c);
    const inference = template(`SecureAi-${name}-Inference`);
    const [[, model]] = ofType(inference, 'AWS::SageMaker::Model');

    expect(producerOf(model.Properties.ExecutionRoleArn)).toEqual({
      stack: `SecureAi-${name}-Data`, value: { 'Fn::GetAtt': [logicalId(stage.data.inferenceRole.role), 'Arn'] },
    });
    const imageRefs = referencesIn(model.Properties.PrimaryContainer.Image).map(producerOf);
    expect(imageRefs).toContainEqual({ stack: `SecureAi-${name}-Data`, value: { Ref: logicalId(stage.data.images.repository) } });
    expect(referencesIn(model.Properties.PrimaryContainer.ModelDataUrl).map(producerOf))
      .toEqual([{ stack: `SecureAi-${name}-Data`, value: { Ref: logicalId(stage.data.data.bucket) } }]);
    const subnets = model.Properties.VpcConfig.Subnets.map(producerOf);
    const inferenceSubnets = stage.network.network.vpc.selectSubnets(stage.network.network.inferenceSubnets).subnets;
    expect(subnets).toEqual(inferenceSubnets.map((s) => ({ stack: `SecureAi-${name}-Network`, value: { Ref: logicalId(s) } })));

    const [[, api]] = ofType(inference, 'AWS::ApiGateway::RestApi');
    expect(referencesIn(api.Properties.Policy).map(producerOf))
      .toEqual([{ stack: `SecureAi-${name}-Network`, value: { Ref: logicalId(stage.network.executeApiEndpoint) } }]);

    const alarms = ofType(inference, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions.map(producerOf))
        .toEqual([{ stack: `SecureAi-${name}-Operations`, value: { Ref: logicalId(stage.operations.monitoring.topic) } }]);
    }
    expect(ofType(inference, 'AWS::SNS::Topic')).toEqual([]);

    // the training role reads the datasets and writes the models of this stage's bucket
    const data = template(`SecureAi-${name}-Data`);
    const statements = data.Resources[logicalId(stage.data.trainingRole.dataAccessPolicy)].Properties.PolicyDocument.Statement;
    const bucketArn = { 'Fn::GetAtt': [logicalId(stage.data.data.bucket), 'Arn'] };
    const modelName = STAGES.find((c) => c.name === name)!.modelName;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [bucketArn, `/datasets/${modelName}/*`]] } }),
      expect.objectContaining({ Action: expect.arrayContaining(['s3:PutObject']), Resource: { 'Fn::Join': ['', [bucketArn, `/models/${modelName}/*`]] } }),
    ]));

    // the repository names both roles as pullers
    const [[, repository]] = ofType(data, 'AWS::ECR::Repository');
    const allow = repository.Properties.RepositoryPolicyText.Statement.filter((s: any) => s.Effect === 'Allow' && s.Action.includes('ecr:BatchGetImage'));
    expect(allow.flatMap((s: any) => s.Principal.AWS)).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [logicalId(stage.data.trainingRole.role), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(stage.data.inferenceRole.role), 'Arn'] },
    ]));
  });

  test.each(STAGES.map((c) => c.name))('%s: Access Analyzer and Macie as the stage configures them, findings to the one alert topic', async (name) => {
    const c = STAGES.find((s) => s.name === name)!;
    const stage = stages.find((s) => s.network.stackName === `SecureAi-${name}-Network`)!;
    const operations = template(`SecureAi-${name}-Operations`);
    const topic = { Ref: stage.operations.getLogicalId(stage.operations.monitoring.topic.node.defaultChild as CfnElement) };
    const rulesOf = (source: string) => ofType(operations, 'AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern.source?.includes(source));

    const analyzers = ofType(operations, 'AWS::AccessAnalyzer::Analyzer').map(([, r]) => r.Properties);
    const accessRules = rulesOf('aws.access-analyzer');
    const macieRules = rulesOf('aws.macie');
    if (c.accessAnalysis) {
      expect(analyzers.map((a) => a.Type).sort()).toEqual(['ACCOUNT', 'ACCOUNT_UNUSED_ACCESS']);
      expect(analyzers.find((a) => a.Type === 'ACCOUNT_UNUSED_ACCESS').AnalyzerConfiguration.UnusedAccessConfiguration.UnusedAccessAge).toBe(c.accessAnalysis.unusedAccessAge);
      expect(accessRules).toHaveLength(1);
      expect(accessRules[0][1].Properties.Targets.map((t: any) => t.Arn)).toEqual([topic]);
      const p = AccessAnalysis.FINDINGS_PATTERN;
      expect(accessRules[0][1].Properties.EventPattern).toEqual({ 'source': p.source, 'detail-type': p.detailType, 'detail': p.detail });
      // the archive rule names this stage's repository (a reference to the data stack) and the CI account
      const archive = analyzers.find((a) => a.Type === 'ACCOUNT').ArchiveRules;
      expect(archive).toHaveLength(1);
      expect(referencesIn(archive[0].Filter).map(producerOf)).toEqual([{
        stack: `SecureAi-${name}-Data`, value: { 'Fn::GetAtt': [stage.data.getLogicalId(stage.data.images.repository.node.defaultChild as CfnElement), 'Arn'] },
      }]);
      expect(archive[0].Filter).toContainEqual({ Property: 'principal.AWS', Contains: [c.imagePublisherArn.split(':')[4]] });
    } else {
      expect({ analyzers, accessRules }).toEqual({ analyzers: [], accessRules: [] });
    }

    const sessions = ofType(operations, 'AWS::Macie::Session');
    const data = stage.data;
    const sim = new PolicySimulator(data);
    const macieDecrypts = await sim.decide({
      principal: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
      action: 'kms:Decrypt',
      resource: sim.arnOf(data.data.encryptionKey),
      context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
    });
    if (c.sensitiveDataDiscovery) {
      expect(sessions).toHaveLength(c.sensitiveDataDiscovery.enableMacie ? 1 : 0);
      expect(macieRules).toHaveLength(1);
      expect(macieRules[0][1].Properties.Targets.map((t: any) => t.Arn)).toEqual([topic]);
      expect(macieRules[0][1].Properties.EventPattern.detail)
        .toEqual(SensitiveDataDiscovery.findingsPattern(c.sensitiveDataDiscovery.severityThreshold).detail);
      // Macie's service-linked role may decrypt the stage's training data (Macie user guide)
      expect(macieDecrypts).toBe('Allowed');
    } else {
      expect({ sessions, macieRules, macieDecrypts }).toEqual({ sessions: [], macieRules: [], macieDecrypts: 'ImplicitlyDenied' });
    }
  });

  test.each(STAGES.map((c) => c.name))('%s: model monitoring as the stage configures it, alerts to the one alert topic', (name) => {
    const c = STAGES.find((s) => s.name === name)!;
    const stage = stages.find((s) => s.network.stackName === `SecureAi-${name}-Network`)!;
    const inference = template(`SecureAi-${name}-Inference`);
    const schedules = ofType(inference, 'AWS::SageMaker::MonitoringSchedule').map(([, r]) => r.Properties);
    const monitor = stage.inference.endpoint.dataQualityMonitor;
    if (!c.modelMonitoring) {
      expect({ schedules, monitor }).toEqual({ schedules: [], monitor: undefined });
      return;
    }
    expect(schedules).toHaveLength(1);
    expect(schedules[0].MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression)
      .toBe(c.modelMonitoring.frequency === MonitoringFrequency.HOURLY ? 'cron(0 * ? * * *)' : 'cron(0 0 ? * * *)');
    // both alert rules target the operations stack's topic (a cross-stack reference); that
    // topic's policy admitting them is proven by the Prod path table (test/paths/reference-platform.test.ts)
    const topicId = stage.operations.getLogicalId(stage.operations.monitoring.topic.node.defaultChild as CfnElement);
    for (const rule of [monitor!.failedExecutionsRule, monitor!.violationsRule]) {
      const targets = (inference.Resources[stage.inference.getLogicalId(rule.node.defaultChild as CfnElement)].Properties.Targets as any[]);
      expect(targets.map((t) => producerOf(t.Arn))).toEqual([{ stack: `SecureAi-${name}-Operations`, value: { Ref: topicId } }]);
    }
  });

  test('-c cdk-secure-ai:modelMonitoring=false turns every stage\'s monitor off (accounts Model Monitor no longer admits); another value is refused', () => {
    expect(STAGES.some((c) => c.modelMonitoring)).toBe(true); // canary: some stage has a monitor when the switch is absent
    for (const value of ['false', false]) {
      const off = addReferencePlatform(createTestApp({ checks: false, context: { [MODEL_MONITORING_CONTEXT]: value } }));
      expect(off.map((s) => s.inference.endpoint.dataQualityMonitor)).toEqual(STAGES.map(() => undefined));
    }
    const on = addReferencePlatform(createTestApp({ checks: false, context: { [MODEL_MONITORING_CONTEXT]: 'true' } }));
    expect(on.map((s) => s.inference.endpoint.dataQualityMonitor !== undefined)).toEqual(STAGES.map((c) => c.modelMonitoring !== undefined));
    expect(() => addReferencePlatform(createTestApp({ checks: false, context: { [MODEL_MONITORING_CONTEXT]: 'off' } }))).toThrow(/cdk-secure-ai:modelMonitoring.*"off"/);
  });

  test('the stages differ as configured: Dev without Access Analyzer and Macie, Test and Prod with both (a High Macie finding pages in both, a Medium one only in Prod)', () => {
    expect(STAGES.map((c) => [c.name, c.accessAnalysis !== undefined, c.sensitiveDataDiscovery !== undefined]))
      .toEqual([['Dev', false, false], ['Test', true, true], ['Prod', true, true]]);
    const pages = (name: string, severity: string) => {
      const [[, rule]] = ofType(template(`SecureAi-${name}-Operations`), 'AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern.source?.includes('aws.macie'));
      return matchesEventPattern(rule.Properties.EventPattern, {
        'source': 'aws.macie', 'detail-type': 'Macie Finding', 'detail': { type: 'SensitiveData:S3Object/Personal', severity: { score: 2, description: severity } },
      });
    };
    expect([pages('Test', 'High'), pages('Test', 'Medium'), pages('Prod', 'High'), pages('Prod', 'Medium'), pages('Prod', 'Low')]).toEqual([true, false, true, true, false]);
  });

  test('training jobs can write their outputs to the bucket: the job key is the key the bucket requires (IAM simulator)', async () => {
    const data = stages[0].data;
    const sim = new PolicySimulator(data);
    const policyId = data.getLogicalId(data.trainingRole.dataAccessPolicy.node.defaultChild as CfnElement);
    const dataAccess = AssertionTemplate.fromStack(data).toJSON().Resources[policyId];
    const put = (keyArn: string) => sim.decide({
      principal: `arn:aws:iam::${ACCOUNT}:role/TrainingRole`,
      identityPolicies: [sim.resolve(dataAccess.Properties.PolicyDocument)],
      action: 's3:PutObject',
      resource: `${sim.arnOf(data.data.bucket)}/models/${STAGES[0].modelName}/1/model.tar.gz`,
      context: {
        'aws:SecureTransport': 'true',
        's3:TlsVersion': '1.2',
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
      },
    });
    // the key SageMaker names in OutputDataConfig.KmsKeyId: the role's job key
    expect(sim.arnOf(data.trainingRole.encryptionKey)).toBe(sim.arnOf(data.data.encryptionKey));
    expect(await put(sim.arnOf(data.trainingRole.encryptionKey))).toBe('Allowed');
    expect(await put(`arn:aws:kms:${REGION}:${ACCOUNT}:key/another-key`)).toBe('ExplicitlyDenied');
  });
});
