import type { MigrationInterface, QueryRunner } from 'typeorm';
import { readModelTable } from './migration-helpers';

/**
 * The runner's own tables, first of all read-model migrations.
 *
 * Positions may exceed 2^53: PostgreSQL `bigint`, SQLite INTEGER (64-bit); the runner always reads them
 * as text or bigint, never as a JS number. `expires_at` is epoch milliseconds; `token` grows by one each
 * time the lease changes hands and fences out a former owner's late commits.
 */
export class ProjectionInfrastructure1764400000000 implements MigrationInterface {
  readonly name = 'ProjectionInfrastructure1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const checkpoint = readModelTable(queryRunner, 'projection_checkpoint');
    const lease = readModelTable(queryRunner, 'projection_lease');
    await queryRunner.query(
      `CREATE TABLE ${checkpoint} (
         name text PRIMARY KEY,
         position ${postgres ? 'bigint' : 'INTEGER'} NOT NULL CHECK (position >= 0),
         updated_at ${postgres ? 'timestamptz' : 'TEXT'} NOT NULL
       )`,
    );
    await queryRunner.query(
      `CREATE TABLE ${lease} (
         name text PRIMARY KEY,
         owner text NOT NULL,
         token ${postgres ? 'bigint' : 'INTEGER'} NOT NULL,
         expires_at ${postgres ? 'bigint' : 'INTEGER'} NOT NULL
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'projection_lease')}`);
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'projection_checkpoint')}`);
  }
}
