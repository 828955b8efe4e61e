// Shared helpers for the schema-registry integration specs: Avro schema builders, request
// shorthands and assertions on the Confluent-style response and error shapes.
import { expect } from 'vitest';
import type { Credentials, Principal, RegistryHarness, RegistryResponse } from './registry.harness';

export const SR_JSON = 'application/vnd.schemaregistry.v1+json';
export const NAMESPACE = 'gov.rabt.test';

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export type Mode = 'READWRITE' | 'READONLY' | 'IMPORT';

export interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
  doc?: string;
}
/** An Avro schema as a JSON value: a primitive name, a record/enum object or a union array. */
export type AvroSchema = string | Record<string, unknown> | unknown[];

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A record schema in the test namespace. Fields are written in Avro's canonical attribute order. */
export function record(name: string, fields: AvroField[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'record', name, namespace: NAMESPACE, ...extra, fields };
}

export function enumSchema(name: string, symbols: string[]): Record<string, unknown> {
  return { type: 'enum', name, namespace: NAMESPACE, symbols };
}

export const idField: AvroField = { name: 'id', type: 'string' };

/** Unique names within a spec file: `next('tag')` -> `<agency>.<file>-<tag>-<n>-value`. */
export function subjectNames(file: string): (tag: string, agency?: string) => string {
  let n = 0;
  return (tag, agency = 'mom') => `${agency}.${file}-${tag}-${++n}-value`;
}

/** Unique Avro record names, so that schemas from different tests never share an id by accident. */
export function recordNames(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export function subjectPath(subject: string): string {
  return `/subjects/${encodeURIComponent(subject)}`;
}

export function registerBody(schema: AvroSchema, references?: SchemaReference[]): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: JSON.stringify(schema) };
  if (references) body['references'] = references;
  return body;
}

export interface AsOptions {
  as?: Principal | Credentials;
  references?: SchemaReference[];
}

export function register(sr: RegistryHarness, subject: string, schema: AvroSchema, options: AsOptions = {}): Promise<RegistryResponse> {
  return sr.request('POST', `${subjectPath(subject)}/versions`, { body: registerBody(schema, options.references), as: options.as ?? 'admin' });
}

/** Registers and asserts success; answers the schema id. */
export async function registerOk(sr: RegistryHarness, subject: string, schema: AvroSchema, options: AsOptions = {}): Promise<number> {
  const res = await register(sr, subject, schema, options);
  expect(res.status, show(res)).toBe(200);
  expect(res.body, show(res)).toMatchObject({ id: expect.any(Number) });
  return res.body.id as number;
}

export function lookup(sr: RegistryHarness, subject: string, schema: AvroSchema, query = '', options: AsOptions = {}): Promise<RegistryResponse> {
  return sr.request('POST', `${subjectPath(subject)}${query}`, { body: registerBody(schema, options.references), as: options.as ?? 'admin' });
}

export async function versionsOf(sr: RegistryHarness, subject: string): Promise<number[]> {
  const res = await sr.request('GET', `${subjectPath(subject)}/versions`);
  expect(res.status, show(res)).toBe(200);
  return res.body as number[];
}

export async function setCompatibility(sr: RegistryHarness, level: CompatibilityLevel, subject?: string): Promise<void> {
  const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
  const res = await sr.request('PUT', path, { body: { compatibility: level } });
  expect(res.status, show(res)).toBe(200);
  expect(res.body).toEqual({ compatibility: level });
}

export async function setMode(sr: RegistryHarness, mode: Mode, subject?: string): Promise<void> {
  const path = subject === undefined ? '/mode' : `/mode/${encodeURIComponent(subject)}`;
  const res = await sr.request('PUT', path, { body: { mode } });
  expect(res.status, show(res)).toBe(200);
  expect(res.body).toEqual({ mode });
}

/** One-line rendering of a response, used as the assertion message. */
export function show(res: RegistryResponse): string {
  return `HTTP ${res.status} ${JSON.stringify(res.body)}`;
}

export function expectStatus(res: RegistryResponse, status: number): void {
  expect(res.status, show(res)).toBe(status);
}

/** Asserts a Confluent error: the HTTP status and a body of exactly `{error_code, message}`. */
export function expectError(res: RegistryResponse, status: number, errorCode: number): void {
  expect(res.status, show(res)).toBe(status);
  expect(res.body, show(res)).toEqual({ error_code: errorCode, message: expect.any(String) });
}

export function header(res: RegistryResponse, name: string): string | undefined {
  const key = Object.keys(res.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : res.headers[key];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function expectRegistryContentType(res: RegistryResponse): void {
  expect(header(res, 'content-type') ?? '', show(res)).toMatch(/^application\/vnd\.schemaregistry\.v1\+json\b/);
}

/** Parses a schema string from a response and returns its JSON value, so comparisons ignore formatting. */
export function parseSchema(text: unknown): unknown {
  expect(typeof text).toBe('string');
  return JSON.parse(text as string) as unknown;
}
