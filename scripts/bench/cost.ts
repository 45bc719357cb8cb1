/**
 * Idle fixed monthly cost of a synthesized CloudFormation template: what the stack bills per
 * month with no traffic, no stored data and no requests (endpoint-hours, NAT gateways, keys,
 * web ACLs, alarms, hosting instances...). Unit prices come from one data file
 * (scripts/prices.json); this module only does the arithmetic, so it is unit-tested.
 */

/** One priced unit of the data file. */
export interface PriceItem {
  /** Short name for tables. */
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly price: number;
  readonly source: string;
  readonly recorded: string;
}

/** The shape of scripts/prices.json. */
export interface PriceData {
  readonly region: string;
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly items: Record<string, PriceItem>;
  readonly sageMakerHostingInstanceHour: { readonly source: string; readonly recorded: string; readonly prices: Record<string, number> };
  /** Types that may bill while idle but that no pricing page lets the file price: each resource is listed as unpriced, with this reason. */
  readonly notPriced: { readonly types: Record<string, { readonly reason: string; readonly source: string; readonly recorded: string }> };
  readonly usageOnly: { readonly types: string[] };
}

/** A CloudFormation template, as far as this module reads it. */
export interface Template {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, any> }>;
}

/** One line of the estimate: quantity × unit price × hours (for hourly units). */
export interface CostLine {
  /** The price item (key of `items`, or `sagemaker:<instance type>`). */
  readonly item: string;
  /** Short name for tables. */
  readonly name: string;
  /** How many units (e.g. endpoint-AZs, keys, alarm metrics). */
  readonly quantity: number;
  /** USD per unit per hour (hourly units) or per month. */
  readonly unitPrice: number;
  readonly hourly: boolean;
  /** USD per month. */
  readonly monthly: number;
  readonly source: string;
}

