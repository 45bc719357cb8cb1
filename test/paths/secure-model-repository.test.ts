import * as iam from 'aws-cdk-lib/aws-iam';
import { lid } from './platform';
import { allow, evaluatorOf, pathStack } from './support';
import { SecureModelRepository } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT } from '../support/iam';
import { describePaths, PathRequest, PathRow } from '../support/paths';

/**
 * SecureModelRepository: the named pullers pull, the publisher pushes, nobody else does either
 * (the repository policy denies every other principal, whatever its identity policy allows).
 * Layers come from ECR's bucket through presigned URLs: covered with the VPC's S3 endpoint in
 * segmented-ai-vpc.test.ts and reference-platform.test.ts.
 */
const PUBLISHER = 'arn:aws:iam::111111111111:role/ImagePipeline';
const stack = pathStack('Repository');
const images = new SecureModelRepository(stack, 'Images', { pushPrincipalArns: [PUBLISHER] });
const puller = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
images.grantPull(puller);
const ev = evaluatorOf(stack);
const repo = ev.arn(lid(images.repository));

const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
const PUSH = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];
const as = (caller: PathRequest['caller'], actions: string[]): PathRequest[] => actions.map((action) => ({ caller, action, resource: repo }));
const insider = { arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, identityPolicies: [allow('ecr:*')] };

const rows: PathRow[] = [
  {
    name: 'a named puller pulls (token, manifest, layers)',
    expect: 'OPEN',
    requests: [{ caller: { role: lid(puller) }, action: 'ecr:GetAuthorizationToken', resource: '*' }, ...as({ role: lid(puller) }, PULL)],
  },
  { name: 'the publisher (CI account) pushes', expect: 'OPEN', requests: as({ arn: PUBLISHER, identityPolicies: [allow('ecr:*')] }, PUSH) },
  { name: 'a named puller pushes', expect: 'CLOSED', closedBy: ['resource policy', 'identity policy'], requests: as({ role: lid(puller) }, ['ecr:PutImage']) },
  { name: 'an administrator of this account with ecr:* pulls', expect: 'CLOSED', closedBy: 'resource policy', requests: as(insider, ['ecr:BatchGetImage']) },
  { name: 'an administrator of this account with ecr:* pushes', expect: 'CLOSED', closedBy: 'resource policy', requests: as(insider, ['ecr:PutImage']) },
  { name: 'the publisher deletes images', expect: 'CLOSED', closedBy: 'resource policy', requests: as({ arn: PUBLISHER, identityPolicies: [allow('ecr:*')] }, ['ecr:BatchDeleteImage']) },
  {
    name: 'another account pulls',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: as({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Puller`, identityPolicies: [allow('ecr:*')] }, ['ecr:BatchGetImage']),
  },
];
describePaths('SecureModelRepository paths', () => ev, rows);
