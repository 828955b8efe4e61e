import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';

/**
 * How deep a request body's arrays and objects may nest. Real payloads (CloudEvents, Avro
 * records, subscriptions) stay under 10; deeper input only serves to make recursive code
 * (JSON.stringify, schema walkers, hashing) spend stack and time.
 */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** A JSON body nested deeper than the service accepts; answered 400 INVALID_JSON. */
export class JsonTooDeepError extends Error {
  override readonly name = 'JsonTooDeepError';
  readonly statusCode = 400;

  constructor(readonly maxDepth: number) {
    super(`the JSON body nests arrays and objects deeper than ${maxDepth} levels`);
  }
}

/**
 * Reads JSON text for its nesting depth in one pass, without recursion, in as many pieces as it
 * comes in (string or bytes: the brackets, quotes and backslash JSON nests with are ASCII, and
 * UTF-8 never uses ASCII bytes inside a multi-byte character), so any input is scanned in linear
 * time and constant stack. Brackets inside strings do not count. The text need not be valid JSON:
 * the answer is about its brackets only; parsing comes after.
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly max: number) {}

  /** Reads the next piece; true once the text has nested deeper than `max`. */
  push(piece: string | Uint8Array): boolean {
    const text = typeof piece === 'string';
    for (let i = 0; i < piece.length; i++) {
      const c = text ? piece.charCodeAt(i) : piece[i]!;
      if (this.escaped) {
        this.escaped = false;
      } else if (this.inString) {
        if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (++this.depth > this.max) return true;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && this.depth > 0) {
        // Never below zero: stray closers first cannot buy extra depth later.
        this.depth--;
      }
    }
    return false;
  }
}

/** Whether JSON text nests arrays and objects deeper than `maxDepth` (see JsonDepthScanner). */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  return new JsonDepthScanner(maxDepth).push(text);
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Parses JSON bodies of `contentTypes` with Fastify's own parser (secure-json-parse, which
 * refuses `__proto__` and `constructor.prototype` keys), after refusing any body nested
 * deeper than `maxDepth` with a JsonTooDeepError. Call it before the app starts: it takes the
 * place of Nest's JSON and form parsers, so other media types (forms included) are not parsed.
 */
export function useBoundedJsonParser(app: NestFastifyApplication, contentTypes: readonly string[], maxDepth = DEFAULT_MAX_JSON_DEPTH): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>([...contentTypes], {}, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text, maxDepth)) {
      done(new JsonTooDeepError(maxDepth), undefined);
      return;
    }
    void parse(request, text, done);
  });
}
