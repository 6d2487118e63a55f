import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { CHECKPOINT_TABLE } from '../database/backend';
import { quoteIdentifier } from '../database/migration-helpers';

/**
 * What the dashboard's query services share (indicators, inventory, alerts): reading several statements
 * from one consistent snapshot together with the checkpoint they reflect, read scopes, paging, and exact
 * gram → kg formatting. (`query/read-model-reader.ts` is the trace and manifest queries' reader; this one
 * adds the multi-statement snapshot a paged list with totals and a checkpoint needs on PostgreSQL.)
 */

export type SqlRow = Record<string, unknown>;

/** A read statement with `:name` placeholders (no `::` casts, no colons in literals). */
export interface SnapshotStatement {
  readonly sql: string;
  readonly params?: Readonly<Record<string, string | number | bigint | null>>;
}

const PLACEHOLDER = /(?<![:\w]):([A-Za-z_]\w*)/g;

/**
 * Runs read statements on the read-model database, all against one snapshot: on PostgreSQL one
 * `REPEATABLE READ, READ ONLY` transaction; on SQLite one synchronous read transaction on the
 * DataSource's own better-sqlite3 connection (the runner's batch commits are synchronous too, so no batch
 * lands between two statements, and WAL gives a snapshot against other processes). So figures and the
 * checkpoint they are reported at always agree.
 */
export class SnapshotReader {
  readonly dialect: 'sqlite' | 'postgres';
  private readonly schema: string | undefined;
  private readonly sqlite: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement<unknown[], SqlRow>>();

  constructor(private readonly dataSource: DataSource) {
    const options = dataSource.options;
    if (options.type === 'postgres') {
      this.dialect = 'postgres';
      this.schema = options.schema;
    } else if (options.type === 'better-sqlite3') {
      this.dialect = 'sqlite';
      const driver = dataSource.driver as unknown as { databaseConnection?: Database.Database };
      if (!driver.databaseConnection) throw new Error('The read-model DataSource is not initialized');
      this.sqlite = driver.databaseConnection;
    } else {
      throw new Error(`Unsupported read-model database ${options.type}`);
    }
  }

  /** The quoted (and on PostgreSQL schema-qualified) name of a read-model table. */
  table(name: string): string {
    return this.schema ? `${quoteIdentifier(this.schema)}.${quoteIdentifier(name)}` : quoteIdentifier(name);
  }

  /** SQL that reads one projection's checkpoint as text (0 when it has none yet), as a single row `position`. */
  checkpointStatement(projection: string): SnapshotStatement {
    return {
      sql: `SELECT CAST(COALESCE(MAX(position), 0) AS TEXT) AS position FROM ${this.table(CHECKPOINT_TABLE)} WHERE name = :projection`,
      params: { projection },
    };
  }

  /** Runs the statements against one snapshot; returns their rows in order. */
  async snapshot(statements: readonly SnapshotStatement[]): Promise<SqlRow[][]> {
    if (this.sqlite) return this.sqliteSnapshot(this.sqlite, statements);
    const runner = this.dataSource.createQueryRunner('slave');
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      try {
        const results: SqlRow[][] = [];
        for (const statement of statements) {
          const { sql, values } = toPostgres(statement);
          results.push((await runner.query(sql, values)) as SqlRow[]);
        }
        await runner.query('COMMIT');
        return results;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private sqliteSnapshot(db: Database.Database, statements: readonly SnapshotStatement[]): SqlRow[][] {
    const prepared = statements.map((s) => ({ statement: this.prepare(db, s.sql), params: bindable(s) }));
    // A deferred transaction: the snapshot starts at the first read and holds to the end.
    return db.transaction(() => prepared.map(({ statement, params }) => statement.all(params)))();
  }

  private prepare(db: Database.Database, sql: string): Database.Statement<unknown[], SqlRow> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], SqlRow>(sql);
      statement.safeIntegers(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** better-sqlite3 wants exactly the named parameters the statement uses. */
function bindable(statement: SnapshotStatement): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const match of statement.sql.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!statement.params || !(name in statement.params)) throw new Error(`No value for :${name}`);
    params[name] = statement.params[name];
  }
  return params;
}

function toPostgres(statement: SnapshotStatement): { sql: string; values: unknown[] } {
  const index = new Map<string, number>();
  const values: unknown[] = [];
  const sql = statement.sql.replace(PLACEHOLDER, (_all, name: string) => {
    if (!statement.params || !(name in statement.params)) throw new Error(`No value for :${name}`);
    let n = index.get(name);
    if (n === undefined) {
      const value = statement.params[name];
      values.push(typeof value === 'bigint' ? value.toString() : value);
      n = values.length;
      index.set(name, n);
    }
    return `$${n}`;
  });
  return { sql, values };
}

// ---------------------------------------------------------------------------------------------------
// values

/** An integer from either driver (bigint from better-sqlite3 with safe integers, string from pg). */
export function bigintOf(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`Not an exact integer from the database: ${value}`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new Error(`Not an integer from the database: ${String(value)}`);
}

