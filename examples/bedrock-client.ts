/**
 * A client for Amazon Bedrock's Converse API that always sends the guardrail GuardedBedrockAccess
 * pins: the role granted with `grantInvoke` is denied any call without it.
 *
 * - No key in code: credentials come from the environment the client runs in (the same
 *   non-interactive links of the default credential chain as examples/inference-client.ts).
 *   With `@aws-sdk/client-bedrock-runtime` installed, the same request is
 *   `new BedrockRuntimeClient({}).send(new ConverseCommand({ modelId, messages, guardrailConfig }))`;
 *   this example signs by hand so that the project needs no SDK dependency.
 * - The request is signed with Signature Version 4 for the `bedrock` service, sent over HTTPS only
 *   (to the Bedrock Runtime VPC endpoint when the host resolves it with private DNS), with a timeout;
 *   failures are reported with their status, error type and request ID, never with the credentials.
 * - A response the guardrail blocked comes back with `stopReason: 'guardrail_intervened'` and the
 *   guardrail's blocked message: the client reports it as such.
 *
 * Type-checked by the project; not run against AWS in its tests.
 *
 * Usage (values from the stack outputs: `guardrailId`, `guardrailVersionNumber`):
 *   AWS_REGION=us-east-1 MODEL_ID=anthropic.claude-3-haiku-20240307-v1:0 \
 *   GUARDRAIL_ID=abc123def456 GUARDRAIL_VERSION=1 \
 *   npx ts-node examples/bedrock-client.ts "Summarize our refund policy"
 */
import { AwsCredentials, defaultCredentials, signRequest } from './inference-client';

/** Why a Converse call failed. */
export class BedrockCallError extends Error {
  constructor(message: string, public readonly status?: number, public readonly requestId?: string) {
    super(message);
    this.name = 'BedrockCallError';
  }
}

export interface GuardedConverseOptions {
  /** Region of Bedrock Runtime. */
  readonly region: string;
  /** Foundation model ID or inference profile ID, as granted. */
  readonly modelId: string;
  /** The guardrail ID (`GuardedBedrockAccess.guardrailId`). */
  readonly guardrailId: string;
  /** The guardrail version (`GuardedBedrockAccess.guardrailVersionNumber`). */
  readonly guardrailVersion: string;
  /** Give up after this many milliseconds. @default 30000 */
  readonly timeoutMs?: number;
  /** Where credentials come from. @default defaultCredentials */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** Endpoint host. @default bedrock-runtime.<region>.amazonaws.com (private DNS resolves it to the VPC endpoint) */
  readonly host?: string;
}

/** What the model answered, and whether the guardrail intervened. */
export interface GuardedAnswer {
  readonly text: string;
  readonly blockedByGuardrail: boolean;
  readonly stopReason: string;
}

/** Calls Converse with the pinned guardrail. */
export class GuardedConverseClient {
  private readonly timeoutMs: number;
  private readonly credentials: () => Promise<AwsCredentials>;

  constructor(private readonly options: GuardedConverseOptions) {
    const { region, modelId, guardrailId, guardrailVersion } = options;
    const required = { region, modelId, guardrailId, guardrailVersion };
    for (const [name, value] of Object.entries(required)) {
      if (!value) throw new BedrockCallError(`missing ${name}`);
    }
    if (!/^[1-9][0-9]{0,7}$/.test(options.guardrailVersion)) {
      throw new BedrockCallError(`guardrail version ${options.guardrailVersion} is not a published version number (DRAFT is denied by the grant)`);
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.credentials = options.credentials ?? defaultCredentials;
  }

  /** Sends one user message and returns the model's text. */
  public async ask(prompt: string): Promise<GuardedAnswer> {
    const host = this.options.host ?? `bedrock-runtime.${this.options.region}.amazonaws.com`;
    // The model ID goes into the path as is (`:` is a valid path character); the signer encodes
    // each segment once, as Signature Version 4 expects for the path sent.
    const url = new URL(`https://${host}/model/${this.options.modelId}/converse`);
    const body = JSON.stringify({
      messages: [{ role: 'user', content: [{ text: prompt }] }],
      guardrailConfig: { guardrailIdentifier: this.options.guardrailId, guardrailVersion: this.options.guardrailVersion },
    });
    const headers = signRequest({
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json', 'accept': 'application/json' },
      region: this.options.region,
      service: 'bedrock',
      credentials: await this.credentials(),
    });
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const err = e as Error;
      throw new BedrockCallError(`Converse failed: ${err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : err.message}`);
    }
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    const text = await response.text();
    if (!response.ok) {
      // e.g. AccessDeniedException (no guardrail, another model), ThrottlingException, ValidationException.
      const type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? 'error';
      throw new BedrockCallError(`Converse failed with HTTP ${response.status} ${type}: ${messageOf(text)}`, response.status, requestId);
    }
    let parsed: { output?: { message?: { content?: { text?: string }[] } }; stopReason?: string };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BedrockCallError('Bedrock answered with something that is not JSON', response.status, requestId);
    }
    const stopReason = parsed.stopReason ?? 'unknown';
    return {
      text: (parsed.output?.message?.content ?? []).map((c) => c.text ?? '').join(''),
      blockedByGuardrail: stopReason === 'guardrail_intervened',
      stopReason,
    };
  }
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string; Message?: string };
    return parsed.message ?? parsed.Message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

if (require.main === module) {
  const env = (name: string) => process.env[name] ?? '';
  new GuardedConverseClient({
    region: env('AWS_REGION'),
    modelId: env('MODEL_ID'),
    guardrailId: env('GUARDRAIL_ID'),
    guardrailVersion: env('GUARDRAIL_VERSION'),
  }).ask(process.argv.slice(2).join(' ') || 'Hello')
    .then((answer) => {
      if (answer.blockedByGuardrail) console.error('The guardrail blocked this exchange:');
      console.log(answer.text);
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    });
}
