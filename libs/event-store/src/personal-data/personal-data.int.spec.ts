import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { EventStore } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { POSTGRES_TEST_URL, probePostgres } from '../testing/postgres-test-server';
import { postgresStoreFixtures } from '../testing/postgres-store-fixtures';

/**
 * The personal data records beside the log (ADR 14) on the real stores: stored once per id, read back,
 * erased (key and sealed bytes gone, the erasure kept), never brought back by a retry, discarded without a
 * trace; on SQLite the erased key's bytes are gone from the database file and its WAL too.
 */
const probe = probePostgres();
const inCi = process.env.CI === 'true';
if (!probe.reachable && !inCi)
  console.warn(`PostgreSQL personal data tests NOT RUN: ${POSTGRES_TEST_URL} unreachable (${probe.reason}).`);
const pg = postgresStoreFixtures(__filename, probe);
afterAll(() => pg.dropAll());

const A = `p-${'a'.repeat(32)}`;
const B = `p-${'b'.repeat(32)}`;

function record(personId: string) {
  return { personId, key: randomBytes(32), sealed: randomBytes(60) };
}

async function contract(store: EventStore): Promise<void> {
  const a = record(A);
  expect(await store.personalData.put([a, record(B)])).toEqual([A, B]);
  // an id stored already is left as it was (a retried command)
  expect(await store.personalData.put([record(A)])).toEqual([]);
  const read = await store.personalData.read([A, B, `p-${'c'.repeat(32)}`]);
  expect([...read.keys()].sort()).toEqual([A, B]);
  const stored = read.get(A);
  expect(stored?.status).toBe('present');
  if (stored?.status !== 'present') throw new Error('unreachable');
  expect(stored.key.equals(a.key)).toBe(true);
  expect(stored.sealed.equals(a.sealed)).toBe(true);

  const at = new Date('2026-03-03T01:02:03.000Z');
  expect(await store.personalData.erase(A, 'admin:t1', at)).toBe('erased');
  expect((await store.personalData.read([A])).get(A)).toEqual({
    personId: A,
    status: 'erased',
    erasedAt: at,
    erasedBy: 'admin:t1',
  });
  expect(await store.personalData.erase(A, 'admin:t1', at)).toBe('already_erased');
  expect(await store.personalData.put([record(A)])).toEqual([]);
  expect((await store.personalData.read([A])).get(A)?.status).toBe('erased');
  // discard removes a present record outright and leaves an erased one
  await store.personalData.discard([A, B]);
  const after = await store.personalData.read([A, B]);
  expect(after.get(A)?.status).toBe('erased');
  expect(after.has(B)).toBe(false);
  expect(await store.personalData.erase(`p-${'d'.repeat(32)}`, 'admin:t1', at)).toBe('not_found');
}

describe('personal data records (SQLite)', () => {
  let directory: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'wasteflow-people-'));
    store = new SqliteEventStore({ file: join(directory, 'events.sqlite'), pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('put once per id, read, erase, discard', async () => contract(store));

  it('an erased key is gone from the file and its WAL, not only from the table', async () => {
    const a = record(A);
    await store.personalData.put([a]);
    const bytes = () => readdirSync(directory).map((f) => readFileSync(join(directory, f)));
    expect(bytes().some((b) => b.includes(a.key))).toBe(true);
    await store.personalData.erase(A, 'admin:t1', new Date());
    expect(bytes().some((b) => b.includes(a.key))).toBe(false);
    expect(bytes().some((b) => b.includes(a.sealed))).toBe(false);
  });
});

(probe.reachable || inCi ? describe : describe.skip)('personal data records (PostgreSQL)', () => {
  it('put once per id, read, erase, discard; the tables hold no key or sealed bytes of the erased', async () => {
    const fixture = await pg.fixture();
    try {
      await contract(fixture.store);
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        const keys = await client.query(`SELECT count(*)::int AS n FROM ${fixture.store.schema}.person_keys`);
        expect(keys.rows[0].n).toBe(0);
        const sealed = await client.query(
          `SELECT count(*)::int AS n FROM ${fixture.store.schema}.person_records WHERE sealed IS NOT NULL`,
        );
        expect(sealed.rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    } finally {
      await fixture.cleanup();
    }
  });
});
