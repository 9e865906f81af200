import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795435729358 implements MigrationInterface {
  name = 'InitialSchema1795435729358';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "attribute_definition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "name" text NOT NULL, "type" text NOT NULL, "description" text, "allowed_values" text array NOT NULL DEFAULT '{}', "unit" text, CONSTRAINT "PK_61646231ed67b6bbac84af684e3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0cddc0adf8c11e6c29cafd5a8a" ON "attribute_definition"  ("workspace_id", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "revision" ("seq" BIGSERIAL NOT NULL, "workspace_id" uuid NOT NULL, "chain_index" integer NOT NULL, "entity_type" text NOT NULL, "entity_id" uuid NOT NULL, "icp_id" uuid, "revision" integer NOT NULL, "action" text NOT NULL, "actor_id" uuid, "actor_label" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, "before" jsonb, "after" jsonb, "patch" jsonb NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_a690e3303b7bc117e8b9b66c02f" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b7135536b3ef631167638d6b22" ON "revision"  ("workspace_id", "at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_63db4ea3be005d0c654be2ac0f" ON "revision"  ("workspace_id", "icp_id", "at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f1d75d5df9e1dbf3844541278b" ON "revision"  ("entity_id", "revision") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c48e70757406ab113f58e4cc4c" ON "revision"  ("workspace_id", "chain_index") `,
    );
    await queryRunner.query(
      `CREATE TABLE "disqualifier" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "position" integer NOT NULL, "name" text NOT NULL, "category" text, "expression" text, "reason" text, CONSTRAINT "uq_disqualifier_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_e97f0c216d4f93a9e6133803cad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "icp" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "slug" text NOT NULL, "name" text NOT NULL, "status" text NOT NULL, "description" text, "target_audience" text, "profile" jsonb NOT NULL DEFAULT '[]', "characteristics" text array NOT NULL DEFAULT '{}', "value_propositions" text array NOT NULL DEFAULT '{}', "primary_pains" text array NOT NULL DEFAULT '{}', "secondary_pains" text array NOT NULL DEFAULT '{}', "must_have" jsonb NOT NULL DEFAULT '[]', "nice_to_have" jsonb NOT NULL DEFAULT '[]', "validation_questions" jsonb NOT NULL DEFAULT '[]', "research_checklist" jsonb NOT NULL DEFAULT '[]', "example_companies" text array NOT NULL DEFAULT '{}', "buying_process" text array NOT NULL DEFAULT '{}', "decision_timeline" text, "budget" text, "current_tools" text array NOT NULL DEFAULT '{}', "channels" jsonb NOT NULL DEFAULT '[]', "crm_fields" jsonb NOT NULL DEFAULT '[]', "notes" text array NOT NULL DEFAULT '{}', CONSTRAINT "PK_e6b98edf1d547d703387326da2b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2ebad94f5a1389a46a6d78d6fd" ON "icp"  ("workspace_id", "slug") `);
    await queryRunner.query(
      `CREATE TABLE "persona" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "tier_id" uuid, "position" integer NOT NULL, "name" text NOT NULL, "buying_role" text NOT NULL, "description" text, "job_titles" text array NOT NULL DEFAULT '{}', "age_range" text, "gender" text, "job_function" text, "sectors" text array NOT NULL DEFAULT '{}', "education" text, "seniority" text, "experience" text, "company_context" text, "geographies" text array NOT NULL DEFAULT '{}', "role_in_purchasing" text, "time_to_decide" text, "budget_authority" text, "focus" text array NOT NULL DEFAULT '{}', "habits" text array NOT NULL DEFAULT '{}', "challenges" text array NOT NULL DEFAULT '{}', "goals" text array NOT NULL DEFAULT '{}', "pain_points" text array NOT NULL DEFAULT '{}', "triggers" text array NOT NULL DEFAULT '{}', "media" text array NOT NULL DEFAULT '{}', "content_interests" text array NOT NULL DEFAULT '{}', "influencers" text array NOT NULL DEFAULT '{}', "technologies" text array NOT NULL DEFAULT '{}', "decision_criteria" text array NOT NULL DEFAULT '{}', "objections" text array NOT NULL DEFAULT '{}', "channels" text array NOT NULL DEFAULT '{}', "quote" text, CONSTRAINT "uq_persona_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_13aefc75f60510f2be4cd243d71" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_56117514747199672615c503d0" ON "persona"  ("tier_id") `);
    await queryRunner.query(
      `CREATE TABLE "scoring_dimension" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "position" integer NOT NULL, "name" text NOT NULL, "max" double precision NOT NULL, "description" text, "factors" text array NOT NULL DEFAULT '{}', CONSTRAINT "uq_scoring_dimension_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_90ba900c53e7b4212f9fb50ecbf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "scoring_rule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "dimension_id" uuid NOT NULL, "position" integer NOT NULL, "name" text NOT NULL, "condition" text NOT NULL, "points" text NOT NULL, "description" text, CONSTRAINT "uq_scoring_rule_dimension_id_name" UNIQUE ("dimension_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_047d9ae12271e9c1a2900673d4a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8c3e34640adceb4e0ae4e14efd" ON "scoring_rule"  ("icp_id") `);
    await queryRunner.query(
      `CREATE TABLE "action_band" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "name" text NOT NULL, "min_score" double precision NOT NULL, "action" text NOT NULL, "description" text, CONSTRAINT "uq_action_band_icp_id_min_score" UNIQUE ("icp_id", "min_score") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "uq_action_band_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_927172dfcf6e9bfd5cfdfc8e130" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "tier" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "rank" integer NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "focus_share" double precision, "criteria" text, "description" text, "profile" jsonb NOT NULL DEFAULT '[]', "characteristics" text array NOT NULL DEFAULT '{}', "value_propositions" text array NOT NULL DEFAULT '{}', "examples" text array NOT NULL DEFAULT '{}', "why_they_buy" text array NOT NULL DEFAULT '{}', "action" text, CONSTRAINT "uq_tier_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "uq_tier_icp_id_rank" UNIQUE ("icp_id", "rank") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_14d67ceef0dbea040e39e97e7f6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "trigger_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "position" integer NOT NULL, "name" text NOT NULL, "category" text, "expression" text, "reason" text, CONSTRAINT "uq_trigger_event_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_79bbc8c2af95776e801c7eaab11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "use_case_pattern" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "position" integer NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "industry" text, "industries" text array NOT NULL DEFAULT '{}', "description" text, "pain_points" text array NOT NULL DEFAULT '{}', "use_cases" text array NOT NULL DEFAULT '{}', "key_metrics" text array NOT NULL DEFAULT '{}', "competitors" text array NOT NULL DEFAULT '{}', "characteristics" text array NOT NULL DEFAULT '{}', "examples" text array NOT NULL DEFAULT '{}', CONSTRAINT "uq_use_case_pattern_icp_id_name" UNIQUE ("icp_id", "name") DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT "PK_d68216302ea7d8ee9830d151690" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "icp_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "icp_id" uuid NOT NULL, "version" integer NOT NULL, "changelog" text NOT NULL, "published_by_id" uuid, "published_by" text NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "snapshot" text NOT NULL, "snapshot_hash" text NOT NULL, CONSTRAINT "PK_aeaefc6d4abbdda2ac0926ebe37" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_403a829ee83d3653322dfaea4f" ON "icp_version"  ("icp_id", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workspace" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "slug" text NOT NULL, "name" text NOT NULL, "description" text, CONSTRAINT "PK_ca86b6f9b3be5fe26d307d09b49" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0d706c438a9b1ae0ac9806a201" ON "workspace"  ("slug") `);
    await queryRunner.query(
      `ALTER TABLE "attribute_definition" ADD CONSTRAINT "FK_af64ee9c02acc4789664880e005" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disqualifier" ADD CONSTRAINT "FK_cb5d66b1c0c8676bbc1997b26f9" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disqualifier" ADD CONSTRAINT "FK_8208277e838fe453265be6e16e9" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "icp" ADD CONSTRAINT "FK_5f794d23d60c081b90cc394e32f" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "persona" ADD CONSTRAINT "FK_a635be00320cb3d8e6120fb8220" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "persona" ADD CONSTRAINT "FK_dc3f8f68f756b90f2a54d383381" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "persona" ADD CONSTRAINT "FK_56117514747199672615c503d02" FOREIGN KEY ("tier_id") REFERENCES "tier"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_dimension" ADD CONSTRAINT "FK_672dcf7692f82de481ce6129607" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_dimension" ADD CONSTRAINT "FK_f569f93312fa8691f02b17dcac2" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_rule" ADD CONSTRAINT "FK_15ed1ad46f829a2ccff7e3c0e48" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_rule" ADD CONSTRAINT "FK_8c3e34640adceb4e0ae4e14efd5" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_rule" ADD CONSTRAINT "FK_d97987a5a6a9540ade64b030660" FOREIGN KEY ("dimension_id") REFERENCES "scoring_dimension"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "action_band" ADD CONSTRAINT "FK_8bded33e0a8cdc959f3bd7d66ce" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "action_band" ADD CONSTRAINT "FK_e77ea1e5e128b2308e2e6850768" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tier" ADD CONSTRAINT "FK_3dfaebb5b80fb8cd5ea4eba7a2a" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tier" ADD CONSTRAINT "FK_9c277af5f9cd777a2f877344d1e" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "trigger_event" ADD CONSTRAINT "FK_65377318d1d1f5e68d28b539c84" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "trigger_event" ADD CONSTRAINT "FK_74e4a2884659b115aea6f6b20c3" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "use_case_pattern" ADD CONSTRAINT "FK_abf47e9b80152a8da855177912f" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "use_case_pattern" ADD CONSTRAINT "FK_6f2877bfbe3fe738090f423aa91" FOREIGN KEY ("icp_id") REFERENCES "icp"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "use_case_pattern" DROP CONSTRAINT "FK_6f2877bfbe3fe738090f423aa91"`);
    await queryRunner.query(`ALTER TABLE "use_case_pattern" DROP CONSTRAINT "FK_abf47e9b80152a8da855177912f"`);
    await queryRunner.query(`ALTER TABLE "trigger_event" DROP CONSTRAINT "FK_74e4a2884659b115aea6f6b20c3"`);
    await queryRunner.query(`ALTER TABLE "trigger_event" DROP CONSTRAINT "FK_65377318d1d1f5e68d28b539c84"`);
    await queryRunner.query(`ALTER TABLE "tier" DROP CONSTRAINT "FK_9c277af5f9cd777a2f877344d1e"`);
    await queryRunner.query(`ALTER TABLE "tier" DROP CONSTRAINT "FK_3dfaebb5b80fb8cd5ea4eba7a2a"`);
    await queryRunner.query(`ALTER TABLE "action_band" DROP CONSTRAINT "FK_e77ea1e5e128b2308e2e6850768"`);
    await queryRunner.query(`ALTER TABLE "action_band" DROP CONSTRAINT "FK_8bded33e0a8cdc959f3bd7d66ce"`);
    await queryRunner.query(`ALTER TABLE "scoring_rule" DROP CONSTRAINT "FK_d97987a5a6a9540ade64b030660"`);
    await queryRunner.query(`ALTER TABLE "scoring_rule" DROP CONSTRAINT "FK_8c3e34640adceb4e0ae4e14efd5"`);
    await queryRunner.query(`ALTER TABLE "scoring_rule" DROP CONSTRAINT "FK_15ed1ad46f829a2ccff7e3c0e48"`);
    await queryRunner.query(`ALTER TABLE "scoring_dimension" DROP CONSTRAINT "FK_f569f93312fa8691f02b17dcac2"`);
    await queryRunner.query(`ALTER TABLE "scoring_dimension" DROP CONSTRAINT "FK_672dcf7692f82de481ce6129607"`);
    await queryRunner.query(`ALTER TABLE "persona" DROP CONSTRAINT "FK_56117514747199672615c503d02"`);
    await queryRunner.query(`ALTER TABLE "persona" DROP CONSTRAINT "FK_dc3f8f68f756b90f2a54d383381"`);
    await queryRunner.query(`ALTER TABLE "persona" DROP CONSTRAINT "FK_a635be00320cb3d8e6120fb8220"`);
    await queryRunner.query(`ALTER TABLE "icp" DROP CONSTRAINT "FK_5f794d23d60c081b90cc394e32f"`);
    await queryRunner.query(`ALTER TABLE "disqualifier" DROP CONSTRAINT "FK_8208277e838fe453265be6e16e9"`);
    await queryRunner.query(`ALTER TABLE "disqualifier" DROP CONSTRAINT "FK_cb5d66b1c0c8676bbc1997b26f9"`);
    await queryRunner.query(`ALTER TABLE "attribute_definition" DROP CONSTRAINT "FK_af64ee9c02acc4789664880e005"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0d706c438a9b1ae0ac9806a201"`);
    await queryRunner.query(`DROP TABLE "workspace"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_403a829ee83d3653322dfaea4f"`);
    await queryRunner.query(`DROP TABLE "icp_version"`);
    await queryRunner.query(`DROP TABLE "use_case_pattern"`);
    await queryRunner.query(`DROP TABLE "trigger_event"`);
    await queryRunner.query(`DROP TABLE "tier"`);
    await queryRunner.query(`DROP TABLE "action_band"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8c3e34640adceb4e0ae4e14efd"`);
    await queryRunner.query(`DROP TABLE "scoring_rule"`);
    await queryRunner.query(`DROP TABLE "scoring_dimension"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_56117514747199672615c503d0"`);
    await queryRunner.query(`DROP TABLE "persona"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2ebad94f5a1389a46a6d78d6fd"`);
    await queryRunner.query(`DROP TABLE "icp"`);
    await queryRunner.query(`DROP TABLE "disqualifier"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c48e70757406ab113f58e4cc4c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1d75d5df9e1dbf3844541278b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_63db4ea3be005d0c654be2ac0f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b7135536b3ef631167638d6b22"`);
    await queryRunner.query(`DROP TABLE "revision"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0cddc0adf8c11e6c29cafd5a8a"`);
    await queryRunner.query(`DROP TABLE "attribute_definition"`);
  }
}
