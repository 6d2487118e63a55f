import { spawnSync } from 'node:child_process';
import type { Response } from 'supertest';
import {
  batchStream,
  composeUscc,
  evolveBatch,
  initialBatchState,
  upcast,
  type BatchEvent,
  type BatchState,
} from '@wasteflow/domain';
import { StreamNotFound, type RecordedEvent } from '@wasteflow/event-store';
import { postgresAvailable, TEST_DATABASE_URL } from './postgres';
import type { TestApp, TestStore } from './test-app';

/**
 * Shared builders of the adversarial suites (authorization matrix, idempotency, concurrency, fuzz,
 * problems): fixed parties, permits and tokens (`seedWorld`), builders that take a batch to any point of
 * its life, and the assertions every suite makes (problem documents, "nothing appended").
 * Everything is deterministic: fixed USCCs, fixed times, Idempotency-Keys from a counter (trace codes
 * derive from the key, so a run names the same batches every time). No Math.random.
 */

// ---------------------------------------------------------------------------------------------------
// times (the test clock stands at 2026-03-02T02:00:00Z = 10:00 in Hangzhou; the domain refuses > 5 min ahead)

export const CLOCK_START = '2026-03-02T02:00:00Z';
export const AT = {
  generated: '2026-03-02T09:00:00+08:00',
  split: '2026-03-02T09:10:00+08:00',
  consolidated: '2026-03-02T09:20:00+08:00',
  corrected: '2026-03-02T09:30:00+08:00',
  approved: '2026-03-02T09:25:00+08:00',
  planned: '2026-03-02T13:00:00+08:00',
  // a manifest is issued at the time of recording (10:00 CST): pickup, receipt and treatment follow it
  pickedUp: '2026-03-02T10:01:00+08:00',
  received: '2026-03-02T10:02:00+08:00',
  treated: '2026-03-02T10:03:00+08:00',
  registered: '2026-03-02T08:00:00+08:00',
} as const;

export const HW08_CODE = '900-249-08'; // 废矿物油 (HW08)
export const HW01_CODE = '841-001-01'; // 感染性废物 (HW01, medical)
export const PLATE = '浙A12345';

// ---------------------------------------------------------------------------------------------------
// parties

export type PartyName =
  'generator' | 'otherGenerator' | 'carrier' | 'otherCarrier' | 'receiver' | 'otherReceiver';

export interface PartyFixture {
  readonly uscc: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly districtCode: string;
}

export const PARTIES: Record<PartyName, PartyFixture> = {
  generator: {
    uscc: composeUscc('91330106MA2GEN001'),
    name: '杭州西湖精细化工有限公司',
    roles: ['generator'],
    districtCode: '330106',
  },
  otherGenerator: {
    uscc: composeUscc('91330108MA2GEN002'),
    name: '杭州滨江电子材料有限公司',
    roles: ['generator'],
    districtCode: '330108',
  },
  carrier: {
    uscc: composeUscc('91330109MA2CAR001'),
    name: '杭州萧山环境收运有限公司',
    roles: ['collector', 'carrier'],
    districtCode: '330109',
  },
  otherCarrier: {
    uscc: composeUscc('91330110MA2CAR002'),
    name: '杭州余杭危险货物运输有限公司',
    roles: ['carrier'],
    districtCode: '330110',
  },
  receiver: {
    uscc: composeUscc('91330114MA2REC001'),
    name: '杭州钱塘固废处置有限公司',
    roles: ['receiver'],
    districtCode: '330114',
  },
  otherReceiver: {
    uscc: composeUscc('91330182MA2REC002'),
    name: '建德市危险废物利用处置有限公司',
    roles: ['receiver'],
    districtCode: '330182',
  },
};

/** A valid USCC outside the fixed world (for parties registered by a test itself). */
export function extraUscc(districtCode: string, serial: number): string {
  return composeUscc(`91${districtCode}MA2X${String(serial).padStart(5, '0')}`);
}

export const RECEIVER_PERMIT = {
  permitNo: '3301000101',
  hwCategories: ['HW08'],
  operations: ['D10', 'R9', 'store'],
  annualCapacityKg: 1000000,
  validFrom: '2026-01-01',
  validTo: '2030-12-31',
};
export const OTHER_RECEIVER_PERMIT = { ...RECEIVER_PERMIT, permitNo: '3301000102' };
export const CARRIER_PERMIT = {
  permitNo: '3301000103',
  hwCategories: ['HW08'],
  operations: ['collect', 'store'],
  annualCapacityKg: 100000,
  validFrom: '2026-01-01',
  validTo: '2030-12-31',
};

