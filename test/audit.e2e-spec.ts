import { ManualClock } from '@wasteflow/event-store';
import {
  CLOCK_START,
  describeEachStore,
  expect201,
  expectProblem,
  Keys,
  PARTIES,
  send,
  type PrincipalName,
} from './support/fixtures';
import { driveHistory, type History } from './support/read-side-history';
import { STEPS_OF_A } from './support/read-side-suite';
import { cliOn } from './support/store-cli';
import { editStoredEvent } from './support/tamper';
import { seededApp } from './support/seeded-app';

const SUITE = 'audit history (GET /v1/audit/streams/{stream}) and wasteflow verify';

interface AuditBody {
  stream: string;
  kind: string;
  asOf: string | null;
  events: {
    revision: string;
    position: string;
    type: string;
    schemaVersion: number;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    recordedAt: string;
    stateAfter: Record<string, unknown> | null;
    stateError?: string;
  }[];
  integrity: {
    verified: boolean;
    eventsChecked: number;
    headHash: string | null;
    firstBreak: Record<string, unknown> | null;
  };
  consistency: { consistent: boolean; eventsChecked: number; issues: Record<string, unknown>[] } | null;
  position: string;
}

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date(CLOCK_START));
  const app = seededApp(kind, SUITE, __filename, 'audit', { clock });
  let h: History;
  /** Before the clock moved on and xReturned was split. */
  let before = '';
  let splitChild = '';

  beforeAll(async () => {
    h = await driveHistory(app.t, app.world, new Keys(`audit-${kind}`));
    before = clock.now().toISOString();
    clock.advance(3_600_000); // 11:00 CST
    const split = await expect201(
      send(
        app.t,
        `/v1/batches/${h.xReturned}/split`,
        tokenOf('generator'),
        { partsKg: [1], occurredAt: '2026-03-02T10:30:00+08:00' },
        `audit-split-${kind}`,
      ),
    );
    splitChild = split.body.children[0];
  });

  const tokenOf = (name: PrincipalName) => app.world.tokens[name] as string;
  const audit = async (stream: string, query = '', token = tokenOf('auditor')): Promise<AuditBody> => {
    const response = await app.t.http
      .get(`/v1/audit/streams/${encodeURIComponent(stream)}${query}`)
      .set('Authorization', `Bearer ${token}`);
    if (response.status !== 200)
      throw new Error(`${stream}${query}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as AuditBody;
  };
  const cli = (...argv: string[]) => cliOn(kind, app.t, ...argv);

  it('returns every event of a batch with the state after it and a verified chain', async () => {
    const body = await audit(`batch-${h.a}`);
    expect(body).toMatchObject({ stream: `batch-${h.a}`, kind: 'batch', asOf: null });
    expect(body.events.map((e) => e.type)).toEqual(STEPS_OF_A);
    expect(body.events.map((e) => e.revision)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(body.events[0]).toMatchObject({
      schemaVersion: 3,
      data: { traceCode: h.a, massGrams: 10_000, generatorUscc: PARTIES.generator.uscc },
      metadata: { actor: `party:${PARTIES.generator.uscc}`, prevHash: null },
      recordedAt: CLOCK_START.replace('Z', '.000Z'),
      stateAfter: { status: 'held', heldGrams: 10_000, custodianUscc: PARTIES.generator.uscc },
    });
    expect(body.events[1].stateAfter).toMatchObject({ heldGrams: 7_000, nextChildIndex: 1 });
    expect(body.events[2].stateAfter).toMatchObject({
      status: 'consigned',
      manifest: { manifestNo: h.m1, stage: 'consigned' },
    });
    expect(body.events[4].stateAfter).toMatchObject({
      status: 'held',
      custodianUscc: PARTIES.receiver.uscc,
      settledManifests: [h.m1],
    });
    expect(body.events[6].stateAfter).toMatchObject({ status: 'depleted', heldGrams: 0 });
    expect(body.integrity).toEqual({
      verified: true,
      eventsChecked: 7,
      headHash: body.events[6].metadata.hash,
      firstBreak: null,
    });
    expect(body.consistency).toEqual({
      stream: `batch-${h.a}`,
      consistent: true,
      eventsChecked: 7,
      issues: [],
    });
    expect(BigInt(body.position)).toBeGreaterThanOrEqual(BigInt(body.events[6].position));
  });

  it('folds party and manifest streams too; token streams have no state and never show the secret hash', async () => {
    const party = await audit(`party-${PARTIES.receiver.uscc}`);
    expect(party.kind).toBe('party');
    // the receipts of the history draw on the receiver's permit capacity (issue 16 item 1)
    expect(party.events.map((e) => e.type).slice(0, 2)).toEqual(['PartyRegistered', 'PermitGranted']);
    expect(new Set(party.events.slice(2).map((e) => e.type))).toEqual(new Set(['PermitCapacityDrawn']));
    expect(party.events[1].stateAfter).toMatchObject({
      status: 'registered',
      permits: [{ permitNo: '3301000101' }],
    });
    const manifest = await audit(`manifest-${h.m1}`);
    expect(manifest.events.map((e) => e.type)).toEqual([
      'ManifestIssued',
      'ManifestPickedUp',
      'ManifestReceived',
    ]);
    expect(manifest.events.map((e) => (e.stateAfter as { status: string }).status)).toEqual([
      'issued',
      'picked_up',
      'received',
    ]);
    expect(manifest.integrity.verified).toBe(true);

    const tokenId = tokenOf('generator').slice(3, 23);
    const token = await audit(`token-${tokenId}`);
    expect(token).toMatchObject({
      kind: 'token',
      integrity: { verified: true, eventsChecked: 1 },
      consistency: null,
    });
    expect(token.events[0]).toMatchObject({
      type: 'TokenIssued',
      stateAfter: null,
      data: { tokenId, secretHash: '[redacted]' },
    });
    expect(JSON.stringify(token)).not.toMatch(/"secretHash":"[0-9a-f]{64}"/);
    // a lower-case or hyphenated trace code names the same batch stream
    expect((await audit(`batch-${h.a.toLowerCase()}`)).stream).toBe(`batch-${h.a}`);
  });

  it('cuts the history at a time or at a position; the prefix verifies on its own', async () => {
    const full = await audit(`batch-${h.xReturned}`);
    expect(full.events.map((e) => e.type)).toEqual(['BatchReturnedFromRejection', 'BatchSplit']);
    expect(full.events[1].stateAfter).toMatchObject({ heldGrams: 1_000 });
    const byTime = await audit(`batch-${h.xReturned}`, `?asOf=${encodeURIComponent(before)}`);
    expect(byTime).toMatchObject({
      asOf: before,
      integrity: { verified: true, eventsChecked: 1, headHash: full.events[0].metadata.hash },
    });
    expect(byTime.events.map((e) => e.type)).toEqual(['BatchReturnedFromRejection']);
    const cst = await audit(
      `batch-${h.xReturned}`,
      `?asOf=${encodeURIComponent('2026-03-02T10:59:59+08:00')}`,
    );
    expect(cst.events).toHaveLength(1);
    const byPosition = await audit(
      `batch-${h.a}`,
      `?asOf=${(await audit(`batch-${h.a}`)).events[2].position}`,
    );
    expect(byPosition.events.map((e) => e.revision)).toEqual(['0', '1', '2']);
    expect(byPosition.integrity).toMatchObject({ verified: true, eventsChecked: 3 });
    const child = await audit(
      `batch-${splitChild}`,
      `?asOf=${encodeURIComponent(clock.now().toISOString())}`,
    );
    expect(child.events).toHaveLength(1);
    // nothing of the stream existed yet: 404
    const early = await app.t.http
      .get(`/v1/audit/streams/batch-${splitChild}?asOf=${encodeURIComponent(before)}`)
      .set('Authorization', `Bearer ${tokenOf('auditor')}`);
    expectProblem(early, 404, { rule: 'stream-not-found' });
  });

  it('is for auditors only; an unknown stream is 404, a malformed asOf 400', async () => {
    for (const name of ['generator', 'receiver', 'regulator', 'admin'] as const) {
      const response = await app.t.http
        .get(`/v1/audit/streams/batch-${h.a}`)
        .set('Authorization', `Bearer ${tokenOf(name)}`);
      expectProblem(response, 403, { rule: 'forbidden' });
    }
    expect((await app.t.http.get(`/v1/audit/streams/batch-${h.a}`)).status).toBe(401);
    const get = (path: string) => app.t.http.get(path).set('Authorization', `Bearer ${tokenOf('auditor')}`);
    expectProblem(await get('/v1/audit/streams/batch-nothing-here'), 404, { rule: 'stream-not-found' });
    expectProblem(await get(`/v1/audit/streams/batch-${h.a}?asOf=yesterday`), 400, { fields: ['asOf'] });
    expectProblem(await get(`/v1/audit/streams/batch-${h.a}?asOf=2026-03-02`), 400, { fields: ['asOf'] });
  });

  it('wasteflow verify checks every chain and exits 0 on an untouched log', async () => {
    const all = await cli('verify');
    expect(all).toMatchObject({ code: 0 });
    expect(all.out).toMatch(/^verified \d+ stream\(s\), \d+ event\(s\): every integrity chain holds$/);
    const system = await cli('verify', '--include-system');
    expect(system.code).toBe(0);
    const one = await cli('verify', '--stream', `batch-${h.a}`);
    expect(one).toMatchObject({
      code: 0,
      out: `batch-${h.a}: 7 event(s) verified, head hash ${(await audit(`batch-${h.a}`)).integrity.headHash}`,
    });
    expect((await cli('verify', '--stream', 'batch-none')).code).toBe(1);
  });

  it('finds an event edited in the database: the API reports the break, the CLI exits 1 printing it', async () => {
    const stream = `batch-${h.x}`;
    // BatchLostInTransit: claim 0.5 kg lost instead of 1 kg
    const [lost] = await app.t.store.readStream(stream, { fromRevision: 3n, limit: 1 });
    await editStoredEvent(app.t, kind, stream, 3, { data: { ...lost.data, lostGrams: 500 } });
    const body = await audit(stream);
    expect(body.events[3].data.lostGrams).toBe(500);
    expect(body.integrity).toMatchObject({
      verified: false,
      eventsChecked: 3,
      headHash: body.events[2].metadata.hash,
      firstBreak: { revision: '3', reason: 'hash-mismatch', found: body.events[3].metadata.hash },
    });
    // the edited event does not fit the stream either: its numbers disagree with its composition. Folding
    // never fails (the ledger decides on that state), and the consistency section says why
    expect(body.events[3].stateAfter).toMatchObject({ traceCode: h.x });
    expect(body.events[3].stateError).toMatch(/BatchLostInTransit at revision 3/);
    expect(body.consistency).toMatchObject({
      consistent: false,
      issues: [{ revision: 3, type: 'BatchLostInTransit', rule: 'event-not-applicable' }],
    });
    // what preceded the edit still verifies on its own
    const prefix = await audit(stream, `?asOf=${body.events[2].position}`);
    expect(prefix.integrity).toMatchObject({ verified: true, eventsChecked: 3 });

    const all = await cli('verify');
    expect(all.code).toBe(1);
    expect(all.out).toContain(`${stream}: broken at revision 3 (hash-mismatch)`);
    expect(all.err).toMatch(/^1 of \d+ stream\(s\), \d+ event\(s\) broken; first: batch-/);
    const one = await cli('verify', '--stream', stream);
    expect(one.code).toBe(1);
    expect(one.out).toContain('broken at revision 3 (hash-mismatch)');
    expect(all.out).toContain(
      `${stream}: inconsistent at revision 3 (BatchLostInTransit, event-not-applicable)`,
    );
  });
});
