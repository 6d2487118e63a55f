import type { QueryRunner } from 'typeorm';
import type { PartyRegisteredData } from '@wasteflow/domain';
import { readModelTable } from './database/migration-helpers';
import type { RowAccess } from './runner/row-access';
import { defineTable } from './runner/table';

/**
 * The parties' names and districts as a projection keeps them (from PartyRegistered), for the names its
 * rows and answers show and the districts its scopes filter by. Each projection has its own table (it
 * rebuilds alone); they share this one shape.
 */
export function definePartyNames<const N extends string>(name: N) {
  return defineTable({
    name,
    key: ['uscc'],
    columns: { uscc: 'text', name: 'text', districtCode: 'text' },
  });
}

export type PartyNamesTable = ReturnType<typeof definePartyNames>;

/**
 * Creates a party-names table in a projection's first migration and answers its quoted name (for an
 * index). The DDL those migrations have always run: a new column is a new migration, never a change here.
 */
export async function createPartyNamesTable(queryRunner: QueryRunner, name: string): Promise<string> {
  const table = readModelTable(queryRunner, name);
  await queryRunner.query(
    `CREATE TABLE ${table} (uscc text PRIMARY KEY, name text NOT NULL, district_code text NOT NULL)`,
  );
  return table;
}

/** A party as registered, into a party-names table. */
export function putPartyNames(rows: RowAccess, table: PartyNamesTable, party: PartyRegisteredData): void {
  rows.put(table, { uscc: party.uscc, name: party.name, districtCode: party.districtCode });
}
