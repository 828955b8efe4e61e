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
 * Whether JSON text nests arrays and objects deeper than `maxDepth`. One pass over the text
 * with a counter, no recursion, so any input is scanned in linear time and constant stack.
 * Brackets inside strings do not count. Text that is not JSON at all is left for the parser
 * to refuse.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

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
