import { projectionsEnabled, readModelConfigFromEnv, readModelSchema } from './read-model-config';

describe('read-model configuration from the environment (DESIGN.md §4 "Running it")', () => {
  it('uses a SQLite file in the data directory with the embedded store', () => {
    expect(readModelConfigFromEnv({})).toEqual({ kind: 'sqlite', file: './data/read-models.sqlite' });
    expect(
      readModelConfigFromEnv({ WASTEFLOW_STORE: 'sqlite', WASTEFLOW_DATA_DIR: '/var/lib/wasteflow/' }),
    ).toEqual({
      kind: 'sqlite',
      file: '/var/lib/wasteflow/read-models.sqlite',
    });
  });

  it('uses DATABASE_URL, schema wasteflow_read, with the PostgreSQL or EventStoreDB store', () => {
    const url = 'postgres://db/wasteflow';
    expect(readModelConfigFromEnv({ WASTEFLOW_STORE: 'postgres', DATABASE_URL: url })).toEqual({
      kind: 'postgres',
      url,
      schema: 'wasteflow_read',
    });
    expect(readModelConfigFromEnv({ WASTEFLOW_STORE: 'eventstoredb', DATABASE_URL: url })).toMatchObject({
      kind: 'postgres',
      url,
    });
    expect(() => readModelConfigFromEnv({ WASTEFLOW_STORE: 'eventstoredb' })).toThrow('needs DATABASE_URL');
  });

  it('checks schema names', () => {
    expect(readModelSchema({ kind: 'postgres', url: 'x' })).toBe('wasteflow_read');
    expect(() => readModelSchema({ kind: 'postgres', url: 'x', schema: 'x"; drop' })).toThrow(
      'Invalid schema name',
    );
    expect(readModelSchema({ kind: 'sqlite', file: 'f' })).toBeUndefined();
  });

  it('runs projections in-process unless WASTEFLOW_PROJECTIONS=off', () => {
    expect(projectionsEnabled({})).toBe(true);
    expect(projectionsEnabled({ WASTEFLOW_PROJECTIONS: 'on' })).toBe(true);
    expect(projectionsEnabled({ WASTEFLOW_PROJECTIONS: 'OFF' })).toBe(false);
  });
});
