import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (docs/audit.md). Rows are inserted unsealed and sealed once by the sealer; the
 * trigger makes that the only change the table accepts. It is defence in depth: a superuser can
 * disable triggers, which is why `rabt audit verify` checks the hash chain and the anchors.
 */
export class CreateAuditLog1764480700000 implements MigrationInterface {
  name = 'CreateAuditLog1764480700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_record" (
        "id" BIGSERIAL NOT NULL,
        "seq" bigint,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        "actor" varchar(200) NOT NULL,
        "action" varchar(64) NOT NULL,
        "subject" text NOT NULL,
        "reason" text,
        "details" jsonb NOT NULL DEFAULT '{}',
        "prev_hash" char(64),
        "hash" char(64),
        CONSTRAINT "PK_audit_record" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_audit_record_seal" CHECK (("seq" IS NULL AND "prev_hash" IS NULL AND "hash" IS NULL) OR ("seq" >= 1 AND "prev_hash" IS NOT NULL AND "hash" IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_audit_record_seq" ON "audit_record" ("seq")`);
    await q.query(`CREATE INDEX "IDX_audit_record_unsealed" ON "audit_record" ("id") WHERE "seq" IS NULL`);
    await q.query(`
      CREATE FUNCTION "audit_record_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' OR TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'audit_record is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'INSERT' THEN
          IF NEW."seq" IS NOT NULL OR NEW."prev_hash" IS NOT NULL OR NEW."hash" IS NOT NULL THEN
            RAISE EXCEPTION 'audit_record: a record is inserted unsealed; only the sealer seals it' USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END IF;
        -- UPDATE: only sealing an unsealed record, and nothing but its seal columns.
        IF OLD."seq" IS NOT NULL OR NEW."seq" IS NULL
           OR NEW."id" <> OLD."id" OR NEW."recorded_at" <> OLD."recorded_at" OR NEW."actor" <> OLD."actor"
           OR NEW."action" <> OLD."action" OR NEW."subject" <> OLD."subject"
           OR NEW."reason" IS DISTINCT FROM OLD."reason" OR NEW."details" <> OLD."details" THEN
          RAISE EXCEPTION 'audit_record is append-only: a sealed record cannot change, an unsealed one only gets its seal' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`CREATE TRIGGER "audit_record_append_only" BEFORE INSERT OR UPDATE OR DELETE ON "audit_record" FOR EACH ROW EXECUTE FUNCTION "audit_record_guard"()`);
    await q.query(`CREATE TRIGGER "audit_record_no_truncate" BEFORE TRUNCATE ON "audit_record" FOR EACH STATEMENT EXECUTE FUNCTION "audit_record_guard"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_record"`);
    await q.query(`DROP FUNCTION "audit_record_guard"()`);
  }
}
