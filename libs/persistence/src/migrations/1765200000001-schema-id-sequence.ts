import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automatic schema ids come from a sequence, never from MAX(id) + 1: an id imported at the top
 * of the range (2^31 - 1) would otherwise leave no next id for anyone. The sequence is bigint so
 * that running past the last integer id is an answer the registry gives, not a sequence error.
 * It starts past every id already stored. Imported ids never move it; the registry skips the
 * ones it meets (RegistryRepository.nextSchemaId).
 */
export class SchemaIdSequence1765200000001 implements MigrationInterface {
  name = 'SchemaIdSequence1765200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE "sr_schema_id_seq" AS bigint MINVALUE 1 START WITH 1 OWNED BY "sr_schema"."id"`);
    await q.query(`SELECT setval('sr_schema_id_seq', COALESCE(MAX("id"), 0)::bigint + 1, false) FROM "sr_schema"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE "sr_schema_id_seq"`);
  }
}
