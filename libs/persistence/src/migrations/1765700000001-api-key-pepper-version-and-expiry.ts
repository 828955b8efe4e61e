import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agency API keys record the version of the pepper their hash was made under (every existing
 * key was hashed under RABT_API_KEY_PEPPER, version 1), so the pepper can rotate; and may carry
 * an expiry, after which they authenticate no more than a revoked key. The partial index serves
 * the "expiring soon" queries (gateway metric, operator console), which look at live keys only.
 */
export class ApiKeyPepperVersionAndExpiry1765700000001 implements MigrationInterface {
  name = 'ApiKeyPepperVersionAndExpiry1765700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "agency_api_key" ADD "pepper_version" integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE "agency_api_key" ADD CONSTRAINT "CHK_agency_api_key_pepper_version" CHECK ("pepper_version" >= 1)`);
    await q.query(`ALTER TABLE "agency_api_key" ADD "expires_at" timestamptz`);
    await q.query(`CREATE INDEX "IDX_agency_api_key_expires" ON "agency_api_key" ("expires_at") WHERE "expires_at" IS NOT NULL AND "revoked_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_agency_api_key_expires"`);
    await q.query(`ALTER TABLE "agency_api_key" DROP COLUMN "expires_at"`);
    await q.query(`ALTER TABLE "agency_api_key" DROP CONSTRAINT "CHK_agency_api_key_pepper_version"`);
    await q.query(`ALTER TABLE "agency_api_key" DROP COLUMN "pepper_version"`);
  }
}
