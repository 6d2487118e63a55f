// Longer than our ~400 lines on purpose: the DDL and the plpgsql of the global-order proof (its comment,
// visible_bound, append_events, append_event_groups) must be read side by side to be checked.
import { InvalidArgument } from '../errors';
import { personalDataDdl } from './postgres-personal-data';
import { MAX_XID, ORDINAL_BITS } from './postgres-position';

/** Kept plain so it needs no quoting anywhere and the NOTIFY channel name stays under 63 bytes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidArgument(
      `PostgreSQL schema name must match ${SCHEMA_NAME.source}, got ${JSON.stringify(schema)}`,
    );
  }
}

export function notificationChannel(schema: string): string {
  return `wf_events_${schema}`;
}

/** Outcome codes of append_events(); see the function below. */
export const APPEND_OK = 'ok';
export const APPEND_IDS_EXIST = 'ids_exist';
export const APPEND_WRONG_EXPECTED_REVISION = 'wrong_expected_revision';
/** Outcome of append_event_groups() for an append whose stream another transaction holds: retry it alone. */
export const APPEND_BUSY = 'busy';
/** An idempotency record of the append exists already (out_write: which, 1-based); nothing written. */
export const APPEND_RECORD_EXISTS = 'idempotency_record_exists';
/** Raised when append_events() is not the first write of its transaction (its xid would predate its locks). */
export const NOT_FIRST_WRITE_SQLSTATE = 'WF001';
/** Raised when two appends of one group share a stream (the caller keeps groups stream-disjoint). */
export const GROUP_STREAMS_OVERLAP_SQLSTATE = 'WF002';

/**
 * Key of the shared advisory lock every append holds for its whole transaction, in the two-int4 key
 * space (pg_locks.objsubid = 2) so it can never collide with the per-stream bigint keys (objsubid = 1).
 * Positive, so pg_locks.classid (an oid) shows the same number.
 */
export function appendingLockKey(schema: string): number {
  let hash = 0x2f5a1c3b;
  for (const char of `wasteflow-appending/${schema}`)
    hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash & 0x7fffffff;
}

/**
 * Write i's current revision (`v_current`: an earlier write of the same stream in this call, or the log's)
 * and whether it is what the write expects (`v_ok`), in plpgsql: append_events and append_event_groups
 * check alike. `stopEarlier` ends the look back over earlier writes (a group: at its append's first).
 */
function expectedRevisionCheck(schema: string, stopEarlier = ''): string {
  return `    v_current := NULL;
    FOR j IN REVERSE i - 1 .. 1 LOOP
${stopEarlier}      IF p_streams[j] = p_streams[i] THEN
        v_current := v_after[j];
        EXIT;
      END IF;
    END LOOP;
    IF v_current IS NULL THEN
      SELECT coalesce(max(e.revision), -1) INTO v_current FROM ${schema}.events e WHERE e.stream = p_streams[i];
    END IF;
    v_ok := CASE p_expected[i]
      WHEN 'any' THEN true
      WHEN 'no_stream' THEN v_current = -1
      WHEN 'stream_exists' THEN v_current >= 0
      ELSE v_current = p_expected[i]::bigint
    END;
`;
}

/**
 * The writes of an append as both append functions take them: parallel arrays, one entry a write (stream,
 * expected revision, event count) and one an event (its write, id, type, version, data, metadata).
 */
const WRITE_ARRAYS = `  p_streams text[],
  p_expected text[],
  p_counts int[],
  p_event_write int[],
  p_ids text[],
  p_types text[],
  p_schema_versions int[],
  p_data text[],
  p_metadata text[],`;

/**
 * The variables of the steps both append functions share (the lock loop, `expectedRevisionCheck`,
 * `XID_AFTER_THE_LOCKS`, `insertEvents`): per write its current, first and last revision (`v_first`,
 * `v_after`) and the ordinal of its first event (`v_start`, the next free one in `v_next`).
 */
const STEP_VARIABLES = `  v_key bigint;
  v_current bigint;
  v_ok boolean;
  v_first bigint[] := '{}';
  v_after bigint[] := '{}';
  v_start int[] := '{}';
  v_next int := 1;
  v_xid bigint;`;

/** The guard both append functions open with: their xid must not predate their locks. */
function firstWriteOfTransaction(fn: string): string {
  return `  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION '${fn}() must be the first write of its transaction'
      USING ERRCODE = '${NOT_FIRST_WRITE_SQLSTATE}';
  END IF;
`;
}

/**
 * The step of the order proof both append functions take once every lock is held: only now is the xid
 * assigned (and it must fit a position).
 */
