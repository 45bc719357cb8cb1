import { IConstruct } from 'constructs';
import { lid } from './platform';
import { allow, evaluatorOf, pathStack } from './support';
import { AiServiceEndpoint, NetworkStage, NetworkTier, SegmentedAiVpc } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import {
  describePaths, ECR_LAYER_BUCKET, ECR_LAYER_SIGNER, flowLogRows, GATEWAY_SERVICES, logGroupKeyRows, NetworkLeg, PathEvaluator, PathRow, TLS,
} from '../support/paths';

/**
 * SegmentedAiVpc: each workload tier reaches every interface endpoint and S3 on 443 (replies on
 * the caller's ephemeral ports), instances of one training job reach each other on any port,
 * and nothing else crosses a tier or leaves the VPC. The S3 endpoint admits this account's
 * principals to this account's buckets. With s3PrefixListId the groups name S3 by prefix list.
 */

function rowsFor(network: SegmentedAiVpc, ev: PathEvaluator): PathRow[] {
  const subnets = (tier: NetworkTier) => network.vpc.selectSubnets(network.subnetsOf(tier)).subnets.map((s: IConstruct) => lid(s));
  const sg = (tier: NetworkTier) => lid(network.securityGroupOf(tier));
  const from = (tier: NetworkTier, to: NetworkLeg['to'], port = 443, clientOs: NetworkLeg['clientOs'] = 'linux'): NetworkLeg =>
    ({ fromSubnets: subnets(tier), fromSecurityGroups: [sg(tier)], clientOs, to, port });
  const tierTarget = (tier: NetworkTier): NetworkLeg['to'] => ({ kind: 'interfaces', subnets: subnets(tier), securityGroups: [sg(tier)] });
  const s3: NetworkLeg['to'] = { kind: 'gateway-service', service: 's3' };
  const s3Read = (caller: { arn: string; identityPolicies?: unknown[] }, resource: string, resourceAccount = ACCOUNT) =>
    ({ caller, action: 's3:GetObject', resource, resourceAccount, context: TLS, throughEndpoint: true as const });
  const insider = { arn: `arn:aws:iam::${ACCOUNT}:role/Workload`, identityPolicies: [allow('s3:*')] };
  const rows: PathRow[] = [];
  for (const tier of [NetworkTier.TRAINING, NetworkTier.INFERENCE]) {
    for (const service of network.interfaceEndpointServices) {
      const endpoint = lid(network.interfaceEndpoint(service)!);
      rows.push({ name: `${tier} tier (Linux) → ${service} endpoint`, expect: 'OPEN', network: from(tier, { kind: 'interface-endpoint', endpoint }) });
    }
    const endpoint = lid(network.interfaceEndpoint(network.interfaceEndpointServices[0])!);
    rows.push(
      {
        name: `${tier} tier (Lambda) → an interface endpoint`,
        expect: 'OPEN',
        network: from(tier, { kind: 'interface-endpoint', endpoint }, 443, 'lambda'),
      },
      {
        name: `${tier} tier → a bucket of this account through the S3 gateway endpoint`,
        expect: 'OPEN',
        network: from(tier, s3),
        requests: [s3Read(insider, 'arn:aws:s3:::data-of-this-account/x')],
      },
      {
        name: `${tier} tier → ECR image layers (presigned by ECR) through the S3 gateway endpoint`,
        expect: 'OPEN',
        network: from(tier, s3),
        requests: [s3Read({ arn: ECR_LAYER_SIGNER, identityPolicies: [allow('s3:GetObject')] }, `${ECR_LAYER_BUCKET}/layer`, '000000000000')],
      },
      {
        name: `${tier} tier → a bucket of another account through the S3 gateway endpoint`,
        expect: 'CLOSED',
        closedBy: 'endpoint policy',
        network: from(tier, s3),
        requests: [{
          ...s3Read(insider, 'arn:aws:s3:::exfiltration/x', OTHER_ACCOUNT),
          resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::exfiltration/*' }] },
        }],
      },
      {
        name: `another account's principal uses the S3 gateway endpoint from the ${tier} tier`,
        expect: 'CLOSED',
        closedBy: 'endpoint policy',
        network: from(tier, s3),
        requests: [s3Read({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Intruder`, identityPolicies: [allow('s3:*')] }, 'arn:aws:s3:::intruder-bucket/x', OTHER_ACCOUNT)],
      },
      {
        name: `another account's principal uses an interface endpoint from the ${tier} tier`,
        expect: 'CLOSED',
        closedBy: 'endpoint policy',
        network: from(tier, { kind: 'interface-endpoint', endpoint: lid(network.interfaceEndpoint(AiServiceEndpoint.CLOUDWATCH_LOGS)!) }),
        requests: [{
          caller: { arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Intruder`, identityPolicies: [allow('logs:*')] },
          action: 'logs:PutLogEvents',
          resource: `arn:aws:logs:${REGION}:${OTHER_ACCOUNT}:log-group:exfiltration:log-stream:x`,
          throughEndpoint: true,
        }],
      },
      { name: `${tier} tier → S3 on port 80`, expect: 'CLOSED', closedBy: ['SG egress', 'NACL egress'], network: from(tier, s3, 80) },
      { name: `${tier} tier → the internet (isolated: no route)`, expect: 'CLOSED', closedBy: ['route table', 'SG egress'], network: from(tier, { kind: 'address', ip: '198.51.100.7' }) },
    );
  }
  rows.push(
    {
      name: 'training instances of one job reach each other on any port (security group references itself)',
      expect: 'OPEN',
      network: from(NetworkTier.TRAINING, tierTarget(NetworkTier.TRAINING), 29500),
    },
    { name: 'training tier → inference tier', expect: 'CLOSED', closedBy: ['SG egress', 'SG ingress', 'NACL egress'], network: from(NetworkTier.TRAINING, tierTarget(NetworkTier.INFERENCE)) },
    { name: 'inference tier → training tier', expect: 'CLOSED', closedBy: ['SG egress', 'SG ingress', 'NACL egress'], network: from(NetworkTier.INFERENCE, tierTarget(NetworkTier.TRAINING)) },
    { name: 'inference tier → another inference instance on 22', expect: 'CLOSED', closedBy: ['SG egress', 'SG ingress'], network: from(NetworkTier.INFERENCE, tierTarget(NetworkTier.INFERENCE), 22) },
    { name: 'endpoints tier → training tier', expect: 'CLOSED', closedBy: 'SG egress', network: from(NetworkTier.ENDPOINTS, tierTarget(NetworkTier.TRAINING)) },
    ...flowLogRows(ev),
    ...logGroupKeyRows(ev),
  );
  return rows;
}

const stack = pathStack('Vpc');
const network = new SegmentedAiVpc(stack, 'Network', { stage: NetworkStage.PROD });
const ev = evaluatorOf(stack);
describePaths('SegmentedAiVpc paths (defaults)', () => ev, rowsFor(network, ev));

// With s3PrefixListId the groups allow 443 to the endpoints tier and to S3's prefix list only.
const plStack = pathStack('VpcPrefixList');
const plNetwork = new SegmentedAiVpc(plStack, 'Network', { stage: NetworkStage.PROD, s3PrefixListId: GATEWAY_SERVICES.s3.prefixList });
const plEv = evaluatorOf(plStack);
describePaths('SegmentedAiVpc paths (s3PrefixListId)', () => plEv, rowsFor(plNetwork, plEv));

test('with s3PrefixListId, the S3 path is allowed by the prefix-list rule (the evaluator matches prefix lists, not CIDRs)', async () => {
  const subnets = plNetwork.vpc.selectSubnets(plNetwork.trainingSubnets).subnets.map((s: IConstruct) => lid(s));
  const result = await plEv.evaluate({
    name: 's3',
    expect: 'OPEN',
    network: { fromSubnets: subnets, fromSecurityGroups: [lid(plNetwork.trainingSecurityGroup)], clientOs: 'linux', to: { kind: 'gateway-service', service: 's3' }, port: 443 },
  });
  expect(result.explanation[0]).toMatch(new RegExp(`^SG egress: .* to ${GATEWAY_SERVICES.s3.prefixList}`));
  expect(REGION).toBe('us-east-1'); // the prefix list ID is us-east-1's
});
