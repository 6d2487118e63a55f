import {
  BatchNotFound,
  ManifestNotFound,
  streamOf,
  type ExistingBatch,
  type ExistingManifest,
} from '@wasteflow/domain';
import { createEventStore, type EventStore } from '@wasteflow/event-store';
import type { DataSource } from 'typeorm';
import { openReadModelDatabase } from '../database/read-model-database';
import type { ReadModelDatabaseConfig } from '../database/read-model-config';
import { ManifestQuery } from '../manifests/manifest.query';
import { createManifestsProjection } from '../manifests/manifest.projection';
import { loadReferenceData } from '../reference/reference-data';
import { manifestParties, manifestViews } from '../manifests/manifest.tables';
import type { Projection } from '../runner/projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendHistory, domainHistory } from '../../test/domain-history';
import {
  describePostgres,
  dropSchemas,
  POSTGRES_URL,
  RecordingLogger,
  schemaFor,
  tempDirectory,
} from '../../test/support';
import { traceProjection } from './trace.projection';
import { TraceQuery } from './trace.query';
import { traceBatches, traceDiscrepancies, traceSteps } from './trace.tables';

const PROJECTIONS: readonly Projection[] = [
  traceProjection,
  createManifestsProjection(loadReferenceData({})),
];
const TABLES = [traceBatches, traceSteps, traceDiscrepancies, manifestViews, manifestParties];

/**
 * The trace and manifests read models against the domain itself: a seeded history through the real decide
 * functions, appended to a real store, projected in small batches; every batch row must agree with the
 * domain's own fold of its stream, every manifest row with the manifest's, and a rebuild in one large
 * batch must give the same tables row for row.
 */
