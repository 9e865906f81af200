import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ExampleAccounts1795436552689 implements MigrationInterface {
  name = 'ExampleAccounts1795436552689';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "example_account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "position" integer NOT NULL, "name" text NOT NULL, "description" text, "attributes" jsonb NOT NULL, "expected_tier" text, "expected_disqualified" boolean, "expected_band" text, CONSTRAINT "uq_example_account_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_42699f370cf0666f6faa594b76c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "example_account" ADD CONSTRAINT "FK_3b88024b7da72c888764f8bbe0c" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "example_account" ADD CONSTRAINT "FK_d271f48b9c63d589dbecafc7870" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Added by hand: the application role's privileges on the new table.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON example_account TO icp_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON example_account FROM icp_app`);
    await queryRunner.query(`ALTER TABLE "example_account" DROP CONSTRAINT "FK_d271f48b9c63d589dbecafc7870"`);
    await queryRunner.query(`ALTER TABLE "example_account" DROP CONSTRAINT "FK_3b88024b7da72c888764f8bbe0c"`);
    await queryRunner.query(`DROP TABLE "example_account"`);
  }
}
