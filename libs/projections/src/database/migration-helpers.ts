import type { MigrationInterface, QueryRunner } from 'typeorm';
import { assertIdentifier } from '../runner/table';

/** A migration class as TypeORM takes it. */
export type MigrationClass = new () => MigrationInterface;

export function quoteIdentifier(name: string): string {
  assertIdentifier('identifier', name);
  return `"${name}"`;
}

/**
 * The quoted, schema-qualified name of a read-model table for raw SQL in a migration. Qualifying (rather
 * than trusting search_path) keeps a migration correct whoever built the DataSource.
 */
export function readModelTable(queryRunner: QueryRunner, table: string): string {
  const options = queryRunner.connection.options;
  const schema = options.type === 'postgres' ? options.schema : undefined;
  return schema ? `${quoteIdentifier(schema)}.${quoteIdentifier(table)}` : quoteIdentifier(table);
}

/** True on PostgreSQL, for the few column types that differ (timestamptz, jsonb, boolean). */
export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}
