import type { RowValues } from '../runner/row-changes';
import type { CompiledColumn, CompiledTable } from '../runner/table';

/**
 * Values between the cache and the drivers. better-sqlite3 binds bigint as a 64-bit integer and cannot bind
 * booleans; node-postgres sends bigint as text and returns int8 as a string. Reading, every integer may
 * arrive as number, bigint or string, so decoding accepts all three.
 */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The JSON text each decoded json value was parsed from. Rows handed out are never mutated (a projection
 * puts a new row), so a json value that comes back unchanged in a written row is written as the text it
 * was read as, without serialising it again: a batch row rewritten for its held mass keeps its
 * composition, parties and lineage as they were.
 */
const jsonTexts = new WeakMap<object, string>();

export function encodeValue(dialect: Dialect, column: CompiledColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'bigint':
      return dialect === 'sqlite' ? BigInt(value as bigint) : String(value);
    case 'boolean':
      return dialect === 'sqlite' ? (value ? 1 : 0) : Boolean(value);
    case 'json': {
      if (typeof value !== 'object') return JSON.stringify(value);
      let text = jsonTexts.get(value);
      if (text === undefined) {
        text = JSON.stringify(value);
        jsonTexts.set(value, text);
      }
      return text;
    }
    default:
      return value;
  }
}

export function decodeValue(column: CompiledColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'text':
      return typeof value === 'string' ? value : String(value);
    case 'integer':
    case 'real':
      return typeof value === 'number' ? value : Number(value);
    case 'bigint':
      return typeof value === 'bigint' ? value : BigInt(value as string | number);
    case 'boolean':
      return value === true || value === 1 || value === 1n || value === 't' || value === 'true';
    case 'json': {
      if (typeof value !== 'string') return value;
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null) jsonTexts.set(parsed, value);
      return parsed;
    }
  }
}

export function toBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value)))
    return BigInt(value);
  throw new Error(`Not an integer from the database: ${String(value)}`);
}

/** A database row (by column name) as the cache holds it (by property name). */
export function decodeRow(table: CompiledTable, raw: Readonly<Record<string, unknown>>): RowValues {
  const row: RowValues = {};
  for (const column of table.columns) row[column.property] = decodeValue(column, raw[column.column]);
  return row;
}
