/**
 * A client for a PrivateInferenceEndpoint with IAM authorization: the secure version of the
 * guide's "authenticated API call" snippet.
 *
 * - No key in code: credentials come from the environment the client runs in (environment
 *   variables, the ECS/EKS container credentials endpoint, or the EC2 instance role through
 *   IMDSv2), which are the non-interactive links of the AWS SDK's default credential chain.
 *   With `@aws-sdk/credential-providers` and `@smithy/signature-v4` installed, replace
 *   `defaultCredentials` and `signRequest` with `fromNodeProviderChain()` and `SignatureV4`.
 * - Every request is signed with AWS Signature Version 4 for `execute-api`, sent over HTTPS only,
 *   with a timeout, and failures are reported with their status and API Gateway request ID, never
 *   with the credentials.
 *
 * Type-checked by the project; not run against AWS in its tests.
 *
 * Usage (from a host that reaches the execute-api VPC endpoint):
 *   INFERENCE_URL=https://abc123.execute-api.us-east-1.amazonaws.com/prod/invocations \
 *   npx ts-node examples/inference-client.ts "the service was great"
 */
import { createHash, createHmac } from 'crypto';

/** Temporary (or long-term) AWS credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What a caller of the model gets back, or why it did not. */
export class InferenceError extends Error {
  constructor(message: string, public readonly status?: number, public readonly requestId?: string) {
    super(message);
    this.name = 'InferenceError';
  }
}

export interface InferenceClientOptions {
  /** The invoke URL of the POST method, e.g. `endpoint.invokeUrl`. Must be https. */
  readonly url: string;
  /** Region of the API. @default - taken from the URL */
  readonly region?: string;
  /** Give up after this many milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** Where credentials come from. @default defaultCredentials */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** Extra headers, e.g. `x-api-key` when the API requires API keys. */
  readonly headers?: Record<string, string>;
}

/** Calls the model behind a PrivateInferenceEndpoint. */
export class InferenceClient {
  private readonly url: URL;
  private readonly region: string;
  private readonly timeoutMs: number;
  private readonly credentials: () => Promise<AwsCredentials>;

  constructor(private readonly options: InferenceClientOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'https:') throw new InferenceError(`refusing to send a model request over ${this.url.protocol}; use https`);
    const region = options.region ?? /\.execute-api\.([a-z0-9-]+)\.(vpce\.)?amazonaws\.com$/.exec(this.url.hostname)?.[1];
    if (!region) throw new InferenceError(`cannot tell the Region from ${this.url.hostname}; pass options.region`);
    this.region = region;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.credentials = options.credentials ?? defaultCredentials;
  }

  /** Sends `{ inputs, parameters }` to the model and returns its JSON answer. */
  public async predict(inputs: unknown, parameters?: Record<string, unknown>): Promise<unknown> {
    const body = JSON.stringify(parameters ? { inputs, parameters } : { inputs });
    const headers = signRequest({
      method: 'POST',
      url: this.url,
      body,
      headers: { 'content-type': 'application/json', 'accept': 'application/json', ...this.options.headers },
      region: this.region,
      service: 'execute-api',
      credentials: await this.credentials(),
    });
    let response: Response;
    try {
      response = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const err = e as Error;
      const reason = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : err.message;
      throw new InferenceError(`model call failed: ${reason}`);
    }
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    const text = await response.text();
    if (!response.ok) {
      // API Gateway's message (e.g. "Forbidden", "Too Many Requests", a validation error) and the
      // request ID that finds the call in the access logs; never the request or the signature.
      throw new InferenceError(`model call failed with HTTP ${response.status}: ${summary(text)}`, response.status, requestId);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new InferenceError('the model answered with something that is not JSON', response.status, requestId);
    }
  }
}

function summary(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string; Message?: string };
    return parsed.message ?? parsed.Message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

// ----------------------------------------------------------------------------- credentials

/**
 * The non-interactive links of the AWS default credential chain, in its order: environment
 * variables, the container credentials endpoint (ECS, EKS Pod Identity), the EC2 instance role
 * (IMDSv2). Shared config files, SSO and web identity need the AWS SDK.
 */
export async function defaultCredentials(): Promise<AwsCredentials> {
  const env = process.env;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN };
  }
  const containerUri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI
    ?? (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ? `http://169.254.170.2${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}` : undefined);
  if (containerUri) {
    const token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    return fromCredentialsJson(await getJson(containerUri, token ? { authorization: token } : {}));
  }
  const imds = 'http://169.254.169.254/latest';
  const tokenResponse = await fetch(`${imds}/api/token`, {
    method: 'PUT',
    headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '300' },
    signal: AbortSignal.timeout(1000),
  }).catch(() => undefined);
  if (!tokenResponse?.ok) throw new InferenceError('no AWS credentials found (environment, container endpoint, instance role)');
  const token = await tokenResponse.text();
  const headers = { 'x-aws-ec2-metadata-token': token };
  const roleName = (await (await fetch(`${imds}/meta-data/iam/security-credentials/`, { headers, signal: AbortSignal.timeout(1000) })).text()).trim();
  return fromCredentialsJson(await getJson(`${imds}/meta-data/iam/security-credentials/${roleName}`, headers));
}

async function getJson(url: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(1000) });
  if (!response.ok) throw new InferenceError(`credentials endpoint answered HTTP ${response.status}`);
  return await response.json() as Record<string, string>;
}

function fromCredentialsJson(json: Record<string, string>): AwsCredentials {
  if (!json.AccessKeyId || !json.SecretAccessKey) throw new InferenceError('the credentials endpoint returned no credentials');
  return { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.Token };
}

// ----------------------------------------------------------------------------- SigV4

interface SignInput {
  readonly method: string;
  readonly url: URL;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly region: string;
  readonly service: string;
  readonly credentials: AwsCredentials;
  readonly now?: Date;
}

/**
 * Signs a request with AWS Signature Version 4 and returns the headers to send
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
export function signRequest(input: SignInput): Record<string, string> {
  const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const amzDate = (input.now ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256(input.body);

  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v.trim()])),
    'host': input.url.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payloadHash,
  };
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]}\n`).join('');
  const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalPath = input.url.pathname.split('/').map((segment) => encode(decodeURIComponent(segment))).join('/') || '/';
  const canonicalQuery = [...input.url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, b], [c, d]) => (a === c ? (b < d ? -1 : 1) : (a < c ? -1 : 1)))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalRequest = [input.method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');

  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${input.credentials.secretAccessKey}`, date), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');

  const { host: _host, ...toSend } = headers;
  return {
    ...toSend,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

// ----------------------------------------------------------------------------- command line

async function main(): Promise<void> {
  const url = process.env.INFERENCE_URL;
  if (!url) throw new InferenceError('set INFERENCE_URL to the invoke URL of the inference API');
  const client = new InferenceClient({ url });
  const answer = await client.predict(process.argv[2] ?? 'sample data');
  console.log(JSON.stringify(answer, undefined, 2));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    const err = e as InferenceError;
    console.error(`${err.name}: ${err.message}${err.requestId ? ` (request ${err.requestId})` : ''}`);
    process.exitCode = 1;
  });
}
