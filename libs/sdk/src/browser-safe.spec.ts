import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every bare module specifier reachable from `entry` through relative imports. */
function packagesReachableFrom(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      if (spec!.startsWith('.')) visit(`${resolve(dirname(file), spec!)}.ts`);
      else packages.add(spec!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('entry points', () => {
  it('@rabt/sdk reaches only @rabt/contracts and standardwebhooks (both browser-safe): no node:, no avsc, no Buffer', () => {
    const { files, packages } = packagesReachableFrom(join(__dirname, 'index.ts'));
    expect([...packages].sort()).toEqual(['@rabt/contracts', 'standardwebhooks']);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bBuffer\b|\bprocess\./);
    expect(files.size).toBeGreaterThanOrEqual(6);
  });

  it("@rabt/sdk/node adds only avsc and Node's own modules (mutual TLS) on top", () => {
    const { packages } = packagesReachableFrom(join(__dirname, 'node.ts'));
    expect([...packages].sort()).toEqual(['@rabt/contracts', 'avsc', 'node:crypto', 'node:http', 'node:tls', 'standardwebhooks']);
  });
});
