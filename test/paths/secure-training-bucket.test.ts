import * as iam from 'aws-cdk-lib/aws-iam';
import { lid } from './platform';
import { allow, evaluatorOf, pathStack } from './support';
import { SecureTrainingBucket } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import { accessLogRows, describePaths, kmsVia, PathRow, s3Get, s3PutKms, TLS } from '../support/paths';

/** SecureTrainingBucket: readers read their prefix, writers write with the bucket key, nothing else gets in. */
const stack = pathStack('Bucket');
const data = new SecureTrainingBucket(stack, 'Data');
const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
data.grantRead(reader, 'datasets/');
data.grantWrite(writer, 'models/');
const fenced = new SecureTrainingBucket(stack, 'Fenced', { allowedVpcEndpointIds: ['vpce-0123456789abcdef0'] });
fenced.grantRead(reader, 'datasets/');
const ev = evaluatorOf(stack);

const bucket = ev.arn(lid(data.bucket));
const key = ev.arn(lid(data.encryptionKey));
const r = { role: lid(reader) };
const w = { role: lid(writer) };
const direct = 'direct' as const;
const put = (keyArn: string, encryption = 'aws:kms') => s3PutKms(w, bucket, 'models/m/1/model.tar.gz', keyArn, direct, encryption);

const rows: PathRow[] = [
  { name: 'a reader reads its prefix; S3 decrypts with the bucket key', expect: 'OPEN', requests: [s3Get(r, bucket, 'datasets/a.csv', direct), kmsVia(r, 'kms:Decrypt', key, 's3')] },
  { name: 'a writer writes under the bucket key', expect: 'OPEN', requests: [put(key), kmsVia(w, 'kms:GenerateDataKey', key, 's3')] },
  {
    name: 'a writer writes without an encryption header (the bucket default, its key, applies)',
    expect: 'OPEN',
    requests: [{ caller: w, action: 's3:PutObject', resource: `${bucket}/models/m/1/model.tar.gz`, context: TLS }],
  },
  { name: 'a reader reads outside its prefix', expect: 'CLOSED', closedBy: 'identity policy', requests: [s3Get(r, bucket, 'models/m/1/model.tar.gz', direct)] },
  { name: 'a reader writes', expect: 'CLOSED', closedBy: 'identity policy', requests: [s3PutKms(r, bucket, 'datasets/b.csv', key, direct)] },
  { name: 'an upload under another KMS key', expect: 'CLOSED', closedBy: 'resource policy', requests: [put(`arn:aws:kms:${REGION}:${ACCOUNT}:key/another`)] },
  { name: 'an upload under another key given by alias', expect: 'CLOSED', closedBy: 'resource policy', requests: [put(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/s3`)] },
  { name: 'an upload with SSE-S3', expect: 'CLOSED', closedBy: 'resource policy', requests: [put('', 'AES256')] },
  { name: 'an upload with DSSE-KMS', expect: 'CLOSED', closedBy: 'resource policy', requests: [put(key, 'aws:kms:dsse')] },
  {
    name: 'an upload with a customer-provided key',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{ caller: w, action: 's3:PutObject', resource: `${bucket}/models/m/1/x`, context: { ...TLS, 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' } }],
  },
  {
    name: 'a read over plain HTTP',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{ caller: r, action: 's3:GetObject', resource: `${bucket}/datasets/a.csv`, context: { 'aws:SecureTransport': 'false' } }],
  },
  {
    name: 'a read over TLS 1.1',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{ caller: r, action: 's3:GetObject', resource: `${bucket}/datasets/a.csv`, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' } }],
  },
  {
    name: 'another account with s3:* reads',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [s3Get({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, identityPolicies: [allow('s3:*')] }, bucket, 'datasets/a.csv', direct)],
  },
  {
    name: 'another account decrypts with the bucket key',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [kmsVia({ arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, identityPolicies: [allow('kms:*')] }, 'kms:Decrypt', key, 's3')],
  },
  {
    name: 'a VPC-fenced bucket: a reader reads through the allowed endpoint',
    expect: 'OPEN',
    requests: [{ ...s3Get(r, ev.arn(lid(fenced.bucket)), 'datasets/a.csv', direct), context: { ...TLS, 'aws:SourceVpce': 'vpce-0123456789abcdef0' } }],
  },
  {
    name: 'a VPC-fenced bucket: a reader reads not through the endpoint',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [s3Get(r, ev.arn(lid(fenced.bucket)), 'datasets/a.csv', direct)],
  },
  {
    name: 'a VPC-fenced bucket: a reader reads through another endpoint',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{ ...s3Get(r, ev.arn(lid(fenced.bucket)), 'datasets/a.csv', direct), context: { ...TLS, 'aws:SourceVpce': 'vpce-0another' } }],
  },
  ...accessLogRows(ev),
];
describePaths('SecureTrainingBucket paths', () => ev, rows);
