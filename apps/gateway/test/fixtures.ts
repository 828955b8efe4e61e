import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { WORKSPACE_ROOT } from '@rabt/testing';

export const REPORTED = 'mom.employee.left-work-reported';
export const ABSCONDING = 'rop.residence.absconding-registered';

export function fixture(type: string, kind: 'ok' | 'not-ok', name?: string): Record<string, unknown> {
  const dir = join(WORKSPACE_ROOT, 'test/fixtures', type, kind);
  const file = name ?? readdirSync(dir).sort()[0]!;
  return JSON.parse(readFileSync(join(dir, file.endsWith('.json') ? file : `${file}.json`), 'utf8')) as Record<string, unknown>;
}

export function fixtures(type: string, kind: 'ok' | 'not-ok'): { name: string; data: Record<string, unknown> }[] {
  const dir = join(WORKSPACE_ROOT, 'test/fixtures', type, kind);
  return readdirSync(dir)
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), data: fixture(type, kind, f) }));
}

/** A structured CloudEvent from `agency` with a fresh id. */
export function cloudEvent(agency: string, type: string, data: unknown, extra: Record<string, unknown> = {}) {
  return { specversion: '1.0', id: `evt-${randomUUID()}`, source: `urn:rabt:agency:${agency}`, type, time: new Date().toISOString(), data, ...extra };
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function post(url: string, key: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/cloudevents+json', ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export async function get(url: string, key?: string): Promise<Answer> {
  const res = await fetch(url, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