/** The estimate for one template. */
export interface CostEstimate {
  /** USD per month, sum of the lines. */
  readonly monthly: number;
  readonly lines: CostLine[];
  /** Resource types found in neither the priced nor the usage-only list: the estimate says nothing about them. */
  readonly notModelled: string[];
  /** Things that have a fixed cost the data file cannot price (e.g. an unknown instance type), with the logical ID. */
  readonly unpriced: string[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Estimates the idle fixed monthly cost of `template` with the unit prices of `prices`.
 *
 * @param account the templates deployed to the same account and Region as `template` (itself
 * included): account-wide services bill for what the account holds — IAM Access Analyzer's
 * unused-access analyzer per IAM role and user, Amazon Macie per S3 bucket — so their quantities
 * count the roles, users and buckets of these templates (a lower bound: the account's other
 * roles and buckets are billed too). Default: `template` alone.
 */
export function estimateIdleMonthlyCost(template: Template, prices: PriceData, account: Template[] = [template]): CostEstimate {
  const resources = template.Resources ?? {};
  const inAccount = (...types: string[]) =>
    account.reduce((n, t) => n + Object.values(t.Resources ?? {}).filter((r) => types.includes(r.Type)).length, 0);
  const counts = new Map<string, number>();
  const unpriced: string[] = [];
  const notModelled = new Set<string>();
  const add = (item: string, quantity: number) => counts.set(item, (counts.get(item) ?? 0) + quantity);
  const usageOnly = new Set(prices.usageOnly.types);

  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::EC2::VPCEndpoint': {
        if ((props.VpcEndpointType ?? 'Gateway') !== 'Interface') break; // gateway endpoints are free
        if (!Array.isArray(props.SubnetIds)) {
          unpriced.push(`${logicalId}: interface endpoint whose subnets (AZs) are not a literal list`);
          break;
        }
        add('interfaceEndpointAzHour', props.SubnetIds.length);
        break;
      }
      case 'AWS::EC2::NatGateway': // public and private NAT gateways bill the same hourly rate
        add('natGatewayHour', 1);
        break;
      case 'AWS::EC2::EIP':
        add('publicIpv4Hour', 1);
        break;
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey':
        add('kmsKeyMonth', 1);
        break;
      case 'AWS::WAFv2::WebACL':
        add('wafWebAclMonth', 1);
        add('wafRuleMonth', Array.isArray(props.Rules) ? props.Rules.length : 0);
        break;
      case 'AWS::CloudWatch::Alarm': {
        const metrics = Array.isArray(props.Metrics) ? props.Metrics.filter((m: any) => m.MetricStat).length : 1;
        const period = Array.isArray(props.Metrics) ? props.Metrics.find((m: any) => m.MetricStat)?.MetricStat?.Period : props.Period;
        add(typeof period === 'number' && period < 60 ? 'cloudWatchHighResAlarmMetricMonth' : 'cloudWatchAlarmMetricMonth', Math.max(metrics, 1));
        break;
      }
      case 'AWS::CloudWatch::CompositeAlarm':
        add('cloudWatchCompositeAlarmMonth', 1);
        break;
      case 'AWS::CloudWatch::Dashboard':
        add('cloudWatchDashboardMonth', 1);
        break;
      case 'AWS::CloudTrail::Trail':
        add('cloudTrailTrailMonth', 1);
        break;
      case 'AWS::SecretsManager::Secret':
        add('secretMonth', 1);
        break;
      case 'AWS::Route53::HostedZone':
        add('hostedZoneMonth', 1);
        break;
      case 'AWS::SageMaker::Endpoint': {
        const config = resolveGetAtt(props.EndpointConfigName, resources, 'AWS::SageMaker::EndpointConfig');
        if (!config) {
          unpriced.push(`${logicalId}: SageMaker endpoint whose endpoint config is not in this template`);
          break;
        }
        for (const variant of config.Properties?.ProductionVariants ?? []) {
          if (variant.ServerlessConfig) continue; // serverless variants bill per request
          const price = prices.sageMakerHostingInstanceHour.prices[variant.InstanceType];
          if (typeof variant.InitialInstanceCount !== 'number' || price === undefined) {
            unpriced.push(`${logicalId}: variant ${variant.VariantName ?? '?'} on ${JSON.stringify(variant.InstanceType)} (add its price to scripts/prices.json)`);
            continue;
          }
          add(`sagemaker:${variant.InstanceType}`, variant.InitialInstanceCount);
        }
        break;
      }
      case 'AWS::AccessAnalyzer::Analyzer': {
        const type = props.Type;
        if (type === 'ACCOUNT' || type === 'ORGANIZATION') add('accessAnalyzerExternalMonth', 1); // external access: no additional charge
        else if (type === 'ACCOUNT_UNUSED_ACCESS') add('accessAnalyzerUnusedPrincipalMonth', inAccount('AWS::IAM::Role', 'AWS::IAM::User'));
        else if (type === 'ORGANIZATION_UNUSED_ACCESS') unpriced.push(`${logicalId}: unused access analyzer of the organization: it bills per IAM role and user of every member account, which these templates cannot count`);
        else unpriced.push(`${logicalId}: IAM Access Analyzer analyzer of type ${JSON.stringify(type)} (internal access analysis bills per resource monitored; add its price to scripts/prices.json)`);
        break;
      }
      case 'AWS::Macie::Session':
        if ((props.Status ?? 'ENABLED') === 'ENABLED') add('macieBucketMonth', inAccount('AWS::S3::Bucket'));
        else unpriced.push(`${logicalId}: Macie session with status ${JSON.stringify(props.Status)}: not estimated`);
        break;
      default: {
        const notPriced = prices.notPriced.types[resource.Type];
        if (notPriced) {
          const detail = resource.Type === 'AWS::SageMaker::MonitoringSchedule' ? describeMonitoringSchedule(props, resources, prices) : resource.Type;
          unpriced.push(`${logicalId}: ${detail}: ${notPriced.reason} (${notPriced.source}, recorded ${notPriced.recorded})`);
          break;
        }
        if (!usageOnly.has(resource.Type) && !resource.Type.startsWith('Custom::') && resource.Type !== 'AWS::CloudFormation::CustomResource') {
          notModelled.add(resource.Type);
        }
      }
    }
  }

  const lines: CostLine[] = [...counts.entries()].map(([item, quantity]) => priceLine(item, quantity, prices));
  return {
    monthly: round2(lines.reduce((sum, l) => sum + l.monthly, 0)),
    lines,
    notModelled: [...notModelled].sort(),
    unpriced,
  };
}