export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Grams as a kg number with at most 3 decimals: the decimal string `q.rrr` parsed, the double closest to the
 * exact value, which `JSON.stringify` prints back as exactly those decimals up to 15 significant digits
 * (below 10^12 kg, a billion tonnes — beyond any one answer here).
 */
export function gramsToKg(grams: bigint | number): number {
  const g = typeof grams === 'bigint' ? grams : BigInt(grams);
  const negative = g < 0n;
  const abs = negative ? -g : g;
  const text = `${negative ? '-' : ''}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`;
  return Number(text);
}

/** A gram total as a JS number, refusing one beyond 2^53 (about 9 billion tonnes) rather than rounding it. */
export function safeGrams(grams: bigint): number {
  if (grams > BigInt(Number.MAX_SAFE_INTEGER) || grams < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`${grams} g exceeds the exact range of a number`);
  return Number(grams);
}

// ---------------------------------------------------------------------------------------------------
// regions and scopes

/**
 * The range of 6-digit division codes a region (2, 4 or 6 digits) covers, as text bounds `[lo, hi)`:
 * `3301` → `['330100', '330200')`. Division codes are 6 ASCII digits, so a range scan on the primary key
 * is the prefix match (`regionMatches`) and uses the index in both databases.
 */
export function regionRange(region: string): { lo: string; hi: string } {
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(region)) throw new Error(`Not a region: ${region}`);
  const lo = region.padEnd(6, '0');
  const next = (BigInt(region) + 1n).toString().padStart(region.length, '0');
  return { lo, hi: next.padEnd(6, '0') };
}

/** True when `inner` (a region) lies within `outer` (a region): `330106` within `3301` and within `33`. */
export function regionWithin(inner: string, outer: string): boolean {
  return inner.startsWith(outer);
}

/**
 * Who may see which rows, as the query services understand it (the api maps its principals onto this):
 * everything (auditor), one party's own rows, or a regulator's regions and categories.
 */
export type ReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'party'; readonly uscc: string }
  | {
      readonly kind: 'regulator';
      readonly regions: readonly string[];
      readonly categories: readonly string[];
    };

/** The read scope of a principal (structurally: the ledger's Principal, which this lib cannot import). */
export function readScopeOf(principal: {
  readonly kind: string;
  readonly partyUscc?: string;
  readonly districts?: readonly string[];
  readonly categories?: readonly string[];
}): ReadScope {
  switch (principal.kind) {
    case 'auditor':
      return { kind: 'all' };
    case 'party':
      if (!principal.partyUscc) throw new Error('a party principal without a party');
      return { kind: 'party', uscc: principal.partyUscc };
    case 'regulator':
      return {
        kind: 'regulator',
        regions: principal.districts ?? [],
        categories: principal.categories ?? [],
      };
    default:
      throw new Error(`a ${principal.kind} principal has no read scope`);
  }
}

/** Collects `WHERE` conditions and their named parameters. */
export class Conditions {
  private readonly parts: string[] = [];
  readonly params: Record<string, string | number | bigint | null> = {};
  private n = 0;

  /** A fresh parameter name bound to `value`. */
  param(value: string | number | bigint | null): string {
    const name = `p${this.n++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  add(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  /** `column` (6-digit division codes) within any of the regions. */
  inRegions(column: string, regions: readonly string[]): this {
    if (regions.length === 0) return this.add('1 = 0');
    return this.add(
      `(${regions
        .map((region) => {
          const { lo, hi } = regionRange(region);
          return `(${column} >= ${this.param(lo)} AND ${column} < ${this.param(hi)})`;
        })
        .join(' OR ')})`,
    );
  }

  /** `column` equal to one of the values. */
  oneOf(column: string, values: readonly string[]): this {
    if (values.length === 0) return this.add('1 = 0');
    return this.add(`${column} IN (${values.map((v) => this.param(v)).join(', ')})`);
  }

  /** A delimited list column (`,a,b,`) containing one of the values. */
  listHasOneOf(column: string, values: readonly string[]): this {
    if (values.length === 0) return this.add('1 = 0');
    return this.add(`(${values.map((v) => `${column} LIKE ${this.param(`%,${v},%`)}`).join(' OR ')})`);
  }

  /** A delimited list column (`,330106,330114,`) with an entry within one of the regions (prefix). */
  listHasRegion(column: string, regions: readonly string[]): this {
    if (regions.length === 0) return this.add('1 = 0');
    return this.add(`(${regions.map((r) => `${column} LIKE ${this.param(`%,${r}%`)}`).join(' OR ')})`);
  }

  get sql(): string {
    return this.parts.length === 0 ? '' : `WHERE ${this.parts.join(' AND ')}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// paging

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pagingOf(page: number | undefined, pageSize: number | undefined): Paging {
  return { page: page ?? 1, pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
}

/** A delimited list value for LIKE matching: `[a, b]` → `,a,b,`. */
export function delimited(values: readonly string[]): string {
  return values.length === 0 ? ',' : `,${values.join(',')},`;
}

export function undelimited(value: string | null): string[] {
  return value ? value.split(',').filter((v) => v !== '') : [];
}