// ---------------------------------------------------------------------------------------------------
// principals

export type PrincipalName =
  | 'none'
  | 'garbage'
  | 'admin'
  | 'regulator'
  | 'outsideRegulator'
  | 'auditor'
  | 'generator'
  | 'otherGenerator'
  | 'carrier'
  | 'otherCarrier'
  | 'receiver'
  | 'otherReceiver';

export const PRINCIPALS: readonly PrincipalName[] = [
  'none',
  'garbage',
  'admin',
  'regulator',
  'outsideRegulator',
  'auditor',
  'generator',
  'otherGenerator',
  'carrier',
  'otherCarrier',
  'receiver',
  'otherReceiver',
];

/** Looks like a token (prefix, id, secret) but was never issued. */
export const GARBAGE_TOKEN = `wf_${'a'.repeat(20)}_${'b'.repeat(43)}`;

export interface World {
  readonly parties: Record<PartyName, PartyFixture>;
  /** Bearer tokens; `none` is undefined (no Authorization header). */
  readonly tokens: Record<PrincipalName, string | undefined>;
}

/** Fresh deterministic Idempotency-Keys: `<label>-<n>`. */
export class Keys {
  private n = 0;
  constructor(private readonly prefix: string) {}
  next(label = 'k'): string {
    this.n += 1;
    return `${this.prefix}-${label}-${this.n}`;
  }
}

/**
 * Registers the six parties (admin), grants the receivers (and the collector-carrier) their hazardous
 * permits (a Hangzhou regulator), and issues a token to every principal of the matrix: each party, a
 * regulator of Hangzhou for hazardous waste (in scope for every party here), a regulator of Ningbo
 * (out of scope), an auditor. Fails loudly when any step does not answer 201.
 */
export async function seedWorld(t: TestApp, keys = new Keys('seed')): Promise<World> {
  const tokens: Record<PrincipalName, string | undefined> = {
    none: undefined,
    garbage: GARBAGE_TOKEN,
    admin: t.adminToken,
    regulator: '',
    outsideRegulator: '',
    auditor: '',
    generator: '',
    otherGenerator: '',
    carrier: '',
    otherCarrier: '',
    receiver: '',
    otherReceiver: '',
  };
  for (const party of Object.values(PARTIES)) await registerParty(t, keys, party);
  tokens.regulator = await issueToken(t, keys, {
    kind: 'regulator',
    districts: ['3301'],
    categories: ['hazardous'],
  });
  tokens.outsideRegulator = await issueToken(t, keys, {
    kind: 'regulator',
    districts: ['3302'],
    categories: ['hazardous'],
  });
  tokens.auditor = await issueToken(t, keys, { kind: 'auditor' });
  for (const [name, party] of Object.entries(PARTIES) as [PartyName, PartyFixture][]) {
    tokens[name] = await issueToken(t, keys, { kind: 'party', partyUscc: party.uscc, label: name });
  }
  for (const [party, permit] of [
    [PARTIES.receiver, RECEIVER_PERMIT],
    [PARTIES.otherReceiver, OTHER_RECEIVER_PERMIT],
    [PARTIES.carrier, CARRIER_PERMIT],
  ] as const) {
    await grantPermit(t, keys, party.uscc, { by: tokens.regulator, body: permit });
  }
  return { parties: PARTIES, tokens };
}

// ---------------------------------------------------------------------------------------------------
// requests

/** POST with an optional bearer token and an optional Idempotency-Key (null: no header). */
export function send(
  t: TestApp,
  path: string,
  token: string | undefined,
  body: unknown,
  idempotencyKey: string | null,
): Promise<Response> {
  let request = t.http.post(path);
  if (token !== undefined) request = request.set('Authorization', `Bearer ${token}`);
  if (idempotencyKey !== null) request = request.set('Idempotency-Key', idempotencyKey);
  return request.send(body as object);
}

/** POST /v1/commands: the items (each under its own `idempotencyKey`) in one request, which has no key itself. */
export function sendCommands(
  t: TestApp,
  token: string | undefined,
  commands: readonly Record<string, unknown>[],
): Promise<Response> {
  return send(t, '/v1/commands', token, { commands }, null);
}

