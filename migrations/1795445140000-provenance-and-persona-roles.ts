import { type MigrationInterface, type QueryRunner } from 'typeorm';

const PARTS = [
  'icp',
  'tier',
  'persona',
  'use_case_pattern',
  'disqualifier',
  'trigger_event',
  'scoring_dimension',
  'scoring_rule',
  'action_band',
  'example_account',
];

/**
 * Issue 14: every ICP part records where it comes from (`provenance`: a
 * source document and section, or derived with the reasoning); a persona may
 * hold several buying roles and apply only under a condition; an ICP lists
 * its competitors. The single buying role becomes the first of the list.
 */
export class ProvenanceAndPersonaRoles1795445140000 implements MigrationInterface {
  name = 'ProvenanceAndPersonaRoles1795445140000';

  public async up(q: QueryRunner): Promise<void> {
    for (const table of PARTS) await q.query(`ALTER TABLE "${table}" ADD "provenance" jsonb`);
    await q.query(`ALTER TABLE "icp" ADD "competitors" text array NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE "persona" ADD "buying_roles" text array NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE "persona" SET "buying_roles" = ARRAY["buying_role"]`);
    await q.query(`ALTER TABLE "persona" DROP COLUMN "buying_role"`);
    await q.query(`ALTER TABLE "persona" ADD "applies_when" text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "persona" DROP COLUMN "applies_when"`);
    await q.query(`ALTER TABLE "persona" ADD "buying_role" text NOT NULL DEFAULT 'OTHER'`);
    await q.query(`UPDATE "persona" SET "buying_role" = COALESCE("buying_roles"[1], 'OTHER')`);
    await q.query(`ALTER TABLE "persona" ALTER COLUMN "buying_role" DROP DEFAULT`);
    await q.query(`ALTER TABLE "persona" DROP COLUMN "buying_roles"`);
    await q.query(`ALTER TABLE "icp" DROP COLUMN "competitors"`);
    for (const table of PARTS) await q.query(`ALTER TABLE "${table}" DROP COLUMN "provenance"`);
  }
}
