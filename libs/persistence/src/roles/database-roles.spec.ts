import 'reflect-metadata';
import { getMetadataArgsStorage } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../entities';
import { SEQUENCE_GRANTS, TABLE_GRANTS } from '../migrations/1765800000001-service-role-grants';
import { databaseUrlAs, grantTable, SERVICE_ROLES } from './database-roles';

describe('service role grants', () => {
  it('name only tables an entity maps, or the migrations table (no misspelt table)', () => {
    const tables = getMetadataArgsStorage()
      .tables.filter((t) => (ENTITIES as unknown[]).includes(t.target))
      .map((t) => t.name!);
    expect(tables.length).toBe(ENTITIES.length);
    expect(Object.keys(TABLE_GRANTS).filter((t) => t !== 'rabt_migrations' && !tables.includes(t))).toEqual([]);
  });

  it('give no service DELETE or a whole-row UPDATE on the audit log', () => {
    for (const list of Object.values(TABLE_GRANTS['audit_record']!)) {
      expect(list).not.toMatch(/DELETE/);
      expect(list).not.toMatch(/UPDATE(?! \("seq", "prev_hash", "hash"\))/);
    }
  });

  it('give the gateway nothing but SELECT on deliveries and their attempts', () => {
    expect(TABLE_GRANTS['delivery']!.gateway).toBe('SELECT');
    expect(TABLE_GRANTS['delivery_attempt']!.gateway).toBe('SELECT');
    expect(TABLE_GRANTS['operator']!.dispatcher).toBeUndefined();
    expect(TABLE_GRANTS['operator_session']!.dispatcher).toBeUndefined();
  });

  it('list only sequences, each with USAGE', () => {
    for (const grants of Object.values(SEQUENCE_GRANTS)) for (const list of Object.values(grants)) expect(list).toMatch(/^USAGE(, UPDATE)?$/);
  });

  it('refuse a table name or privilege list that is not plain SQL, before any statement runs', async () => {
    const queries: string[] = [];
    const q = { query: async (sql: string) => void queries.push(sql) } as never;
    await expect(grantTable(q, 'agency; DROP TABLE agency', {})).rejects.toThrow(/not a plain identifier/);
    await expect(grantTable(q, 'agency', { gateway: 'SELECT; DROP TABLE agency' })).rejects.toThrow(/not a privilege list/);
    await expect(grantTable(q, 'agency', { gateway: 'SELECT, UPDATE ("x"), TRUNCATE' })).rejects.toThrow(/not a privilege list/);
    expect(queries.every((sql) => !sql.includes('DROP'))).toBe(true);
  });

  it('a service URL carries the role and no password', () => {
    expect(databaseUrlAs('postgres://postgres:secret@127.0.0.1:5432/rabt', SERVICE_ROLES.router)).toBe('postgres://rabt_router@127.0.0.1:5432/rabt');
  });
});
