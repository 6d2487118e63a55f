import { readModelConfigFor, readModelSchema } from './read-model-config';

/**
 * Where the read models live is decided once, from the validated settings every app loads (the api's
 * ApiConfig, the projector's and the CLI's store settings): no second reading of the environment here.
 */
describe('read-model placement (DESIGN.md §4 "Running it")', () => {
  const base = { dataDir: '/var/lib/wasteflow/', postgresSchemaPrefix: 'wasteflow' } as const;

  it('uses a SQLite file in the data directory with the embedded store', () => {
    expect(readModelConfigFor({ ...base, store: 'sqlite' })).toEqual({
      kind: 'sqlite',
      file: '/var/lib/wasteflow/read-models.sqlite',
    });
  });

  it('uses DATABASE_URL, schema <prefix>_read, with the PostgreSQL or KurrentDB store', () => {
    const url = 'postgres://db/wasteflow';
    expect(readModelConfigFor({ ...base, store: 'postgres', databaseUrl: url })).toEqual({
      kind: 'postgres',
      url,
      schema: 'wasteflow_read',
    });
    expect(readModelConfigFor({ ...base, store: 'kurrentdb', databaseUrl: url, postgresSchemaPrefix: 'p' })).toEqual({
      kind: 'postgres',
      url,
      schema: 'p_read',
    });
    expect(() => readModelConfigFor({ ...base, store: 'kurrentdb' })).toThrow('needs DATABASE_URL');
  });

  it('checks schema names', () => {
    expect(readModelSchema({ kind: 'postgres', url: 'x' })).toBe('wasteflow_read');
    expect(() => readModelSchema({ kind: 'postgres', url: 'x', schema: 'x"; drop' })).toThrow(
      'Invalid schema name',
    );
    expect(readModelSchema({ kind: 'sqlite', file: 'f' })).toBeUndefined();
  });
});
