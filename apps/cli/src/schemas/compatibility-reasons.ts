// Confluent's verbose compatibility messages, trimmed to what a person needs to read.

/**
 * The registry's reasons, one per incompatibility: Confluent's `{errorType:'…', description:'…', …}`
 * entries and the compatibility level, without the old schema's full text.
 */
export function reasonsOf(messages: unknown): string[] {
  const list = Array.isArray(messages) ? messages.map(String) : typeof messages === 'string' ? [messages] : [];
  const reasons: string[] = [];
  for (const message of list) {
    const found = message.match(/\{errorType:'[^']*', description:'.*?', additionalInfo:'.*?'\}|\{compatibility: '[A-Z_]+'\}/g);
    if (found) reasons.push(...found);
    else if (!/^\{oldSchema(Version)?: /.test(message)) reasons.push(message);
  }
  return reasons;
}