function scenario(kind: 'sqlite' | 'postgres'): void {
  const dir = tempDirectory(__filename);
  const schemas: string[] = [];
  let store: EventStore;
  const sources: DataSource[] = [];
  const world = domainHistory({ seed: 20260302, generations: 12, actions: 120 });

  const readModels = (name: string): ReadModelDatabaseConfig => {
    if (kind === 'sqlite') return { kind: 'sqlite', file: dir.path(`${name}.sqlite`) };
    const schema = schemaFor(__filename, name);
    schemas.push(schema);
    return { kind: 'postgres', url: POSTGRES_URL, schema, poolSize: 4 };
  };
  const runnerOn = async (name: string, batchSize: number) => {
    const dataSource = await openReadModelDatabase(readModels(name), {
      migrations: PROJECTIONS.flatMap((p) => p.migrations ?? []),
    });
    sources.push(dataSource);
    const runner = new ProjectionRunner({
      store,
      dataSource,
      projections: PROJECTIONS,
      logger: new RecordingLogger(),
      batchSize,
      restartDelayMs: 0,
    });
    return { runner, dataSource };
  };
  const dump = async (runner: ProjectionRunner) =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async (table) => [table.name, await runner.dumpTable(table)] as const)),
    );

  let live: Awaited<ReturnType<typeof runnerOn>>;

  beforeAll(async () => {
    if (kind === 'sqlite') {
      store = await createEventStore({
        kind: 'sqlite',
        file: dir.path('events.sqlite'),
        synchronous: 'NORMAL',
      });
    } else {
      const schema = schemaFor(__filename, 'events');
      schemas.push(schema);
      store = await createEventStore({
        kind: 'postgres',
        connectionString: POSTGRES_URL,
        schema,
        poolSize: 4,
      });
    }
    await appendHistory(store, world.log, 17);
    live = await runnerOn('live', 7);
    await live.runner.start();
    expect(await live.runner.waitForPosition(await store.headPosition(), 30_000)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await live?.runner.close();
    for (const source of sources) if (source.isInitialized) await source.destroy();
    await store?.close();
    if (schemas.length > 0) await dropSchemas(...schemas);
    dir.cleanup();
  });

  it('has a history worth checking', () => {
    const types = new Set(world.log.map((e) => e.type));
    for (const type of [
      'BatchSplitOff',
      'BatchesConsolidated',
      'BatchLostInTransit',
      'BatchRejectionSplitOff',
      'BatchReturnedToShipper',
      'ManifestCancelled',
      'WasteUtilised',
      'WasteDisposed',
      'MassCorrected',
    ]) {
      expect([type, types.has(type as never)]).toEqual([type, true]);
    }
  });

  it('agrees with the domain’s fold of every batch: kind, held mass, custodian, status, steps, lineage', async () => {
    const rows = new Map((await live.runner.dumpTable(traceBatches)).map((row) => [row.traceCode, row]));
    const steps = await live.runner.dumpTable(traceSteps);
    const batches = [...world.batches.values()].filter((b): b is ExistingBatch => b.status !== 'none');
    expect(rows.size).toBe(batches.length);
    for (const b of batches) {
      const row = rows.get(b.traceCode);
      expect(
        row && {
          code: row.traceCode,
          held: row.heldGrams,
          custodian: row.custodianUscc,
          status: row.status,
          category: row.category,
          wasteCode: row.wasteCode,
        },
      ).toEqual({
        code: b.traceCode,
        held: BigInt(b.heldGrams),
        custodian: b.custodianUscc,
        status: b.status,
        category: b.category,
        wasteCode: b.wasteCode ?? null,
      });
      expect(row?.creation).toBe(b.creation);
      const events = world.log.filter((e) => streamOf(e) === `batch-${b.traceCode}`);
      expect(steps.filter((s) => s.traceCode === b.traceCode).map((s) => s.type)).toEqual(
        events.map((e) => e.type),
      );
      if (b.parentTraceCode) {
        expect(row?.parents).toEqual([b.parentTraceCode]);
        expect(rows.get(b.parentTraceCode)?.children).toContain(b.traceCode);
      }
      // everyone who ever held it is on its chain
      expect(row?.parties).toContain(b.custodianUscc);
    }
  });

  it('agrees with the domain’s fold of every manifest', async () => {
    const rows = new Map((await live.runner.dumpTable(manifestViews)).map((row) => [row.manifestNo, row]));
    const manifests = [...world.manifests.values()].filter((m): m is ExistingManifest => m.status !== 'none');
    expect(rows.size).toBe(manifests.length);
    for (const m of manifests) {
      const row = rows.get(m.manifestNo);
      expect(
        row && [
          row.status,
          row.shipperUscc,
          row.carrierUscc,
          row.receiverUscc,
          row.totalGrams,
          row.vehiclePlate,
        ],
      ).toEqual([
        m.status,
        m.shipperUscc,
        m.carrierUscc,
        m.receiverUscc,
        BigInt(m.totalGrams),
        m.pickup?.vehiclePlate ?? null,
      ]);
      expect(row?.discrepancy).toBe(m.receipt?.lines.some((l) => l.discrepancy) ?? false);
    }
  });

  it('answers the trace and manifest queries from those rows', async () => {
    const trace = new TraceQuery(live.dataSource);
    const manifests = new ManifestQuery(live.dataSource);
    const consolidated = [...world.batches.values()].find(
      (b): b is ExistingBatch => b.status !== 'none' && b.creation === 'consolidated',
    );
    if (!consolidated) throw new Error('no consolidation in the history');
    const { view, access } = await trace.find(consolidated.traceCode);
    expect(view).toMatchObject({ traceCode: consolidated.traceCode, origin: { creation: 'consolidated' } });
    expect(view.parents.length).toBeGreaterThanOrEqual(2);
    expect(view.position).toBe((await store.headPosition()).toString());
    expect(access.categories).toEqual([consolidated.category]);
    await expect(trace.find('330106W2503030000000099')).rejects.toBeInstanceOf(BatchNotFound);
    const [first] = [...world.manifests.values()].filter((m): m is ExistingManifest => m.status !== 'none');
    expect((await manifests.find(first.manifestNo, new Date('2025-03-04T00:00:00Z'))).view).toMatchObject({
      manifestNo: first.manifestNo,
    });
    await expect(manifests.find('20253301999999', new Date())).rejects.toBeInstanceOf(ManifestNotFound);
    const page = await manifests.list(
      { kind: 'party', partyUscc: first.shipperUscc },
      { page: 1, pageSize: 5 },
      new Date(),
    );
    expect(page.items.length).toBeGreaterThan(0);
    expect(
      page.items.every((m) => [m.shipper.uscc, m.carrier.uscc, m.receiver.uscc].includes(first.shipperUscc)),
    ).toBe(true);
  });

  it('rebuilds in one large batch to exactly the same tables', async () => {
    const rebuilt = await runnerOn('rebuilt', 1000);
    const result = await rebuilt.runner.rebuild({ batchSize: 10_000 });
    expect(result.events).toBe(world.log.length);
    expect(await dump(rebuilt.runner)).toEqual(await dump(live.runner));
    await rebuilt.runner.close();
  });
}

describe('trace and manifests read models against the domain (SQLite)', () => scenario('sqlite'));
describePostgres('trace and manifests read models against the domain (PostgreSQL)', () =>
  scenario('postgres'),
);
