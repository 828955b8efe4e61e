/**
 * Reads JSON text for its nesting depth in one pass, without recursion, in as many pieces as it
 * comes in (string or bytes: the brackets, quotes and backslash JSON nests with are ASCII, and
 * UTF-8 never uses ASCII bytes inside a multi-byte character). Brackets inside strings do not
 * count. The text need not be valid JSON: the answer is about its brackets only; parsing comes after.
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

/** Whether JSON text nests arrays and objects more than `max` levels deep (see JsonDepthScanner). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  return new JsonDepthScanner(max).push(text);
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
