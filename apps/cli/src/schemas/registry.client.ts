// The few Confluent Schema Registry REST calls the CLI makes, over fetch, with HTTP Basic
// (agency code : API key). Works against Rabt's registry or any Confluent-compatible one.
import { CliException, CliExceptionCode } from '../cli/cli.exception';
import { reasonsOf } from './compatibility-reasons';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export type CompatibilityAnswer =
  | { readonly kind: 'compatible' }
  | { readonly kind: 'new-subject' }
  | { readonly kind: 'incompatible'; readonly reasons: readonly string[] }
  | { readonly kind: 'refused'; readonly reasons: readonly string[] };

export type RegistrationAnswer =
  | { readonly kind: 'registered'; readonly id: number }
  | { readonly kind: 'refused'; readonly status: number; readonly reasons: readonly string[] };

export interface SubjectVersion {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
}

export interface RegistryCredentials {
  readonly agency: string;
  readonly apiKey: string;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

type Fetch = typeof fetch;

export class RegistryClient {
  constructor(
    readonly baseUrl: string,
    private readonly credentials: RegistryCredentials,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  /** Can `schemaText` be registered next under `subject`? A subject the registry does not know is new. */
  async testCompatibility(subject: string, schemaText: string): Promise<CompatibilityAnswer> {
    const { status, body } = await this.call('POST', `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`, { schema: schemaText });
    if (status === 200) {
      return body['is_compatible'] === true ? { kind: 'compatible' } : { kind: 'incompatible', reasons: reasonsOf(body['messages']) };
    }
    if (body['error_code'] === 40401 || body['error_code'] === 40402) return { kind: 'new-subject' };
    return { kind: 'refused', reasons: [describeError(status, body)] };
  }

  async register(subject: string, schemaText: string): Promise<RegistrationAnswer> {
    const { status, body } = await this.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: schemaText });
    if (status === 200 && typeof body['id'] === 'number') return { kind: 'registered', id: body['id'] };
    const reasons = status === 409 ? reasonsOf(body['message']) : [describeError(status, body)];
    return { kind: 'refused', status, reasons };
  }

  async latestVersion(subject: string): Promise<SubjectVersion> {
    const { status, body } = await this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`);
    if (status !== 200 || typeof body['id'] !== 'number' || typeof body['version'] !== 'number') {
      throw new CliException(CliExceptionCode.REGISTRY_UNEXPECTED_ANSWER, `registry ${this.baseUrl}: latest version of ${subject}: ${describeError(status, body)}`);
    }
    return { subject, id: body['id'], version: body['version'] };
  }

  private async call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {
      Accept: REGISTRY_CONTENT_TYPE,
      Authorization: `Basic ${Buffer.from(`${this.credentials.agency}:${this.credentials.apiKey}`).toString('base64')}`,
    };
    if (payload !== undefined) headers['Content-Type'] = REGISTRY_CONTENT_TYPE;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (e) {
      throw new CliException(CliExceptionCode.REGISTRY_UNREACHABLE, `schema registry ${this.baseUrl} is unreachable: ${causeOf(e)}`);
    }
    const text = await response.text().catch(() => '');
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (response.status === 401) {
      throw new CliException(
        CliExceptionCode.REGISTRY_REJECTED_CREDENTIALS,
        `schema registry ${this.baseUrl} rejected the credentials of agency '${this.credentials.agency}' (check RABT_AGENCY / --agency and RABT_API_KEY / --api-key)`,
      );
    }
    if (response.status >= 500) {
      throw new CliException(CliExceptionCode.REGISTRY_UNEXPECTED_ANSWER, `schema registry ${this.baseUrl} failed: ${describeError(response.status, body)}`);
    }
    return { status: response.status, body };
  }
}

function describeError(status: number, body: Record<string, unknown>): string {
  const code = body['error_code'] === undefined ? '' : ` (error ${String(body['error_code'])})`;
  const message = typeof body['message'] === 'string' ? body['message'] : 'no message';
  return `HTTP ${status}${code}: ${message}`;
}

function causeOf(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Error) return (cause as { code?: string }).code ?? cause.message;
    return e.name === 'TimeoutError' ? 'no answer within 15 s' : e.message;
  }
  return String(e);
}

/** A client for the configured registry; registry commands need an agency and an API key. */
export function registryClientFrom(config: { readonly registryUrl: string; readonly agency: string | undefined; readonly apiKey: string | undefined }): RegistryClient {
  if (!config.agency || !config.apiKey) {
    throw new CliException(
      CliExceptionCode.CREDENTIALS_MISSING,
      `the schema registry needs an agency and one of its API keys: set RABT_AGENCY and RABT_API_KEY, or pass --agency and --api-key`,
    );
  }
  return new RegistryClient(config.registryUrl, { agency: config.agency, apiKey: config.apiKey });
}
