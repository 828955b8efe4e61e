// Registers catalogue schemas with a Confluent-compatible registry (POST /subjects/<s>/versions).
// Browser-safe: global fetch only. Used by set-ups (tests, the demo, benchmarks); integrators use
// `rabt schemas push`, which also reports versions and refusals.
import type { CatalogueEntry } from './catalogue.types';
import { CATALOGUE } from './generated/catalogue.generated';

/** Registers each entry's schema under its subject; returns subject → schema id. Throws on any refusal. */
export async function registerCatalogueSchemas(
  registryUrl: string,
  credentials: { readonly username: string; readonly password: string },
  entries: readonly Pick<CatalogueEntry, 'subject' | 'schema'>[] = CATALOGUE,
): Promise<Map<string, number>> {
  const authorization = `Basic ${btoa(`${credentials.username}:${credentials.password}`)}`;
  const ids = new Map<string, number>();
  for (const entry of entries) {
    const res = await fetch(`${registryUrl}/subjects/${encodeURIComponent(entry.subject)}/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json', Authorization: authorization },
      body: JSON.stringify({ schema: JSON.stringify(entry.schema) }),
    });
    if (!res.ok) throw new Error(`registering ${entry.subject}: HTTP ${res.status} ${await res.text()}`);
    ids.set(entry.subject, ((await res.json()) as { id: number }).id);
  }
  return ids;
}
