/**
 * Which failures of a store mean "the storage cannot take this now" (down, unreachable, timed out, full,
 * read-only) rather than a bug, and what each leaves behind. The api answers these 503 with Retry-After
 * instead of 500, and tells a writer whether its commit may have happened.
 *
 * - `not-applied`: the store said no before or instead of committing (a refused connection, a full disk,
 *   a read-only database, a statement cancelled by its timeout): the transaction was rolled back.
 * - `unknown`: the connection was lost or the answer never came while the commit may have been under
 *   way (a reset socket, a client-side query timeout, a server shut down mid-statement). Whether it
 *   committed cannot be known here; a retry with the same idempotency key applies it exactly once.
 */
export type StoreFailureOutcome = 'not-applied' | 'unknown';

export interface StoreFailure {
  readonly outcome: StoreFailureOutcome;
  /** One short phrase for logs and the problem document (never the driver's message verbatim). */
  readonly reason: string;
}

/** PostgreSQL SQLSTATEs (and classes) of a store that cannot take the work now; all rolled back. */
const POSTGRES_NOT_APPLIED: ReadonlyArray<[RegExp, string]> = [
  [/^53100$/, 'the database server is out of disk space'],
  [/^53/, 'the database server is out of resources'],
  [/^25006$/, 'the database is read-only (a standby, or in recovery)'],
  [/^57P03$/, 'the database server is starting or shutting down'],
  [/^57014$/, 'a statement timed out'],
  [/^55P03$/, 'a lock wait timed out'],
  [/^08001$|^08004$/, 'the database refused the connection'],
  [/^58/, 'the database server had an I/O error'],
];

/** SQLSTATEs after which the commit may or may not have happened. */
const POSTGRES_UNKNOWN: ReadonlyArray<[RegExp, string]> = [
  [/^57P0[12]$/, 'the database server was shut down mid-request'],
  [/^08/, 'the database connection failed mid-request'],
];

/** Socket and driver failures before anything was sent: nothing can have committed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/**
 * @kurrent/kurrentdb-client errors by their `type` (utils/CommandError.js): a lost or refused connection and
 * a deadline may come after the server committed (it cannot be known here); a follower refuses writes.
 */
const KURRENTDB: Readonly<Record<string, StoreFailure>> = {
  unavailable: {
    outcome: 'unknown',
    reason: 'the KurrentDB cluster is unreachable or the connection was lost',
  },
  'deadline-exceeded': { outcome: 'unknown', reason: 'KurrentDB did not answer in time' },
  timeout: { outcome: 'unknown', reason: 'KurrentDB did not answer in time' },
  'not-leader': { outcome: 'not-applied', reason: 'the KurrentDB node is not the leader' },
};

/** SQLite result codes (better-sqlite3 `code`, extended codes start with the primary one). */
const SQLITE_NOT_APPLIED: ReadonlyArray<[string, string]> = [
  ['SQLITE_FULL', 'the disk is full'],
  ['SQLITE_READONLY', 'the data directory is read-only'],
  ['SQLITE_CANTOPEN', 'the database file cannot be opened'],
  ['SQLITE_BUSY', 'the database is locked by another process'],
  ['SQLITE_PERM', 'the database file is not writable'],
];

const MESSAGE_LOST = [
  /Connection terminated/i,
  /Query read timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /socket hang up/i,
];

/** The store failure `error` (or one of its causes) is, or undefined for anything else. */
export function storeFailureOf(error: unknown): StoreFailure | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const found = classify(current);
    if (found) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function classify(error: unknown): StoreFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  const text = typeof message === 'string' ? message : '';
  const kurrent = KURRENTDB[(error as { type?: unknown }).type as string];
  if (kurrent && error instanceof Error) return kurrent;
  if (typeof code === 'string') {
    if (name === 'SqliteError' || code.startsWith('SQLITE_')) {
      if (code.startsWith('SQLITE_IOERR')) return { outcome: 'unknown', reason: 'the disk had an I/O error' };
      const hit = SQLITE_NOT_APPLIED.find(([prefix]) => code.startsWith(prefix));
      return hit ? { outcome: 'not-applied', reason: hit[1] } : undefined;
    }
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const definite = POSTGRES_NOT_APPLIED.find(([pattern]) => pattern.test(code));
      if (definite) return { outcome: 'not-applied', reason: definite[1] };
      const lost = POSTGRES_UNKNOWN.find(([pattern]) => pattern.test(code));
      if (lost) return { outcome: 'unknown', reason: lost[1] };
    }
    if (NOT_SENT.has(code)) return { outcome: 'not-applied', reason: 'the database is unreachable' };
    if (LOST.has(code)) return { outcome: 'unknown', reason: 'the database connection was lost' };
    if (code === 'ENOSPC') return { outcome: 'not-applied', reason: 'the disk is full' };
    if (code === 'EROFS' || code === 'EACCES')
      return { outcome: 'not-applied', reason: 'the data directory is read-only' };
  }
  if (/timeout exceeded when trying to connect/i.test(text))
    return { outcome: 'not-applied', reason: 'the database did not accept a connection in time' };
  if (MESSAGE_LOST.some((pattern) => pattern.test(text)))
    return { outcome: 'unknown', reason: 'the database connection was lost or timed out' };
  return undefined;
}
