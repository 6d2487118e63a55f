import { createHash, randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendStreamRequest,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { IdempotencyRecordExists, InvalidArgument } from '../errors';
import type {
  Bookkeeping,
  CheckpointLease,
  IdempotencyRecordWrite,
  JsonObject,
  StoredIdempotencyRecord,
} from '../event-store.port';
import { acquiredLease } from '../internal/bookkeeping-policy';
import { BOOKKEEPING_STREAM_PREFIX } from './kurrentdb-mapping';

const RECORD_TYPE = 'IdempotencyRecorded';
const LEASE_TYPE = 'CheckpointLeased';
/** The event type of a stream's metadata in its `$$` metastream (what setStreamMetadata writes). */
const METADATA_TYPE = '$metadata';
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

/** The stream whose last event is the metadata of `stream` ($maxAge, $maxCount). */
export function metastreamOf(stream: string): string {
  return `$$${stream}`;
}

/** The requests that create a record and its expiry: part of the same multi-stream append as the events. */
export interface RecordRequests {
  readonly record: IdempotencyRecordWrite;
  readonly requests: AppendStreamRequest[];
}

/**
 * Bookkeeping on KurrentDB (docs/adr/0008, 0017): the server has no table beside the log, so each record
 * is a stream of its own (`~wf-idempotency-<sha256>`, a name no stream of the port can map to, never shown
 * to the port's readers) created with `no_stream` in the SAME multi-stream append as the commit's events,
 * together with its metastream (`$maxAge` = the retention period: the server stops returning it then and
 * scavenging reclaims it; the retention counts from the write, also for an imported record, whose
 * original time travels in its data). So a record and its events are written together or not at all, and
 * of two commits under one key exactly one creates the stream. Checkpoints are a stream per name whose
 * expected revision is the fence: a save appends only if nobody appended since.
 */
export class KurrentDbBookkeeping implements Bookkeeping {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly retentionSeconds: number,
    private readonly assertOpen: () => void,
  ) {}

  /**
   * Refuses a commit whose key is recorded, before anything is sent. The append's `no_stream` on the
   * record stream is what decides a race; this read keeps the common case (a client retrying a request
   * that was answered) away from the server's answer to a session mixing an idempotent stream with a
   * failing one, which names no stream (StorageWriterService.VerifyCommitChecks, see the fake's table).
   */
  async assertUnrecorded(records: readonly IdempotencyRecordWrite[]): Promise<void> {
    for (const record of records) {
      if (await this.readIdempotencyRecord(record.scope, record.key)) {
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
    }
  }

  /** The record stream and its metastream, both `no_stream`, for the commit's multi-stream append. */
  requestsFor(record: IdempotencyRecordWrite & { readonly recordedAt?: Date }): RecordRequests {
    const stream = recordStream(record.scope, record.key);
    const recordedAt = (record.recordedAt ?? new Date()).toISOString();
    return {
      record,
      requests: [
        {
          streamName: stream,
          expectedState: NO_STREAM,
          events: [
            jsonEvent({
              id: randomUUID(),
              type: RECORD_TYPE,
              data: { scope: record.scope, key: record.key, record: record.record, recordedAt },
            }),
          ],
        },
        {
          streamName: metastreamOf(stream),
          expectedState: NO_STREAM,
          events: [jsonEvent({ type: METADATA_TYPE, data: { $maxAge: this.retentionSeconds } })],
        },
      ],
    };
  }

  /** The record a stream name of a failed append belongs to, if it is one of these. */
  static recordOf(
    requests: readonly RecordRequests[],
    streamName: string,
  ): IdempotencyRecordWrite | undefined {
    return requests.find((entry) => entry.requests.some((request) => request.streamName === streamName))
      ?.record;
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
        await this.client.multiStreamAppend(this.requestsFor(record).requests);
        inserted += 1;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    return inserted;
  }

  async purgeIdempotencyRecords(): Promise<number> {
    throw new InvalidArgument(
      'KurrentDB expires idempotency records itself ($maxAge of each record stream): nothing to purge',
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
    const requests: AppendStreamRequest[] = [
      {
        streamName: stream,
        expectedState: revision ?? NO_STREAM,
        events: [
          jsonEvent({
            id: randomUUID(),
            type: LEASE_TYPE,
            data: {
              owner: lease.owner,
              token: lease.token.toString(),
              position: lease.position.toString(),
              expiresAt: lease.expiresAt,
            },
          }),
        ],
      },
    ];
    // The first lease creates the stream with its $maxCount, in the same append.
    if (revision === undefined) {
      requests.push({
        streamName: metastreamOf(stream),
        expectedState: NO_STREAM,
        events: [jsonEvent({ type: METADATA_TYPE, data: { $maxCount: CHECKPOINT_MAX_COUNT } })],
      });
    }
    try {
      await this.client.multiStreamAppend(requests);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
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
