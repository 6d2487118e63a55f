import type { Response } from 'supertest';
import { composeTraceCode } from '@wasteflow/domain';
import {
  describeEachStore,
  expectNothingAppendedSince,
  issueToken,
  Keys,
  PARTIES,
  problemShapeErrors,
  send,
  splitBody,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * Issue 10 rows 3 and 13 over HTTP. Row 3: a refusal reveals nothing its caller could not read — to a
 * party not on a batch's chain (and a regulator outside its scope), "held by another" and "no such batch"
 * are one answer, on writes, in bulk and on reads, and no refusal names the custodian. Row 13: one scope
 * rule for every read — a regulator reads a batch whose origin, custodian or receiving district is in its
 * regions (the receiving district's regulator was refused the trace of waste treated there).
 */

const SUITE = 'scope';
/** A well-formed code (valid check character) that no one issued. */
const UNKNOWN = composeTraceCode({
  districtCode: '330106',
  category: 'hazardous',
  date: '260302',
  randomPart: 'ZZZZZZZZ',
});

/** The answer with the trace code asked about replaced, so two refusals can be compared whole. */
function answer(response: Response | { status: number; body: unknown }, code: string): unknown {
  const body = JSON.parse(JSON.stringify(response.body).split(code).join('<code>')) as Record<
    string,
    unknown
  >;
  // a bulk item's instance names its own index, not the batch
  delete body.instance;
  return { status: response.status, body };
}

describeEachStore(SUITE, `${SUITE}: refusals reveal nothing; one scope rule for reads (%s)`, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'scope');
  let treated: string;
  let held: string;
  let receivingRegulator: string;
  let carrierDistrictRegulator: string;
  const keys = new Keys(`scope-${kind}`);

  beforeAll(async () => {
    held = await app.build.generate(10);
    treated = await app.build.atReceiver(10);
    await app.build.treat(treated, 4);
    const regulator = (districts: string[]) =>
      issueToken(app.t, keys, { kind: 'regulator', districts, categories: ['hazardous'] });
    receivingRegulator = await regulator([PARTIES.receiver.districtCode]);
    carrierDistrictRegulator = await regulator([PARTIES.carrier.districtCode]);
  });

  const get = (path: string, token: string | undefined) =>
    app.t.http.get(path).set('Authorization', `Bearer ${token}`);
  /** The other generator, on no chain of this suite's batches, posts `body` to `path`. */
  const postAsStranger = (path: string, body: Record<string, unknown>, label: string) =>
    send(app.t, path, app.world.tokens.otherGenerator, body, keys.next(label));

  it('row 3: splitting a batch another party holds and one that does not exist get the same 403, naming no custodian', async () => {
    const start = await app.t.headPosition();
    const theirs = await postAsStranger(`/v1/batches/${held}/split`, splitBody(), 's');
    const none = await postAsStranger(`/v1/batches/${UNKNOWN}/split`, splitBody(), 's');
    expect(theirs.status).toBe(403);
    expect(theirs.body.rule).toBe('not-custodian');
    expect(problemShapeErrors(theirs.headers['content-type'], theirs.body, 403)).toEqual([]);
    expect(JSON.stringify(theirs.body)).not.toContain(PARTIES.generator.uscc);
    expect(answer(none, UNKNOWN)).toEqual(answer(theirs, held));
    await expectNothingAppendedSince(app.t, start);
  });

  it('row 3: a manifest line naming another party’s batch and one naming no batch are one answer', async () => {
    const body = (code: string) => app.build.manifestBody([code]);
    const theirs = await postAsStranger('/v1/manifests', body(held), 'm');
    const none = await postAsStranger('/v1/manifests', body(UNKNOWN), 'm');
    expect(theirs.status).toBe(403);
    expect(JSON.stringify(theirs.body)).not.toContain(PARTIES.generator.uscc);
    expect(answer(none, UNKNOWN)).toEqual(answer(theirs, held));
  });

  it('row 3: in bulk too — 1,000 probes would learn nothing item by item', async () => {
    const response = await app.t.http
      .post('/v1/commands')
      .set('Authorization', `Bearer ${app.world.tokens.otherGenerator}`)
      .send({
        commands: [held, UNKNOWN, treated].map((traceCode) => ({
          type: 'split-batch',
          idempotencyKey: keys.next('bulk'),
          body: { traceCode, ...splitBody() },
        })),
      });
    expect(response.status).toBe(200);
    const [theirs, none, received] = response.body.results as { status: number; body: unknown }[];
    expect(theirs.status).toBe(403);
    expect(answer(none, UNKNOWN)).toEqual(answer(theirs, held));
    expect(answer(received, treated)).toEqual(answer(theirs, held));
    for (const r of [theirs, none, received]) {
      expect(JSON.stringify(r.body)).not.toContain(PARTIES.generator.uscc);
      expect(JSON.stringify(r.body)).not.toContain(PARTIES.receiver.uscc);
    }
  });

  it('row 3: reading the trace of a batch not on one’s chain and of no batch are one answer (party and regulator); an auditor learns 404', async () => {
    for (const token of [
      app.world.tokens.otherGenerator,
      app.world.tokens.outsideRegulator,
      carrierDistrictRegulator,
    ]) {
      const theirs = await get(`/v1/batches/${held}`, token);
      const none = await get(`/v1/batches/${UNKNOWN}`, token);
      expect(theirs.status).toBe(403);
      expect(answer(none, UNKNOWN)).toEqual(answer(theirs, held));
      const qrTheirs = await get(`/v1/batches/${held}/qr.svg`, token);
      const qrNone = await get(`/v1/batches/${UNKNOWN}/qr.svg`, token);
      expect(answer(qrNone, UNKNOWN)).toEqual(answer(qrTheirs, held));
    }
    expect((await get(`/v1/batches/${UNKNOWN}`, app.world.tokens.auditor)).status).toBe(404);
  });

  it('row 3: a manifest read by a party not on it and an unknown manifest number are one answer', async () => {
    const { manifestNo } = await app.build.consigned(5);
    const unknown = `${manifestNo.slice(0, 8)}999999`;
    const theirs = await get(`/v1/manifests/${manifestNo}`, app.world.tokens.otherGenerator);
    const none = await get(`/v1/manifests/${unknown}`, app.world.tokens.otherGenerator);
    expect(theirs.status).toBe(403);
    expect(answer(none, unknown)).toEqual(answer(theirs, manifestNo));
  });

  it('row 13: the regulator of the receiving district reads the trace (and QR) of waste received and treated there', async () => {
    const trace = await get(`/v1/batches/${treated}`, receivingRegulator);
    expect(trace.status).toBe(200);
    expect(trace.body.traceCode).toBe(treated);
    expect((await get(`/v1/batches/${treated}/qr.svg`, receivingRegulator)).status).toBe(200);
    // and its manifest, as before: the same rule
    const manifestNo = (trace.body.steps as { manifestNo?: string }[]).find((s) => s.manifestNo)?.manifestNo;
    expect((await get(`/v1/manifests/${manifestNo}`, receivingRegulator)).status).toBe(200);
  });

  it('row 13: a batch that never left its origin is not the receiving district’s; the carrier’s district is no scope', async () => {
    expect((await get(`/v1/batches/${held}`, receivingRegulator)).status).toBe(403);
    expect((await get(`/v1/batches/${treated}`, carrierDistrictRegulator)).status).toBe(403);
  });
});
