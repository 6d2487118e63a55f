import { hostname } from 'node:os';
import type { EventStore, RecordedEvent, StoredIdempotencyRecord } from '@wasteflow/event-store';
import type { IdempotencyRecord } from './idempotency-records';

/**
 * Versions before docs/adr/0008 kept each idempotency record as an `IdempotentWriteRecorded` event in a
 * stream `$idempotency-<sha256(actor, key)>`, its data the record itself and its metadata the actor and
 * the key. Those events stay in the log (it keeps what it has; their hashes stay valid); their records
 * are copied into the bookkeeping once, so a retry of a request answered before the upgrade still gets
 * its first answer.
 */
export const LEGACY_RECORD_STREAM_PREFIX = '$idempotency-';
export const LEGACY_RECORD_TYPE = 'IdempotentWriteRecorded';
/** The bookkeeping checkpoint saying how far the log has been searched for such events. */
export const LEGACY_RECORDS_MIGRATION = 'ledger:legacy-idempotency-records';

const PAGE = 1000;
const LEASE_MS = 60_000;

export interface LegacyMigrationResult {
  /** Legacy record events read (this time: the log is searched from where the last run stopped). */
  readonly found: number;
  /** Records inserted into the bookkeeping (those already there are kept as they are). */
  readonly imported: number;
  /** Events that did not have the shape of a record (reported, not copied). */
  readonly malformed: number;
}

/**
 * Copies the legacy records of the log into the store's bookkeeping: from where the last run stopped to
 * the head, then saves the head (new versions never write legacy records; an older instance still running
 * beside this one during an upgrade may, and the next start picks those up). Safe to run concurrently and
 * again: an import keeps what is there, and the checkpoint is saved under a lease.
 */
export async function migrateLegacyIdempotencyRecords(
  store: EventStore,
  owner = `${hostname()}:${process.pid}`,
): Promise<LegacyMigrationResult> {
  const now = Date.now();
  const lease = await store.bookkeeping.acquireCheckpoint(
    LEGACY_RECORDS_MIGRATION,
    owner,
    now,
    now + LEASE_MS,
  );
  // Without the lease (another instance migrates right now) import all the same: inserting is idempotent.
  let after =
    lease?.position ?? (await store.bookkeeping.readCheckpoint(LEGACY_RECORDS_MIGRATION))?.position ?? 0n;
  const head = await store.headPosition();
  let found = 0;
  let imported = 0;
  let malformed = 0;
  try {
    for (;;) {
      const page = await store.readAll({
        after,
        limit: PAGE,
        filter: { streamPrefixes: [LEGACY_RECORD_STREAM_PREFIX], eventTypes: [LEGACY_RECORD_TYPE] },
      });
      const records = page.flatMap((event) => {
        const record = recordOf(event);
        if (!record) malformed += 1;
        return record ? [record] : [];
      });
      found += page.length;
      imported += await store.bookkeeping.importIdempotencyRecords(records);
      if (page.length < PAGE) break;
      after = page[page.length - 1].position;
    }
    if (lease) {
      const reached = head > after ? head : after;
      await store.bookkeeping.saveCheckpoint(
        LEGACY_RECORDS_MIGRATION,
        lease.token,
        reached,
        Date.now() + LEASE_MS,
      );
    }
  } finally {
    if (lease) await store.bookkeeping.releaseCheckpoint(LEGACY_RECORDS_MIGRATION, lease.token);
  }
  return { found, imported, malformed };
}

function recordOf(event: RecordedEvent): StoredIdempotencyRecord | undefined {
  const { actor, idempotencyKey } = event.metadata;
  const data = event.data as Partial<IdempotencyRecord>;
  if (typeof actor !== 'string' || typeof idempotencyKey !== 'string') return undefined;
  if (
    typeof data.requestHash !== 'string' ||
    !Array.isArray(data.writes) ||
    typeof data.result !== 'object'
  ) {
    return undefined;
  }
  return { scope: actor, key: idempotencyKey, record: event.data, recordedAt: event.recordedAt };
}
