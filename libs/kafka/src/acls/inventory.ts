import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE } from '@rabt/contracts';
import type { AclInventory } from './service-acls';

interface WorkflowFile {
  trigger?: { type?: string };
  withdrawal?: { type?: string };
  steps?: { awaits?: string; compensation?: { awaits?: string } }[];
}

/**
 * The event types the workflow definitions in `dir` (`<name>.v<N>.json`) start with or await:
 * what the workflow service consumes (its WorkflowDefinitions.consumedTypes, without validation;
 * the service validates the files at start).
 */
export function workflowConsumedTypes(dir: string): string[] {
  const types = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => /\.v[1-9][0-9]*\.json$/.test(f))) {
    const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkflowFile;
    for (const t of [d.trigger?.type, d.withdrawal?.type, ...(d.steps ?? []).flatMap((s) => [s.awaits, s.compensation?.awaits])]) if (t) types.add(t);
  }
  return [...types].sort();
}

/** The inventory of this checkout: the catalogue's topics and the workflow folder's consumed types. */
export function catalogueInventory(workflowsDir: string, groups?: AclInventory['groups']): AclInventory {
  return { catalogueTopics: CATALOGUE.map((e) => e.topic), workflowConsumes: workflowConsumedTypes(workflowsDir), ...(groups ? { groups } : {}) };
}
