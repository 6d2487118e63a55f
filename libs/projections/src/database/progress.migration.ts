import type { MigrationInterface, QueryRunner } from 'typeorm';
import { readModelTable } from './migration-helpers';

/**
 * Each projection's own progress beside its checkpoint (ADR 0011):
 * - `failure`: why the projection stopped alone (JSON: position, event type and id, phase, message, when),
 *   null while it is healthy. Read by every process (an api whose projector runs elsewhere shows it in
 *   /health) and cleared when the projection commits past that position again or is rebuilt.
 * - `generation`: bumped when a rebuild swaps the projection's shadow tables in. A live batch commit checks
 *   it, so a batch computed over the tables before a swap is never written into the tables after it.
 * - `version`: the projection's code version (`Projection.version`) its tables were built by; a runner
 *   whose code has another version rebuilds it in shadow tables.
 */
export class ProjectionProgress1764400000050 implements MigrationInterface {
  readonly name = 'ProjectionProgress1764400000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    const checkpoint = readModelTable(queryRunner, 'projection_checkpoint');
    await queryRunner.query(`ALTER TABLE ${checkpoint} ADD COLUMN failure text`);
    await queryRunner.query(`ALTER TABLE ${checkpoint} ADD COLUMN generation integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE ${checkpoint} ADD COLUMN version integer NOT NULL DEFAULT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const checkpoint = readModelTable(queryRunner, 'projection_checkpoint');
    for (const column of ['version', 'generation', 'failure'])
      await queryRunner.query(`ALTER TABLE ${checkpoint} DROP COLUMN ${column}`);
  }
}
