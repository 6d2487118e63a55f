import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serializeOutcome, SqliteWriter, type EncodedAppend } from './sqlite-writer';

/**
 * The SQLite adapter's writer thread (see SqliteWriterThread): a connection of its own to the store's file,
 * committing the groups the store sends, one message at a time, in order.
 */
export interface WriterThreadData {
  readonly file: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly busyTimeoutMs: number;
}

export type WriterRequest =
  | { readonly id: number; readonly group: readonly EncodedAppend[] }
  | { readonly id: number; readonly close: true };

const data = workerData as WriterThreadData;
const db = new Database(data.file, { timeout: data.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${data.synchronous}`);
db.defaultSafeIntegers(true);
const writer = new SqliteWriter(db);
const port = parentPort;
if (!port) throw new Error('sqlite-writer.worker must run in a worker thread');

/**
 * Groups that arrive while a commit runs (the fsync especially) wait in the port; at the next turn they are
 * committed together, in the order they were sent, and each gets its own answer.
 */
let queue: { readonly id: number; readonly group: readonly EncodedAppend[] }[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  const batch = queue;
  if (batch.length === 0) return;
  queue = [];
  const outcomes = writer.commitGroup(batch.flatMap((request) => request.group)).map(serializeOutcome);
  let offset = 0;
  for (const request of batch) {
    port?.postMessage({ id: request.id, outcomes: outcomes.slice(offset, offset + request.group.length) });
    offset += request.group.length;
  }
}

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    drain();
    db.close();
    port.postMessage({ id: request.id, closed: true });
    port.close();
    return;
  }
  queue.push(request);
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
});
port.postMessage({ ready: true });