const XID_AFTER_THE_LOCKS = `  -- Assigns the xid now, after every lock is held.
  v_xid := pg_current_xact_id()::text::bigint;
  IF v_xid > ${MAX_XID} THEN
    RAISE EXCEPTION 'transaction id % no longer fits a position', v_xid;
  END IF;
`;

/**
 * The INSERT of an append's events (no terminating semicolon: a caller may add a WHERE): each at
 * `position = xid << ORDINAL_BITS | ordinal`, its revision following its write's first (`v_first`) in
 * input order from `inputStart[write]`, the index of the write's first event in the arrays.
 */
function insertEvents(schema: string, ordinal: string, inputStart: string): string {
  return `  INSERT INTO ${schema}.events (position, id, stream, revision, type, schema_version, data, metadata)
  SELECT (v_xid << ${ORDINAL_BITS}) | (${ordinal}),
         e.id,
         p_streams[e.w],
         v_first[e.w] + (e.ord - ${inputStart}[e.w]),
         e.type,
         e.schema_version,
         e.data::json,
         e.metadata::json
  FROM unnest(p_event_write, p_ids, p_types, p_schema_versions, p_data, p_metadata)
       WITH ORDINALITY AS e(w, id, type, schema_version, data, metadata, ord)`;
}

/** The answer row of accepted write i: its stream's revision after it and the position of its last event. */
const WRITE_ACCEPTED = `    out_status := '${APPEND_OK}';
    out_write := i;
    out_revision := v_after[i];
    out_position := (v_xid << ${ORDINAL_BITS}) | (v_start[i] + p_counts[i] - 2);
    RETURN NEXT;
`;

/**
 * The schema, created idempotently. How the global order works (see also postgres-position.ts):
 *
 * Writing. append_events() must be the first write of its transaction. It takes a shared "appending"
 * advisory lock, then an exclusive advisory lock per stream (in key order, so commits cannot deadlock),
 * and only then writes. Advisory locks assign no transaction id, so the xid is assigned after the locks
 * are held: of two commits sharing a stream, the one that got the stream lock first has the smaller xid
 * and (locks being held to commit) the lower revisions. Every event gets
 * `position = (xid << 20) | ordinal`, unique and ordered like (xid, ordinal); stream order agrees.
 *
 * Reading. A reader must never see a position below one it has already seen appear later. The textbook
 * bound is `pg_snapshot_xmin(pg_current_snapshot())`: every smaller xid has finished. It couples
 * delivery to every transaction in the cluster, though (a long projection rebuild, another application,
 * another database), which stalls all subscribers for its duration. visible_bound() keeps the guarantee
 * while waiting only for appends:
 *   1. X := xmax of a fresh snapshot. Every xid assigned from then on is >= X.
 *   2. A := the oldest xid among transactions holding the appending lock (pg_locks, read after 1).
 *   3. bound := min(X, A); the rows are read in a statement after 2, so with a newer snapshot.
 * An event below the bound belongs to a transaction T whose xid is below X, so T got its xid (inside
 * append_events, after taking the appending lock) before step 2. If T was still running at step 2 it
 * held the lock and its xid is >= A >= bound: contradiction. So T had finished before step 2, and the
 * step 3 snapshot shows its events, or it rolled back and has none. Nothing below the bound can appear
 * later; transactions that do not append never delay anyone. (The xid8 column stays for audits.)
 *
 * One round trip per append (append_events) and per read (read_all and friends, which must run the
 * three steps as separate statements, in that order, hence functions).
 *
 * Bookkeeping (docs/adr/0008): an append may carry idempotency records, inserted in its transaction into
 * idempotency_records. Each record's (scope, key) is locked like a stream (an advisory lock in the same
 * sorted set), so of two commits under one key the second waits for the first and then finds its record:
 * 'idempotency_record_exists', checked before anything else, nothing written. Checkpoints of the store's
 * consumers live in checkpoints, under a lease with a fencing token.
 */
