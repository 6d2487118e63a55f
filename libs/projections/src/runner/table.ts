import type { JsonValue } from '@wasteflow/event-store';

/**
 * A read-model table as a projection sees it: typed columns and a primary key. The SQL column of a property
 * is its snake_case form unless `column` names it; the table itself is created by the projection's
 * migration, never from this definition, so an old migration keeps meaning what it meant.
 */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'real' | 'boolean' | 'json';

export interface ColumnSpec<T extends ColumnType = ColumnType> {
  readonly type: T;
  readonly nullable?: boolean;
  /** SQL column name; defaults to the property name in snake_case. */
  readonly column?: string;
  /**
   * Value for rows that `RowAccess.add` creates: numeric columns default to 0, nullable ones to null;
   * any other column that an added-to row may lack needs one.
   */
  readonly default?: ColumnTsType<T> | null;
}

export type ColumnTsType<T extends ColumnType> = T extends 'text'
  ? string
  : T extends 'integer' | 'real'
    ? number
    : T extends 'bigint'
      ? bigint
      : T extends 'boolean'
        ? boolean
        : JsonValue;

export type ColumnsSpec = Readonly<Record<string, ColumnType | ColumnSpec>>;

type ValueOf<S> = S extends ColumnType
  ? ColumnTsType<S>
  : S extends { readonly type: infer T extends ColumnType; readonly nullable: true }
    ? ColumnTsType<T> | null
    : S extends { readonly type: infer T extends ColumnType }
      ? ColumnTsType<T>
      : never;

type TypeOfSpec<S> = S extends ColumnType ? S : S extends { readonly type: infer T } ? T : never;

export interface TableDefinition<
  C extends ColumnsSpec = ColumnsSpec,
  K extends readonly (keyof C & string)[] = readonly (keyof C & string)[],
> {
  readonly name: string;
  readonly columns: C;
  readonly key: K;
}

/** The row type of a table: every column, nullable ones as `T | null`. */
export type RowOf<D extends TableDefinition> = {
  -readonly [P in keyof D['columns']]: ValueOf<D['columns'][P]>;
};

/** The primary-key part of a row. */
export type KeyOf<D extends TableDefinition> = Pick<RowOf<D>, D['key'][number]>;

/** Numeric, non-key columns: what `RowAccess.add` may increment. */
export type CounterColumnsOf<D extends TableDefinition> = {
  [
    P in Exclude<keyof D['columns'], D['key'][number]> as TypeOfSpec<D['columns'][P]> extends
      'integer' | 'real' | 'bigint'
      ? P
      : never
  ]?: ColumnTsType<TypeOfSpec<D['columns'][P]>>;
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(kind: string, name: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`Invalid ${kind} name ${JSON.stringify(name)}: use lower-case letters, digits and _`);
  }
}

export function snakeCase(property: string): string {
  return property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Declares a table. `const` type parameters keep the literal column types, so `RowOf<typeof table>` is
 * exact and a typo in a key or a column is a compile error.
 */
export function defineTable<
  const C extends ColumnsSpec,
  const K extends readonly (keyof C & string)[],
>(definition: { readonly name: string; readonly columns: C; readonly key: K }): TableDefinition<C, K> {
  assertIdentifier('table', definition.name);
  if (definition.key.length === 0) throw new Error(`Table ${definition.name} needs a primary key`);
  for (const key of definition.key) {
    if (!(key in definition.columns))
      throw new Error(`Table ${definition.name}: key column ${key} is not a column`);
  }
  // Compiling validates every column name and type now, at definition time, not at the first flush.
  compileTable(definition);
  return Object.freeze({ ...definition });
}

/** One column after defaults are resolved. */
export interface CompiledColumn {
  readonly property: string;
  readonly column: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly isKey: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
}

export interface CompiledTable {
  readonly name: string;
  readonly columns: readonly CompiledColumn[];
  readonly keyColumns: readonly CompiledColumn[];
  readonly valueColumns: readonly CompiledColumn[];
  readonly byProperty: ReadonlyMap<string, CompiledColumn>;
  readonly encodeKey: (key: Readonly<Record<string, unknown>>) => string;
}

const compiled = new WeakMap<TableDefinition, CompiledTable>();

const COLUMN_TYPES: readonly ColumnType[] = ['text', 'integer', 'bigint', 'real', 'boolean', 'json'];

export function compileTable(definition: TableDefinition): CompiledTable {
  const cached = compiled.get(definition);
  if (cached) return cached;
  const keys = new Set<string>(definition.key);
  const columns: CompiledColumn[] = Object.entries(definition.columns).map(([property, spec]) => {
    const full: ColumnSpec = typeof spec === 'string' ? { type: spec } : spec;
    if (!COLUMN_TYPES.includes(full.type)) {
      throw new Error(`Table ${definition.name}: column ${property} has unknown type ${String(full.type)}`);
    }
    const column = full.column ?? snakeCase(property);
    assertIdentifier('column', column);
    const nullable = full.nullable === true;
    const numeric = full.type === 'integer' || full.type === 'real' || full.type === 'bigint';
    const hasDefault = full.default !== undefined || numeric || nullable;
    const defaultValue =
      full.default !== undefined ? full.default : numeric ? (full.type === 'bigint' ? 0n : 0) : null;
    return {
      property,
      column,
      type: full.type,
      nullable,
      isKey: keys.has(property),
      hasDefault,
      defaultValue,
    };
  });
  const byProperty = new Map(columns.map((c) => [c.property, c]));
  const keyColumns = definition.key.map((k) => byProperty.get(k) as CompiledColumn);
  for (const k of keyColumns) {
    if (k.nullable) throw new Error(`Table ${definition.name}: key column ${k.property} cannot be nullable`);
    if (k.type === 'json' || k.type === 'real') {
      throw new Error(`Table ${definition.name}: key column ${k.property} cannot be ${k.type}`);
    }
  }
  const table: CompiledTable = {
    name: definition.name,
    columns,
    keyColumns,
    valueColumns: columns.filter((c) => !c.isKey),
    byProperty,
    encodeKey: keyEncoder(definition.name, keyColumns),
  };
  compiled.set(definition, table);
  return table;
}

/**
 * Cache key of a row. Each key column has one type, so `String(value)` cannot collide within a column;
 * in a composite key every part but the last is prefixed with its length ("1:a" + "b|c" never meets
 * "3:a|b" + "c"), which is cheaper than a JSON array and as unambiguous. Keys never leave the process.
 */
function keyEncoder(
  table: string,
  keyColumns: readonly CompiledColumn[],
): (key: Readonly<Record<string, unknown>>) => string {
  const properties = keyColumns.map((column) => column.property);
  const part = (key: Readonly<Record<string, unknown>>, property: string): string => {
    const value = key[property];
    if (value === undefined || value === null) {
      throw new Error(`Table ${table}: key column ${property} is missing`);
    }
    return typeof value === 'string' ? value : String(value);
  };
  const last = properties.length - 1;
  if (last === 0) {
    const [only] = properties;
    return (key) => part(key, only);
  }
  return (key) => {
    let encoded = '';
    for (let i = 0; i < last; i += 1) {
      const value = part(key, properties[i]);
      encoded += `${value.length}:${value}`;
    }
    return encoded + part(key, properties[last]);
  };
}
