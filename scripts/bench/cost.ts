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

/** Estimates the idle fixed monthly cost of `template` with the unit prices of `prices`. */
export function estimateIdleMonthlyCost(template: Template, prices: PriceData): CostEstimate {
  const resources = template.Resources ?? {};
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
      default:
        if (!usageOnly.has(resource.Type) && !resource.Type.startsWith('Custom::') && resource.Type !== 'AWS::CloudFormation::CustomResource') {
          notModelled.add(resource.Type);
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
