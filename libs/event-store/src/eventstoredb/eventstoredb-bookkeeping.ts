import { createHash } from 'node:crypto';
import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { IdempotencyRecordExists, InvalidArgument } from '../errors';
import type {
  Bookkeeping,
  CheckpointLease,
  IdempotencyRecordWrite,
  JsonObject,
  StoredIdempotencyRecord,
} from '../event-store.port';
import { acquiredLease } from '../internal/bookkeeping-policy';
import { BOOKKEEPING_STREAM_PREFIX } from './eventstoredb-mapping';

const RECORD_TYPE = 'IdempotencyRecorded';
const LEASE_TYPE = 'CheckpointLeased';
/** A checkpoint stream keeps its last few leases only (the server drops older ones). */
const CHECKPOINT_MAX_COUNT = 8;

/** One stream per (scope, key): a hash keeps the name short whatever the key. */
export function recordStream(scope: string, key: string): string {
  const digest = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
  return `${BOOKKEEPING_STREAM_PREFIX}idempotency-${digest}`;
}

function checkpointStream(name: string): string {
  return `${BOOKKEEPING_STREAM_PREFIX}checkpoint-${name}`;
}

/**
 * Bookkeeping on EventStoreDB, the simplest honest way its model allows (docs/adr/0008): the server has
 * no table beside the log, so each record is a stream of its own (`~wf-idempotency-<sha256>`, a name no
 * stream of the port can map to, and never shown to the port's readers) with `$maxAge` set to the
 * retention period: the server stops returning it then and scavenging reclaims it (so the retention
 * counts from the write, also for an imported record, whose original time travels in its data). A record is written
 * after the commit's streams (there is no multi-stream transaction: a crash in between leaves events
 * without their record, and a retry is refused by the event ids or decides again). Checkpoints are a
 * stream per name whose expected revision is the fence: a save appends only if nobody appended since.
 */
export class EventStoreDbBookkeeping implements Bookkeeping {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly retentionSeconds: number,
    private readonly assertOpen: () => void,
  ) {}

  /** Refuses a commit whose key is recorded, before any of its streams is written. */
  async assertUnrecorded(records: readonly IdempotencyRecordWrite[]): Promise<void> {
    for (const record of records) {
      if (await this.readIdempotencyRecord(record.scope, record.key)) {
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
    }
  }

  /** Writes the records of a commit whose streams are written; a record written meanwhile refuses. */
  async record(records: readonly (IdempotencyRecordWrite & { readonly recordedAt?: Date })[]): Promise<void> {
    for (const record of records) {
      const stream = recordStream(record.scope, record.key);
      const recordedAt = (record.recordedAt ?? new Date()).toISOString();
      try {
        await this.client.appendToStream(
          stream,
          jsonEvent({
            type: RECORD_TYPE,
            data: { scope: record.scope, key: record.key, record: record.record, recordedAt },
          }),
          { expectedRevision: NO_STREAM },
        );
      } catch (error) {
        if (error instanceof WrongExpectedVersionError)
          throw new IdempotencyRecordExists(record.scope, record.key);
        throw error;
      }
      await this.client.setStreamMetadata(stream, { maxAge: this.retentionSeconds });
    }
  }

  async readIdempotencyRecord(scope: string, key: string): Promise<StoredIdempotencyRecord | undefined> {
    this.assertOpen();
    const last = await this.last(recordStream(scope, key));
    if (!last) return undefined;
    const data = last.data as { scope: string; key: string; record: JsonObject; recordedAt: string };
    return { scope: data.scope, key: data.key, record: data.record, recordedAt: new Date(data.recordedAt) };
  }

  async importIdempotencyRecords(records: readonly StoredIdempotencyRecord[]): Promise<number> {
    this.assertOpen();
    let inserted = 0;
    for (const record of records) {
      try {
        await this.record([record]);
        inserted += 1;
      } catch (error) {
        if (!(error instanceof IdempotencyRecordExists)) throw error;
      }
    }
    return inserted;
  }

  async purgeIdempotencyRecords(): Promise<number> {
    throw new InvalidArgument(
      'EventStoreDB expires idempotency records itself ($maxAge of each record stream): nothing to purge',
    );
  }

  async readCheckpoint(name: string): Promise<CheckpointLease | undefined> {
    this.assertOpen();
    return (await this.lease(name))?.lease;
  }

  async acquireCheckpoint(
    name: string,
    owner: string,
    now: number,
    expiresAt: number,
  ): Promise<CheckpointLease | undefined> {
    this.assertOpen();
    const current = await this.lease(name);
    const next = acquiredLease(current?.lease, name, owner, now, expiresAt);
    if (!next) return undefined;
    return (await this.append(name, next, current?.revision)) ? next : undefined;
  }

  async saveCheckpoint(name: string, token: bigint, position: bigint, expiresAt: number): Promise<boolean> {
    this.assertOpen();
    const current = await this.lease(name);
    if (!current || current.lease.token !== token) return false;
    return this.append(name, { ...current.lease, position, expiresAt }, current.revision);
  }

  async releaseCheckpoint(name: string, token: bigint): Promise<void> {
    this.assertOpen();
    const current = await this.lease(name);
    if (!current || current.lease.token !== token) return;
    await this.append(name, { ...current.lease, expiresAt: 0 }, current.revision);
  }

  private async lease(name: string): Promise<{ lease: CheckpointLease; revision: bigint } | undefined> {
    const last = await this.last(checkpointStream(name));
    if (!last) return undefined;
    const data = last.data as { owner: string; token: string; position: string; expiresAt: number };
    return {
      lease: {
        name,
        owner: data.owner,
        token: BigInt(data.token),
        position: BigInt(data.position),
        expiresAt: data.expiresAt,
      },
      revision: last.revision,
    };
  }

  /** Appends the lease at exactly `revision` (no stream when undefined): false when someone came first. */
  private async append(name: string, lease: CheckpointLease, revision: bigint | undefined): Promise<boolean> {
    const stream = checkpointStream(name);
    try {
      await this.client.appendToStream(
        stream,
        jsonEvent({
          type: LEASE_TYPE,
          data: {
            owner: lease.owner,
            token: lease.token.toString(),
            position: lease.position.toString(),
            expiresAt: lease.expiresAt,
          },
        }),
        { expectedRevision: revision ?? NO_STREAM },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
    if (revision === undefined)
      await this.client.setStreamMetadata(stream, { maxCount: CHECKPOINT_MAX_COUNT });
    return true;
  }

  private async last(stream: string): Promise<{ data: unknown; revision: bigint } | undefined> {
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        const event = resolved.event;
        if (event) return { data: event.data, revision: event.revision };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }
}
