import { LedgerBookQuery } from '@wasteflow/projections';
import {
  AT,
  batchBody,
  describeEachStore,
  expect201,
  PARTIES,
  send,
  sendCommands,
  treatmentBody,
} from './support/fixtures';
import { bookTableRows, getDocument, loadWorkbook } from './support/documents';
import { seededApp } from './support/seeded-app';
import { manifestPdfText, storedTextContaining } from './support/stored-text';

/**
 * The handlers (经办人) of a generation, a receipt and a treatment (issue 14, ADR 14) over HTTP on both
 * stores: each names an optional `handler` (name and phone), kept in an erasable record, the events
 * (WasteGenerated v3, ManifestReceived v5, WasteDisposed v4) carry its reference only. The 台账 prints the
 * names resolved when the book is read — table 1 产生部门经办人 and table 2 运送部门经办人 of the generator,
 * table 2 贮存部门经办人 and table 4 自行利用/处置部门经办人 of the receiver — and the 联单's part 3 the
 * receipt's handler; after the admin erases them each reads 已删除 and no stored byte holds a name or phone.
 */
const SUITE = 'documents-handlers';
const GEN_HANDLER = { name: '周产生', phone: '13711110001' };
const RCV_HANDLER = { name: '吴接收', phone: '13711110002' };
const TRT_HANDLER = { name: '郑处置', phone: '13711110003' };
const BULK_HANDLER = { name: '冯批量', phone: '13711110004' };
const ALL = [GEN_HANDLER, RCV_HANDLER, TRT_HANDLER, BULK_HANDLER].flatMap((p) => [p.name, p.phone]);

