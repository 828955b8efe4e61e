// Writer schemas from a Confluent-compatible registry (Rabt's own or any other), decoded with
// avsc. Node-only (avsc's Node build and Buffer): exported from `@rabt/sdk/node`.
import * as avro from 'avsc';
import { InboxDecodeError, InboxDecodeReason, type AvroDecoder, type SchemaSource } from './inbox.decoder';

export interface RegistrySchemaSourceOptions {
  /** The registry, e.g. `https://registry.rabt.example.gov.om`. */
  readonly url: string;
  /** HTTP Basic user name: the agency code (for another registry, its user name). */
  readonly agency: string;
  /** HTTP Basic password: one of the agency's API keys. */
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** Per request. Default 5 000 ms. */
  readonly timeoutMs?: number;
}

/** The registry could not answer (unreachable, 5xx, refused credentials): retry the record later. */
export class SchemaRegistryError extends Error {
  override readonly name = 'SchemaRegistryError';

  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * `GET /schemas/ids/{id}`, once per id: schemas under an id never change, so each is fetched once
 * and kept. A failed fetch is not kept, so the next record tries again.
 */
export class RegistrySchemaSource implements SchemaSource {
  private readonly decoders = new Map<number, Promise<AvroDecoder>>();
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RegistrySchemaSourceOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  schemaById(id: number): Promise<AvroDecoder> {
    let decoder = this.decoders.get(id);
    if (!decoder) {
      decoder = this.load(id);
      this.decoders.set(id, decoder);
      decoder.catch(() => this.decoders.delete(id));
    }
    return decoder;
  }

  private async load(id: number): Promise<AvroDecoder> {
    const auth = Buffer.from(`${this.options.agency}:${this.options.apiKey}`).toString('base64');
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/schemas/ids/${id}`, {
        headers: { Accept: 'application/vnd.schemaregistry.v1+json', Authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (cause) {
      throw new SchemaRegistryError(`schema registry ${this.baseUrl} unreachable: ${(cause as Error).message}`, undefined, { cause });
    }
    const body = (await res.json().catch(() => ({}))) as { schema?: unknown; schemaType?: unknown; message?: unknown };
    if (res.status === 404) throw new InboxDecodeError(InboxDecodeReason.UNDECODABLE, `schema id ${id} is not in the registry ${this.baseUrl}`);
    if (!res.ok) throw new SchemaRegistryError(`schema registry answered ${res.status} for schema ${id}: ${String(body.message ?? '')}`, res.status);
    if (body.schemaType !== undefined && body.schemaType !== 'AVRO') throw new InboxDecodeError(InboxDecodeReason.UNDECODABLE, `schema ${id} is ${String(body.schemaType)}, not Avro`);
    if (typeof body.schema !== 'string') throw new SchemaRegistryError(`schema registry answer for schema ${id} has no schema`, res.status);
    const type = avro.Type.forSchema(JSON.parse(body.schema) as avro.Schema);
    return avroDecoder(type);
  }
}

/** An AvroDecoder over an avsc type: the whole body must be one value (no trailing bytes). */
export function avroDecoder(type: avro.Type): AvroDecoder {
  return { decode: (body) => type.fromBuffer(Buffer.from(body.buffer, body.byteOffset, body.byteLength)) as unknown };
}
