import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@rabt/testing';

// deploy/grafana/rabt-dashboard.json: a Grafana 10+ dashboard whose queries name only metrics the
// services really register (so a renamed metric breaks this test, not a dashboard in production).
const dashboard = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'deploy/grafana/rabt-dashboard.json'), 'utf8')) as {
  uid: string;
  schemaVersion: number;
  panels: { id: number; type: string; gridPos: unknown; targets?: { expr: string }[] }[];
  templating: { list: { name: string }[] };
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every `name: 'rabt_…'` a service or library registers with prom-client. */
const registered = new Set(
  [...sourceFiles(join(WORKSPACE_ROOT, 'apps')), ...sourceFiles(join(WORKSPACE_ROOT, 'libs'))].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/name: '(rabt_[a-z_]+)'/g)].map((m) => m[1]!)),
);

describe('the Grafana dashboard', () => {
  it('is a Grafana 10+ dashboard with unique panel ids and a datasource variable', () => {
    expect(dashboard.uid).toBe('rabt-flow');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) expect(p.gridPos).toBeDefined();
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'agency', 'type']);
  });

  it('queries only registered metrics, and shows every per-agency flow metric', () => {
    const used = new Set(dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => [...t.expr.matchAll(/\b(rabt_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')))));
    for (const name of used) expect(registered, name).toContain(name);
    for (const name of ['rabt_published_total', 'rabt_routed_total', 'rabt_delivered_total', 'rabt_delivery_failed_total', 'rabt_dead_lettered_total', 'rabt_delivery_latency_seconds', 'rabt_dead_letter_backlog']) {
      expect(used, name).toContain(name);
    }
  });
});