describeEachStore(SUITE, 'handlers in the 台账 and the 联单 (%s)', (kind) => {
  const app = seededApp(kind, SUITE, __filename, SUITE);

  /** The party's 台账 for March 2026 as a workbook: each table's rows keyed by the column keys. */
  const book = async (party: string, token: string | undefined) => {
    const res = await getDocument(app.t, `/v1/ledger-book?party=${party}&from=2026-03&to=2026-03`, token);
    expect(res.status).toBe(200);
    const workbook = await loadWorkbook(res.body as Buffer);
    return (no: number) => bookTableRows(workbook, no);
  };

  const PERSON_ID = /^p-[0-9a-f]{32}$/;

  it('generation, receipt and treatment name their handlers: 台账 cells and 联单 part 3 print them; erased, 已删除 and nothing in clear', async () => {
    const generated = await expect201(
      send(
        app.t,
        '/v1/batches',
        app.world.tokens.generator,
        { ...batchBody(8), handler: GEN_HANDLER },
        app.build.keys.next('gen'),
      ),
    );
    const traceCode = generated.body.traceCode as string;
    const genId = generated.body.handlerPersonId as string;
    expect(genId).toMatch(PERSON_ID);
    const unnamed = await app.build.generate(2);
    const manifestNo = await app.build.issue([traceCode]);
    await app.build.pickUp(manifestNo);
    const received = await expect201(
      send(
        app.t,
        `/v1/manifests/${manifestNo}/receipt`,
        app.world.tokens.receiver,
        {
          occurredAt: AT.received,
          lines: [{ traceCode, receivedKg: 8, acceptedKg: 8 }],
          handler: RCV_HANDLER,
        },
        app.build.keys.next('receipt'),
      ),
    );
    const rcvId = received.body.handlerPersonId as string;
    expect(rcvId).toMatch(PERSON_ID);
    const treated = await expect201(
      send(
        app.t,
        `/v1/batches/${traceCode}/treatments`,
        app.world.tokens.receiver,
        { ...treatmentBody(3, 'D10'), handler: TRT_HANDLER },
        app.build.keys.next('treat'),
      ),
    );
    const trtId = treated.body.handlerPersonId as string;
    expect(trtId).toMatch(PERSON_ID);
    expect(new Set([genId, rcvId, trtId]).size).toBe(3);

    // the events carry the references only, at their new versions
    const log = await app.t.store.readAll();
    const byType = (type: string) =>
      log.filter((e) => JSON.stringify(e.data).includes(traceCode) && e.type === type);
    expect(byType('WasteGenerated')).toMatchObject([{ schemaVersion: 3, data: { handlerPersonId: genId } }]);
    expect(byType('ManifestReceived')).toMatchObject([
      { schemaVersion: 5, data: { handlerPersonId: rcvId } },
    ]);
    expect(byType('WasteDisposed')).toMatchObject([{ schemaVersion: 4, data: { handlerPersonId: trtId } }]);

    const generatorBook = await book(PARTIES.generator.uscc, app.world.tokens.generator);
    const t1 = generatorBook(1);
    expect(t1.find((r) => r.traceCode === traceCode)).toMatchObject({ handler: GEN_HANDLER.name });
    expect(t1.find((r) => r.traceCode === unnamed)).toMatchObject({ handler: null });
    expect(generatorBook(2).find((r) => r.traceCode === traceCode && r.movement === '产生')).toMatchObject({
      carrierHandler: GEN_HANDLER.name,
      storeHandler: null,
    });
    // a regulator reads the receiver's book: its receipt (table 2) and its own treatment (table 4)
    const receiverBook = await book(PARTIES.receiver.uscc, app.world.tokens.regulator);
    expect(receiverBook(2).find((r) => r.traceCode === traceCode && r.movement === '接收')).toMatchObject({
      storeHandler: RCV_HANDLER.name,
      carrierHandler: null,
    });
    expect(receiverBook(4).find((r) => r.traceCode === traceCode)).toMatchObject({
      handler: TRT_HANDLER.name,
    });
    // the 联单's part 3: the receipt's handler (part 3 of the form has no phone row)
    const print = await manifestPdfText(app.t, manifestNo, app.world.tokens.generator);
    expect(print).toMatch(new RegExp(`第三部分.*经办人：${RCV_HANDLER.name}`));

    // GET /v1/manifests/{no} names the receipt's handler for the manifest's readers, as it names the pickup's crew
    const manifest = await app.t.http
      .get(`/v1/manifests/${manifestNo}`)
      .set('Authorization', `Bearer ${app.world.tokens.carrier}`)
      .expect(200);
    expect(manifest.body.receipt).toEqual({
      handler: { personId: rcvId, status: 'present', name: RCV_HANDLER.name, phone: RCV_HANDLER.phone },
    });

    // the read model holds references only
    const entries = await app.t.app.get(LedgerBookQuery).byTraceCodes(PARTIES.receiver.uscc, [traceCode]);
    expect(
      entries
        .map((e) => e.handlerPersonId)
        .filter((id) => id !== null)
        .sort(),
    ).toEqual([rcvId, trtId].sort());

    for (const id of [genId, rcvId, trtId])
      await app.t.http
        .post(`/v1/people/${id}/erase`)
        .set('Authorization', `Bearer ${app.t.adminToken}`)
        .expect(200);
    const erasedGenerator = await book(PARTIES.generator.uscc, app.world.tokens.generator);
    expect(erasedGenerator(1).find((r) => r.traceCode === traceCode)).toMatchObject({ handler: '已删除' });
    expect(erasedGenerator(2).find((r) => r.traceCode === traceCode && r.movement === '产生')).toMatchObject({
      carrierHandler: '已删除',
    });
    const erasedReceiver = await book(PARTIES.receiver.uscc, app.world.tokens.receiver);
    expect(erasedReceiver(2).find((r) => r.traceCode === traceCode && r.movement === '接收')).toMatchObject({
      storeHandler: '已删除',
    });
    expect(erasedReceiver(4).find((r) => r.traceCode === traceCode)).toMatchObject({ handler: '已删除' });
    const after = await manifestPdfText(app.t, manifestNo, app.world.tokens.receiver);
    expect(after).toContain('经办人：已删除');
    expect(after).toMatch(/第三部分.*经办人：已删除/);
    const erasedManifest = await app.t.http
      .get(`/v1/manifests/${manifestNo}`)
      .set('Authorization', `Bearer ${app.world.tokens.receiver}`)
      .expect(200);
    expect(erasedManifest.body.receipt.handler).toMatchObject({ personId: rcvId, status: 'erased' });
    expect(JSON.stringify(erasedManifest.body)).not.toContain(RCV_HANDLER.name);
    expect(after).not.toContain(RCV_HANDLER.name);
    expect(
      await storedTextContaining(
        app.t,
        kind,
        [GEN_HANDLER, RCV_HANDLER, TRT_HANDLER].flatMap((p) => [p.name, p.phone]),
      ),
    ).toEqual([]);
  });

  it('a malformed handler is refused naming the field, nothing appended; in bulk (POST /v1/commands) a generation names its handler the same way', async () => {
    const head = await app.t.headPosition();
    const refused = await send(
      app.t,
      '/v1/batches',
      app.world.tokens.generator,
      { ...batchBody(1), handler: { name: '周产生', phone: 'call me' } },
      app.build.keys.next('bad'),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('handler');
    expect(await app.t.headPosition()).toBe(head);

    const bulk = await sendCommands(app.t, app.world.tokens.generator, [
      {
        type: 'generate-waste',
        idempotencyKey: `${SUITE}-${kind}-bulk-generate`,
        body: { ...batchBody(1.5), handler: BULK_HANDLER },
      },
    ]);
    expect(bulk.status).toBe(200);
    const [result] = bulk.body.results as { status: number; body: Record<string, unknown> }[];
    expect(result.status).toBe(201);
    expect(result.body.handlerPersonId).toMatch(PERSON_ID);
    const rows = (await book(PARTIES.generator.uscc, app.world.tokens.generator))(1);
    expect(rows.find((r) => r.traceCode === result.body.traceCode)).toMatchObject({
      handler: BULK_HANDLER.name,
    });
    expect(await storedTextContaining(app.t, kind, ALL)).toEqual([]);
  });
});