/** `n` requests started at once (`request(i)` makes the i-th); their answers in order. */
export function concurrently(n: number, request: (i: number) => Promise<Response>): Promise<Response[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => request(i)));
}

/** GET with a bearer token (`Bearer undefined` when none); fails with the body unless it answers 200. */
export async function getOk(t: TestApp, path: string, token: string | undefined): Promise<Response['body']> {
  const response = await t.http.get(path).set('Authorization', `Bearer ${token}`);
  if (response.status !== 200) {
    throw new Error(`GET ${path}: expected 200, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** A supertest parser that keeps a body's bytes (PDF, xlsx, CSV): `.buffer(true).parse(bytesOf)`. */
export function bytesOf(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Awaits a response and fails with its body unless it is 201. */
export async function expect201(pending: Promise<Response> | Response): Promise<Response> {
  const response = await pending;
  if (response.status !== 201) {
    throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response;
}

/** The builders of batch and manifest states, for one app and one world. */
export class Builders {
  constructor(
    readonly t: TestApp,
    readonly world: World,
    readonly keys: Keys = new Keys('build'),
  ) {}

  private token(name: PartyName): string {
    return this.world.tokens[name] as string;
  }

  /** POSTs `body` to `path` as `by` under the next key labelled `label`; asserts the 201. */
  private post(path: string, by: PartyName, body: unknown, label: string): Promise<Response> {
    return expect201(send(this.t, path, this.token(by), body, this.keys.next(label)));
  }

  /** A hazardous HW08 batch generated by `by` (default: the generator) at `occurredAt`, `massKg` held. */
  async generate(
    massKg = 10,
    by: PartyName = 'generator',
    wasteCode = HW08_CODE,
    occurredAt: string = AT.generated,
  ): Promise<string> {
    const body = { category: 'hazardous', wasteCode, massKg, occurredAt };
    return (await this.post('/v1/batches', by, body, 'generate')).body.traceCode as string;
  }

  /**
   * A manifest of the given batches from the generator to the receiver, carried by the carrier; `body`'s
   * fields replace the default ones (`occurredAt`, `plannedAt`, `paper`, `receiverUscc` …).
   */
  async issue(
    traceCodes: readonly string[],
    options: {
      by?: PartyName;
      carrier?: PartyName;
      receiver?: PartyName;
      body?: Record<string, unknown>;
    } = {},
  ): Promise<string> {
    const body = { ...this.manifestBody(traceCodes, options), ...options.body };
    return (await this.post('/v1/manifests', options.by ?? 'generator', body, 'manifest')).body
      .manifestNo as string;
  }

  manifestBody(
    traceCodes: readonly string[],
    options: { carrier?: PartyName; receiver?: PartyName } = {},
  ): Record<string, unknown> {
    return {
      lines: traceCodes.map((traceCode) => ({ traceCode })),
      carrierUscc: PARTIES[options.carrier ?? 'carrier'].uscc,
      receiverUscc: PARTIES[options.receiver ?? 'receiver'].uscc,
      plannedAt: AT.planned,
    };
  }

  /** Picks the manifest up (plate PLATE) at `occurredAt`; answers the 201 (its X-Ledger-Position). */
  async pickUp(
    manifestNo: string,
    carrier: PartyName = 'carrier',
    occurredAt: string = AT.pickedUp,
  ): Promise<Response> {
    return this.post(
      `/v1/manifests/${manifestNo}/pickup`,
      carrier,
      { vehiclePlate: PLATE, occurredAt },
      'pickup',
    );
  }

  /** Receives every line in full (received = accepted = shipped). */
  async receiveInFull(
    manifestNo: string,
    lines: readonly { traceCode: string; massKg: number }[],
    receiver: PartyName = 'receiver',
  ): Promise<void> {
    const body = {
      occurredAt: AT.received,
      lines: lines.map((l) => ({ traceCode: l.traceCode, receivedKg: l.massKg, acceptedKg: l.massKg })),
    };
    await this.post(`/v1/manifests/${manifestNo}/receipt`, receiver, body, 'receipt');
  }

  /** Treats `massKg` of a batch held by `by` (default: the receiver) with `operation`; answers the 201. */
  async treat(
    traceCode: string,
    massKg: number,
    operation = 'D10',
    by: PartyName = 'receiver',
  ): Promise<Response> {
    return this.post(`/v1/batches/${traceCode}/treatments`, by, treatmentBody(massKg, operation), 'treat');
  }

  /** Requests a correction of a batch `by` holds (default: the generator, 1 kg less); answers the 201. */
  async requestCorrection(
    traceCode: string,
    body: Record<string, unknown> = correctionBody(-1),
    by: PartyName = 'generator',
  ): Promise<Response> {
    return this.post(`/v1/batches/${traceCode}/correction-requests`, by, body, 'correction');
  }

  /** A batch generated by the generator and now held by the receiver (shipped, picked up, received in full). */
  async atReceiver(massKg = 10): Promise<string> {
    const traceCode = await this.generate(massKg);
    const manifestNo = await this.issue([traceCode]);
    await this.pickUp(manifestNo);
    await this.receiveInFull(manifestNo, [{ traceCode, massKg }]);
    return traceCode;
  }

  /** A batch and the open (issued, not picked up) manifest it is on. */
  async consigned(massKg = 10): Promise<{ traceCode: string; manifestNo: string }> {
    const traceCode = await this.generate(massKg);
    return { traceCode, manifestNo: await this.issue([traceCode]) };
  }

  /** A batch and its manifest, picked up (in transit). */
  async inTransit(massKg = 10): Promise<{ traceCode: string; manifestNo: string }> {
    const consigned = await this.consigned(massKg);
    await this.pickUp(consigned.manifestNo);
    return consigned;
  }
}

// ---------------------------------------------------------------------------------------------------
// bodies of the write paths (valid ones; the suites mutate them)

export function splitBody(partsKg: number[] = [1]): Record<string, unknown> {
  return { partsKg, occurredAt: AT.split };
}

export function consolidationBody(lines: { traceCode: string; massKg: number }[]): Record<string, unknown> {
  return { lines, occurredAt: AT.consolidated };
}

export function pickupBody(): Record<string, unknown> {
  return { vehiclePlate: PLATE, occurredAt: AT.pickedUp };
}

export function receiptBody(lines: { traceCode: string; massKg: number }[]): Record<string, unknown> {
  return {
    occurredAt: AT.received,
    lines: lines.map((l) => ({ traceCode: l.traceCode, receivedKg: l.massKg, acceptedKg: l.massKg })),
  };
}

export function treatmentBody(massKg = 1, operation = 'D10'): Record<string, unknown> {
  return { operation, massKg, occurredAt: AT.treated };
}

/** A correction request (POST /v1/batches/{code}/correction-requests): no approvals, ever (ADR 0018). */
export function correctionBody(deltaKg = -1): Record<string, unknown> {
  return { deltaKg, reason: '地磅复核：原登记含包装桶皮重', occurredAt: AT.corrected };
}

export function batchBody(massKg = 10, wasteCode = HW08_CODE): Record<string, unknown> {
  return { category: 'hazardous', wasteCode, massKg, occurredAt: AT.generated };
}

// ---------------------------------------------------------------------------------------------------
// the log

/** The events of one stream ([] when it has none). */
export async function streamEvents(t: TestApp, stream: string): Promise<RecordedEvent[]> {
  try {
    return await t.store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** Number of events in each stream, in the order given. */
export async function streamLengths(t: TestApp, streams: readonly string[]): Promise<number[]> {
  return Promise.all(streams.map(async (stream) => (await streamEvents(t, stream)).length));
}

/**
 * Everything appended after `position`, every stream. (Checkpoints and idempotency records are bookkeeping
 * beside the log, docs/adr/0008: they never show here.)
 */
export async function appendedSince(t: TestApp, position: bigint): Promise<RecordedEvent[]> {
  return t.store.readAll({ after: position });
}

/** Fails listing what was appended after `position`, if anything. */
export async function expectNothingAppendedSince(t: TestApp, position: bigint, what = ''): Promise<void> {
  const added = await appendedSince(t, position);
  if (added.length > 0) {
    throw new Error(
      `${what ? `${what}: ` : ''}expected nothing appended after position ${position}, got ${added
        .map((e) => `${e.stream}:${e.type}`)
        .join(', ')}`,
    );
  }
}

/** The head has not moved: nothing at all was appended after `before`. */
export async function expectHeadUnchanged(t: TestApp, before: bigint, what = ''): Promise<void> {
  await expectNothingAppendedSince(t, before, what);
  const head = await t.headPosition();
  if (head !== before) throw new Error(`${what ? `${what}: ` : ''}head moved from ${before} to ${head}`);
}

/** The batch state folded from its stream with the domain's own evolve. */
export async function batchState(t: TestApp, traceCode: string): Promise<BatchState> {
  let state: BatchState = initialBatchState;
  for (const recorded of await streamEvents(t, batchStream(traceCode))) {
    state = evolveBatch(state, upcast(recorded.type, recorded.schemaVersion, recorded.data) as BatchEvent);
  }
  return state;
}

/** Held grams of a batch by the domain's fold (0 for a batch that does not exist). */
export async function heldGrams(t: TestApp, traceCode: string): Promise<number> {
  const state = await batchState(t, traceCode);
  return state.status === 'none' ? 0 : state.heldGrams;
}

// ---------------------------------------------------------------------------------------------------
// problem documents (RFC 9457)

export interface ProblemExpectation {
  readonly rule?: string;
  /** For 400: fields that `errors` must name (exactly these when `exactFields`). */
  readonly fields?: readonly string[];
}

/**
 * Checks an RFC 9457 problem document: content type application/problem+json; `type` (a URI reference),
 * `title`, `status` equal to the HTTP status, `detail`, `rule`; for 400 an `errors` array of
 * `{ field, rule, message }` naming the given fields. Returns the body.
 */
export function expectProblem(
  response: Response,
  status: number,
  expectation: ProblemExpectation = {},
): Record<string, unknown> {
  const request = (response as unknown as { req?: { method?: string; path?: string } }).req;
  const context = `${request?.method ?? ''} ${request?.path ?? ''} → ${response.status} ${JSON.stringify(response.body)}`;
  if (response.status !== status) throw new Error(`expected ${status}: ${context}`);
  const problems = problemShapeErrors(response.headers['content-type'], response.body, status);
  if (problems.length > 0) throw new Error(`not a problem document (${problems.join('; ')}): ${context}`);
  const body = response.body as Record<string, unknown>;
  if (expectation.rule !== undefined && body.rule !== expectation.rule) {
    throw new Error(`expected rule ${expectation.rule}: ${context}`);
  }
  if (expectation.fields) {
    const named = new Set(((body.errors ?? []) as { field: string }[]).map((e) => e.field));
    const missing = expectation.fields.filter((f) => !named.has(f));
    if (missing.length > 0) throw new Error(`errors do not name ${missing.join(', ')}: ${context}`);
  }
  return body;
}

/** What is wrong with a problem document (empty when nothing). */
export function problemShapeErrors(contentType: string | undefined, body: unknown, status: number): string[] {
  const errors: string[] = [];
  if (!/^application\/problem\+json(;|$)/.test(contentType ?? '')) errors.push(`content-type ${contentType}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [...errors, 'body is not an object'];
  const b = body as Record<string, unknown>;
  if (typeof b.type !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(b.type))
    errors.push(`type ${JSON.stringify(b.type)}`);
  if (typeof b.title !== 'string' || b.title === '') errors.push('title');
  if (b.status !== status) errors.push(`status ${JSON.stringify(b.status)} ≠ ${status}`);
  if (typeof b.detail !== 'string' || b.detail === '') errors.push('detail');
  if (typeof b.rule !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(b.rule))
    errors.push(`rule ${JSON.stringify(b.rule)}`);
  if (b.instance !== undefined && typeof b.instance !== 'string') errors.push('instance');
  if (status === 400) {
    if (!Array.isArray(b.errors) || b.errors.length === 0) errors.push('400 without an errors array');
    else
      for (const e of b.errors as Record<string, unknown>[]) {
        if (typeof e?.field !== 'string' || typeof e.rule !== 'string' || typeof e.message !== 'string')
          errors.push(`errors item ${JSON.stringify(e)}`);
      }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL variants

const PROBE = `
const { Client } = require('pg');
const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
c.connect().then(() => c.query('select 1')).then(() => c.end()).then(
  () => process.exit(0),
  (e) => { process.stderr.write(String(e && e.message)); process.exit(1); },
);`;

let probed: string | null | undefined;

/** Why PostgreSQL cannot be used (null when it can), probed once, synchronously, at collection time. */
function postgresUnreachableReason(): string | null {
  if (probed !== undefined) return probed;
  const result = spawnSync(process.execPath, ['-e', PROBE, TEST_DATABASE_URL], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  probed =
    result.status === 0
      ? null
      : result.stderr.trim() || `probe exited with ${result.status ?? result.signal}`;
  return probed;
}

/**
 * The stores a suite runs on, for `describe.each`: always SQLite; PostgreSQL when it is reachable or
 * under CI=true (where an unreachable server then fails the suite in `beforeAllStore`). Outside CI an
 * unreachable server leaves PostgreSQL out with a printed reason, and the skipped variant shows up in the
 * report as a skipped describe named after the reason (see `skippedPostgres`) — never a silent pass.
 */
export function storesFor(suite: string): TestStore[] {
  if (process.env.CI === 'true') return ['sqlite', 'postgres'];
  const reason = postgresUnreachableReason();
  if (reason === null) return ['sqlite', 'postgres'];
  console.warn(`${suite}: PostgreSQL variants not run: ${reason}`);
  return ['sqlite'];
}

/** Declares a visibly skipped placeholder for the PostgreSQL variant when it cannot run. */
export function skippedPostgres(title: string): void {
  if (process.env.CI === 'true') return;
  const reason = postgresUnreachableReason();
  if (reason === null) return;
  describe.skip(`${title} (postgres): not run, PostgreSQL unreachable: ${reason}`, () => {
    it('runs when PostgreSQL is reachable', () => undefined);
  });
}

/**
 * A suite on every store: `body` once per store of `storesFor(suite)`, titled `title` (`%s` the store;
 * `${suite} (%s)` by default), and where PostgreSQL cannot run outside CI, its skipped placeholder
 * (`skippedPostgres`) in the report.
 */
export function describeEachStore(suite: string, body: (kind: TestStore) => void): void;
export function describeEachStore(suite: string, title: string, body: (kind: TestStore) => void): void;
export function describeEachStore(
  suite: string,
  titleOrBody: string | ((kind: TestStore) => void),
  maybeBody?: (kind: TestStore) => void,
): void {
  const [title, body] =
    typeof titleOrBody === 'string'
      ? [titleOrBody, maybeBody as (kind: TestStore) => void]
      : [`${suite} (%s)`, titleOrBody];
  skippedPostgres(suite);
  describe.each(storesFor(suite))(title, body);
}

/** For a suite's beforeAll: under CI an unreachable PostgreSQL fails here (postgresAvailable throws). */
export async function requireStore(kind: TestStore, suite: string): Promise<void> {
  if (kind !== 'postgres') return;
  if (!(await postgresAvailable(suite))) throw new Error(`${suite}: PostgreSQL is not reachable`);
}

// ---------------------------------------------------------------------------------------------------
// parties and tokens a rules suite adds to the seeded world (test/rules/*.e2e-spec.ts)

/** A token issued by the admin (`{ kind: 'party', partyUscc }`, `{ kind: 'regulator', districts, categories }` …). */
export async function issueToken(t: TestApp, keys: Keys, body: Record<string, unknown>): Promise<string> {
  return (await expect201(send(t, '/v1/tokens', t.adminToken, body, keys.next('token')))).body
    .token as string;
}

/**
 * A party of the suite's own, registered by the admin, with its permit granted by `permit.by` (a regulator
 * token in its jurisdiction) when given; returns the party's token.
 */
export async function registerExtraParty(
  t: TestApp,
  keys: Keys,
  party: PartyFixture,
  permit?: { readonly by: string; readonly body: Record<string, unknown> },
): Promise<string> {
  await registerParty(t, keys, party);
  if (permit) await grantPermit(t, keys, party.uscc, permit);
  return issueToken(t, keys, { kind: 'party', partyUscc: party.uscc });
}

/** Registers a party (the admin), as of AT.registered. */
export async function registerParty(t: TestApp, keys: Keys, party: PartyFixture): Promise<void> {
  await expect201(
    send(t, '/v1/parties', t.adminToken, { ...party, occurredAt: AT.registered }, keys.next('party')),
  );
}

/** Grants a party a permit (`by`: a regulator token in its jurisdiction), as of AT.registered. */
export async function grantPermit(
  t: TestApp,
  keys: Keys,
  uscc: string,
  permit: { readonly by: string; readonly body: Record<string, unknown> },
): Promise<void> {
  await expect201(
    send(
      t,
      `/v1/parties/${uscc}/permits`,
      permit.by,
      { ...permit.body, occurredAt: AT.registered },
      keys.next('permit'),
    ),
  );
}