export function schemaDdl(schema: string): string {
  assertSchemaName(schema);
  const lockNamespace = `${schema}/`;
  const appendingKey = appendingLockKey(schema);
  // A record's lock lives in the streams' key space, under a name no ledger stream has (a collision of
  // the 64-bit hashes would only make two commits wait for each other).
  const streamLockKey = (stream: string): string => `hashtextextended('${lockNamespace}' || ${stream}, 0)`;
  const recordLockKey = (scope: string, key: string): string =>
    `hashtextextended('${lockNamespace}' || chr(1) || 'idempotency' || chr(1) || ${scope} || chr(1) || ${key}, 0)`;
  // Every append locks its streams' and records' keys in this one order, so that no two commits deadlock.
  const lockKeysInOrder = `    SELECT DISTINCT k FROM (
      SELECT ${streamLockKey('s')} AS k FROM unnest(p_streams) AS s
      UNION ALL
      SELECT ${recordLockKey('r.scope', 'r.key')} FROM unnest(p_record_scopes, p_record_keys) AS r(scope, key)
    ) AS keys ORDER BY 1`;
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};

CREATE TABLE IF NOT EXISTS ${schema}.events (
  position bigint NOT NULL,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  id text NOT NULL,
  stream text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_pkey PRIMARY KEY (position),
  CONSTRAINT events_id_uq UNIQUE (id),
  CONSTRAINT events_stream_revision_uq UNIQUE (stream, revision)
);