function priceLine(item: string, quantity: number, prices: PriceData): CostLine {
  if (item.startsWith('sagemaker:')) {
    const type = item.slice('sagemaker:'.length);
    const unitPrice = prices.sageMakerHostingInstanceHour.prices[type];
    return {
      item,
      name: `SageMaker real-time inference instance ${type}`,
      quantity,
      unitPrice,
      hourly: true,
      monthly: round2(quantity * unitPrice * prices.hoursPerMonth),
      source: prices.sageMakerHostingInstanceHour.source,
    };
  }
  const p = prices.items[item];
  if (!p) throw new Error(`scripts/prices.json has no item ${item}`);
  const hourly = p.unit.endsWith('-hour');
  return {
    item,
    name: p.name,
    quantity,
    unitPrice: p.price,
    hourly,
    monthly: round2(quantity * p.price * (hourly ? prices.hoursPerMonth : 1)),
    source: p.source,
  };
}

/** `{ 'Fn::GetAtt': [id, attr] }` or `{ Ref: id }` to the resource of `type` in the same template. */
function resolveGetAtt(value: any, resources: NonNullable<Template['Resources']>, type: string) {
  const id = value?.['Fn::GetAtt']?.[0] ?? value?.Ref;
  const target = typeof id === 'string' ? resources[id] : undefined;
  return target?.Type === type ? target : undefined;
}

/** Job definition types a monitoring schedule names (by name, from a GetAtt of the same template). */
const JOB_DEFINITION_TYPES = [
  'AWS::SageMaker::DataQualityJobDefinition',
  'AWS::SageMaker::ModelQualityJobDefinition',
  'AWS::SageMaker::ModelBiasJobDefinition',
  'AWS::SageMaker::ModelExplainabilityJobDefinition',
];

/**
 * "SageMaker Model Monitor schedule, 730 executions a month (cron(0 * ? * * *)), each up to 3600 s
 * on 1 × ml.m5.xlarge": what an idle month starts, for the reader to price.
 */
function describeMonitoringSchedule(props: Record<string, any>, resources: NonNullable<Template['Resources']>, prices: PriceData): string {
  const config = props.MonitoringScheduleConfig ?? {};
  const expression = config.ScheduleConfig?.ScheduleExpression;
  const perMonth = executionsPerMonth(expression, prices.hoursPerMonth);
  const when = perMonth === undefined ? `on schedule ${JSON.stringify(expression)}` : `${perMonth} executions a month (${expression})`;
  // A job definition of the template (named through a GetAtt), or the inline definition.
  const defId = findGetAtt(config.MonitoringJobDefinitionName, resources, JOB_DEFINITION_TYPES);
  const def = defId ? resources[defId].Properties ?? {} : config.MonitoringJobDefinition;
  const cluster = def?.JobResources?.ClusterConfig ?? def?.MonitoringResources?.ClusterConfig;
  const runtime = def?.StoppingCondition?.MaxRuntimeInSeconds;
  const on = cluster ? ` on ${cluster.InstanceCount ?? '?'} × ${typeof cluster.InstanceType === 'string' ? cluster.InstanceType : '?'}` : ' (job definition not in this template)';
  return `SageMaker Model Monitor schedule (${config.MonitoringType ?? 'monitoring'}), ${when}, each up to ${typeof runtime === 'number' ? `${runtime} s` : 'an unstated time'}${on}`;
}

/**
 * Executions per month of a Model Monitor schedule expression, for the forms Model Monitor
 * accepts: hourly `cron(0 * ? * * *)`, every N hours `cron(0 H/N ? * * *)`, daily
 * `cron(0 H ? * * *)`; undefined for anything else (e.g. `NOW`, a one-time run).
 */
export function executionsPerMonth(expression: unknown, hoursPerMonth: number): number | undefined {
  const hour = typeof expression === 'string' ? /^cron\(0 (\S+) \? \* \* \*\)$/.exec(expression)?.[1] : undefined;
  if (hour === undefined) return undefined;
  const round1 = (x: number) => Math.round(x * 10) / 10;
  if (hour === '*') return hoursPerMonth;
  const every = /^\d{1,2}\/(\d{1,2})$/.exec(hour);
  if (every && Number(every[1]) > 0) return round1(hoursPerMonth / Number(every[1]));
  if (/^\d{1,2}$/.test(hour)) return round1(hoursPerMonth / 24);
  return undefined;
}

/** The logical ID of a resource of one of `types` that `value` reads with a GetAtt, however deep (Fn::Select, Fn::Split...). */
function findGetAtt(value: any, resources: NonNullable<Template['Resources']>, types: string[]): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const id = findGetAtt(v, resources, types);
      if (id) return id;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const target = value['Fn::GetAtt']?.[0];
  if (typeof target === 'string' && types.includes(resources[target]?.Type)) return target;
  return findGetAtt(Object.values(value), resources, types);
}