CREATE TABLE IF NOT EXISTS ${schema}.idempotency_records (
  scope text NOT NULL,
  key text NOT NULL,
  record json NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT idempotency_records_pkey PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS idempotency_records_recorded_at ON ${schema}.idempotency_records (recorded_at);

${personalDataDdl(schema)}
CREATE TABLE IF NOT EXISTS ${schema}.checkpoints (
  name text NOT NULL,
  owner text NOT NULL,
  token bigint NOT NULL,
  position bigint NOT NULL,
  expires_at bigint NOT NULL,
  CONSTRAINT checkpoints_pkey PRIMARY KEY (name)
);

CREATE OR REPLACE FUNCTION ${schema}.visible_bound() RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
  v_xmax bigint;
  v_oldest bigint;
BEGIN
  -- The argument needs a fresh snapshot per statement; one transaction snapshot would make it unsound.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'event reads need READ COMMITTED, not %', current_setting('transaction_isolation');
  END IF;
  v_xmax := pg_snapshot_xmax(pg_current_snapshot())::text::bigint;
  -- pg_locks shows 32-bit xids; one still running is less than 2^31 behind xmax, which fixes its epoch.
  WITH locks AS MATERIALIZED (
    SELECT locktype, database, classid, objid, objsubid, virtualtransaction, transactionid
    FROM pg_locks
    WHERE locktype IN ('advisory', 'transactionid')
  ), distances AS (
    SELECT ((v_xmax & 4294967295) - x.transactionid::text::bigint) & 4294967295 AS behind
    FROM locks a
    JOIN locks x ON x.virtualtransaction = a.virtualtransaction AND x.locktype = 'transactionid'
    WHERE a.locktype = 'advisory'
      AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND a.classid = ${appendingKey} AND a.objid = 0 AND a.objsubid = 2
  )
  SELECT v_xmax - max(behind) INTO v_oldest FROM distances WHERE behind > 0 AND behind < 2147483648;
  RETURN least(v_xmax, coalesce(v_oldest, v_xmax)) << ${ORDINAL_BITS};
END;
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.read_all(p_after bigint, p_types text[], p_prefixes text[], p_limit int)
RETURNS SETOF ${schema}.events
LANGUAGE plpgsql
SET enable_seqscan = off
AS $fn$
DECLARE
  v_bound bigint := ${schema}.visible_bound();
BEGIN
  RETURN QUERY
    SELECT * FROM ${schema}.events e
    WHERE e.position > p_after AND e.position < v_bound
      AND (p_types IS NULL OR e.type = ANY (p_types))
      AND (p_prefixes IS NULL
           OR EXISTS (SELECT 1 FROM unnest(p_prefixes) AS p(prefix) WHERE starts_with(e.stream, p.prefix)))
    ORDER BY e.position
    LIMIT p_limit;
END;
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.visible_head() RETURNS bigint
LANGUAGE plpgsql
SET enable_seqscan = off
AS $fn$
DECLARE
  v_bound bigint := ${schema}.visible_bound();
  v_position bigint;
BEGIN
  SELECT e.position INTO v_position FROM ${schema}.events e
  WHERE e.position < v_bound
  ORDER BY e.position DESC
  LIMIT 1;
  RETURN coalesce(v_position, 0);
END;
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.append_events(
${WRITE_ARRAYS}
  p_record_scopes text[],
  p_record_keys text[],
  p_records text[]
) RETURNS TABLE (out_status text, out_write int, out_revision bigint, out_position bigint)
LANGUAGE plpgsql
-- Plans are cached per session; one made while the table was small would seq-scan it forever after.
-- Every query here has an index to use, so take seq scans off the table instead of replanning each call.
SET enable_seqscan = off
AS $fn$
DECLARE
  v_writes int := cardinality(p_streams);
${STEP_VARIABLES}
  v_records int := coalesce(cardinality(p_record_keys), 0);
  v_record int;
BEGIN
${firstWriteOfTransaction('append_events')}
  -- Held to commit: readers wait for this transaction's events (see visible_bound()).
  PERFORM pg_advisory_xact_lock_shared(${appendingKey}, 0);
  IF v_writes = 1 AND v_records = 0 THEN
    PERFORM pg_advisory_xact_lock(${streamLockKey('p_streams[1]')});
  ELSE
    FOR v_key IN
${lockKeysInOrder}
    LOOP
      PERFORM pg_advisory_xact_lock(v_key);
    END LOOP;
  END IF;

  -- Statements below see commits made while we waited for the locks (READ COMMITTED, volatile function).
  IF v_records > 0 THEN
    SELECT min(r.n) INTO v_record
    FROM unnest(p_record_scopes, p_record_keys) WITH ORDINALITY AS r(scope, key, n)
    WHERE EXISTS (SELECT 1 FROM ${schema}.idempotency_records x WHERE x.scope = r.scope AND x.key = r.key);
    IF v_record IS NOT NULL THEN
      RETURN QUERY SELECT '${APPEND_RECORD_EXISTS}'::text, v_record::int, NULL::bigint, NULL::bigint;
      RETURN;
    END IF;
  END IF;
  IF EXISTS (SELECT 1 FROM ${schema}.events e WHERE e.id = ANY (p_ids)) THEN
    RETURN QUERY SELECT '${APPEND_IDS_EXIST}'::text, NULL::int, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;

  -- Writes apply in order; a stream named twice sees its own earlier write.
  FOR i IN 1 .. v_writes LOOP
${expectedRevisionCheck(schema)}    IF NOT v_ok THEN
      RETURN QUERY SELECT '${APPEND_WRONG_EXPECTED_REVISION}'::text, i, v_current, NULL::bigint;
      RETURN;
    END IF;
    v_first[i] := v_current + 1;
    v_after[i] := v_current + p_counts[i];
    v_start[i] := v_next;
    v_next := v_next + p_counts[i];
  END LOOP;

${XID_AFTER_THE_LOCKS}
${insertEvents(schema, 'e.ord - 1', 'v_start')};
  IF v_records > 0 THEN
    INSERT INTO ${schema}.idempotency_records (scope, key, record)
    SELECT r.scope, r.key, r.record::json FROM unnest(p_record_scopes, p_record_keys, p_records) AS r(scope, key, record);
  END IF;

  FOR i IN 1 .. v_writes LOOP
${WRITE_ACCEPTED}  END LOOP;
END;
$fn$;

-- Group commit: several independent appends (each one or more writes, p_appends numbering the writes'
-- appends 1, 1, 2, 3, 3 …) in one transaction and one WAL flush, each decided as append_events() would
-- decide it alone: a refused append (wrong expected revision, ids stored already, a stream held by another
-- transaction) writes nothing and does not affect the others. Same ordering argument as append_events():
-- first write of its transaction, appending lock, stream locks in key order, then the xid. Stream locks
-- are only tried: an append whose stream is held elsewhere leaves the group ('${APPEND_BUSY}') and the
-- caller appends it on its own, so one held stream does not hold up the group. The caller keeps the
-- appends of a group on distinct streams and ids (a refused append could otherwise leak into another).
CREATE OR REPLACE FUNCTION ${schema}.append_event_groups(
  p_appends int[],
${WRITE_ARRAYS}
  p_record_appends int[],
  p_record_scopes text[],
  p_record_keys text[],
  p_records text[]
) RETURNS TABLE (out_append int, out_status text, out_write int, out_revision bigint, out_position bigint)
LANGUAGE plpgsql
SET enable_seqscan = off
AS $fn$
DECLARE
  v_writes int := cardinality(p_streams);
  v_appends int := p_appends[cardinality(p_appends)];
  v_status text[] := array_fill(NULL::text, ARRAY[v_appends]);
  v_failed_write int[] := array_fill(NULL::int, ARRAY[v_appends]);
  v_failed_revision bigint[] := array_fill(NULL::bigint, ARRAY[v_appends]);
${STEP_VARIABLES}
  v_a int;
  v_input_start int[] := '{}';
  v_input int := 1;
BEGIN
${firstWriteOfTransaction('append_event_groups')}  IF EXISTS (SELECT 1 FROM unnest(p_streams, p_appends) AS w(stream, a) GROUP BY w.stream
             HAVING count(DISTINCT w.a) > 1) THEN
    RAISE EXCEPTION 'append_event_groups(): two appends of one group share a stream'
      USING ERRCODE = '${GROUP_STREAMS_OVERLAP_SQLSTATE}';
  END IF;

  PERFORM pg_advisory_xact_lock_shared(${appendingKey}, 0);
  FOR v_key IN
${lockKeysInOrder}
  LOOP
    IF NOT pg_try_advisory_xact_lock(v_key) THEN
      FOR i IN 1 .. v_writes LOOP
        IF ${streamLockKey('p_streams[i]')} = v_key THEN
          v_status[p_appends[i]] := '${APPEND_BUSY}';
        END IF;
      END LOOP;
      FOR i IN 1 .. coalesce(cardinality(p_record_keys), 0) LOOP
        IF ${recordLockKey('p_record_scopes[i]', 'p_record_keys[i]')} = v_key THEN
          v_status[p_record_appends[i]] := '${APPEND_BUSY}';
        END IF;
      END LOOP;
    END IF;
  END LOOP;

  -- As in append_events(): these statements see commits made before the locks were taken. A recorded
  -- key comes first: such an append is answered by its record, whatever its events.
  FOR i IN 1 .. coalesce(cardinality(p_record_keys), 0) LOOP
    v_a := p_record_appends[i];
    CONTINUE WHEN v_status[v_a] IS NOT NULL;
    IF EXISTS (SELECT 1 FROM ${schema}.idempotency_records x
               WHERE x.scope = p_record_scopes[i] AND x.key = p_record_keys[i]) THEN
      v_status[v_a] := '${APPEND_RECORD_EXISTS}';
      v_failed_write[v_a] := i;
    END IF;
  END LOOP;
  FOR v_a IN
    SELECT DISTINCT p_appends[x.w] FROM unnest(p_event_write, p_ids) AS x(w, id)
    WHERE EXISTS (SELECT 1 FROM ${schema}.events e WHERE e.id = x.id)
  LOOP
    v_status[v_a] := coalesce(v_status[v_a], '${APPEND_IDS_EXIST}');
  END LOOP;

  FOR i IN 1 .. v_writes LOOP
    v_a := p_appends[i];
    v_input_start[i] := v_input;
    v_input := v_input + p_counts[i];
    CONTINUE WHEN v_status[v_a] IS NOT NULL;
    -- Within one append a stream named twice sees its own earlier write; appends share no stream.
${expectedRevisionCheck(schema, '      EXIT WHEN p_appends[j] <> v_a;\n')}    IF NOT v_ok THEN
      v_status[v_a] := '${APPEND_WRONG_EXPECTED_REVISION}';
      v_failed_write[v_a] := i;
      v_failed_revision[v_a] := v_current;
      CONTINUE;
    END IF;
    v_first[i] := v_current + 1;
    v_after[i] := v_current + p_counts[i];
  END LOOP;

  -- Ordinals for the accepted appends' events only, in call order.
  FOR i IN 1 .. v_writes LOOP
    IF v_status[p_appends[i]] IS NULL THEN
      v_start[i] := v_next;
      v_next := v_next + p_counts[i];
    END IF;
  END LOOP;

  IF v_next > 1 THEN
${XID_AFTER_THE_LOCKS}${insertEvents(schema, 'v_start[e.w] - 1 + (e.ord - v_input_start[e.w])', 'v_input_start')}
    WHERE v_status[p_appends[e.w]] IS NULL;
    IF coalesce(cardinality(p_record_keys), 0) > 0 THEN
      INSERT INTO ${schema}.idempotency_records (scope, key, record)
      SELECT r.scope, r.key, r.record::json
      FROM unnest(p_record_appends, p_record_scopes, p_record_keys, p_records) AS r(a, scope, key, record)
      WHERE v_status[r.a] IS NULL;
    END IF;
  END IF;

  FOR i IN 1 .. v_writes LOOP
    CONTINUE WHEN v_status[p_appends[i]] IS NOT NULL;
    out_append := p_appends[i];
${WRITE_ACCEPTED}  END LOOP;
  FOR a IN 1 .. v_appends LOOP
    CONTINUE WHEN v_status[a] IS NULL;
    out_append := a;
    out_status := v_status[a];
    out_write := v_failed_write[a];
    out_revision := v_failed_revision[a];
    out_position := NULL;
    RETURN NEXT;
  END LOOP;
END;
$fn$;
`;
}
