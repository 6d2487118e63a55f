import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  getOk,
  issueToken,
  Keys,
  PARTIES,
  send,
} from '../support/fixtures';
import { facilityBody, ownWaste } from '../support/extra-fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: who may treat — a receiver, or a registered own facility (issue 10 row 5)';

const FACILITY = facilityBody();

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'facility', {
    clock: new ManualClock(new Date(CLOCK_START)),
  });
  /** A regulator of Hangzhou for industrial solid waste (reads the industrial indicators). */
  let industrialRegulator = '';
  const keys = new Keys(`facility-${kind}`);
  const generator = PARTIES.generator.uscc;

  const { slag, treat } = ownWaste(app, keys);
  const register = (token: string | undefined, body: Record<string, unknown> = FACILITY, uscc = generator) =>
    send(app.t, `/v1/parties/${uscc}/facilities`, token, body, keys.next());
  const industrial = async (position: string) =>
    (await getOk(
      app.t,
      `/v1/indicators?region=330106&category=industrial&from=2026-03&to=2026-03&minPosition=${position}`,
      industrialRegulator,
    )) as { utilisedKg: number; landfilledKg: number; generatedKg: number };

  beforeAll(async () => {
    industrialRegulator = await issueToken(app.t, keys, {
      kind: 'regulator',
      districts: ['3301'],
      categories: ['industrial'],
    });
  });

  it('given a generator without the receiver role and no facility, when it utilises (R5) or landfills (D1) its own slag, then 403 not-allowed-to-treat, nothing appended, nothing counted', async () => {
    const code = await slag(10);
    const before = await app.t.headPosition();
    for (const operation of ['R5', 'D1']) {
      const body = expectProblem(await treat(code, operation), 403, { rule: 'not-allowed-to-treat' });
      expect(body).toMatchObject({ operation, facilityCodes: [] });
    }
    await expectHeadUnchanged(app.t, before, 'refused treatments');
    expect(await industrial(String(before))).toMatchObject({
      generatedKg: 10,
      utilisedKg: 0,
      landfilledKg: 0,
    });
  });

  it('only a regulator in scope registers a facility: a party 403, a regulator of Ningbo 403 outside-jurisdiction, a malformed body 400 naming the field', async () => {
    const before = await app.t.headPosition();
    expectProblem(await register(app.world.tokens.generator), 403);
    expectProblem(await register(app.world.tokens.outsideRegulator), 403, { rule: 'outside-jurisdiction' });
    expectProblem(await register(app.world.tokens.regulator, { ...FACILITY, operations: ['store'] }), 400, {
      fields: ['operations'],
    });
    expectProblem(await register(app.world.tokens.regulator, { ...FACILITY, operations: [] }), 400, {
      fields: ['operations'],
    });
    const { facilityCode: _omitted, ...noCode } = FACILITY;
    expectProblem(await register(app.world.tokens.regulator, noCode), 400, { fields: ['facilityCode'] });
    await expectHeadUnchanged(app.t, before, 'refused registrations');
  });

  it('given the facility registered (R5, C2), when the generator utilises by R5, then 201 WasteUtilised counted in utilisedKg; D1 stays refused; the facility is readable', async () => {
    const registered = await expect201(register(app.world.tokens.regulator));
    expect(registered.body).toMatchObject({
      uscc: generator,
      facilityCode: FACILITY.facilityCode,
      operations: ['R5', 'C2'],
      stream: `party-${generator}`,
    });
    expectProblem(await register(app.world.tokens.regulator), 409, { rule: 'facility-already-registered' });

    const code = await slag(6);
    const utilised = await expect201(treat(code, 'R5', 4));
    expect(utilised.body).toMatchObject({
      event: 'WasteUtilised',
      operation: 'R5',
      massKg: 4,
      remainingKg: 2,
    });
    const position = utilised.headers['x-ledger-position'] as string;
    expect((await industrial(position)).utilisedKg).toBe(4);
    expectProblem(await treat(code, 'D1', 2), 403, { rule: 'not-allowed-to-treat' });

    for (const token of [app.world.tokens.regulator, app.world.tokens.generator, app.world.tokens.auditor]) {
      const read = await app.t.http
        .get(`/v1/parties/${generator}/facilities`)
        .set('Authorization', `Bearer ${token}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        uscc: generator,
        facilities: [
          {
            facilityCode: FACILITY.facilityCode,
            operations: ['R5', 'C2'],
            validFrom: FACILITY.validFrom,
            validTo: FACILITY.validTo,
            registeredAt: FACILITY.occurredAt,
          },
        ],
      });
    }
    // another generator may not read it (a generator is no licensed operator)
    const stranger = await app.t.http
      .get(`/v1/parties/${generator}/facilities`)
      .set('Authorization', `Bearer ${app.world.tokens.otherGenerator}`);
    expect(stranger.status).toBe(403);
  });

  it('a receiver holding custody still treats without a facility (its permit the gate for hazardous waste)', async () => {
    const code = (
      await expect201(
        send(
          app.t,
          '/v1/batches',
          app.world.tokens.otherGenerator,
          { category: 'industrial', subtype: 'slag', massKg: 3, occurredAt: AT.generated },
          keys.next(),
        ),
      )
    ).body.traceCode;
    const manifest = await expect201(
      send(
        app.t,
        '/v1/manifests',
        app.world.tokens.otherGenerator,
        {
          lines: [{ traceCode: code }],
          carrierUscc: PARTIES.carrier.uscc,
          receiverUscc: PARTIES.receiver.uscc,
          plannedAt: AT.planned,
        },
        keys.next(),
      ),
    );
    const no = manifest.body.manifestNo as string;
    await expect201(
      send(
        app.t,
        `/v1/manifests/${no}/pickup`,
        app.world.tokens.carrier,
        { vehiclePlate: '浙A12345', occurredAt: AT.pickedUp },
        keys.next(),
      ),
    );
    await expect201(
      send(
        app.t,
        `/v1/manifests/${no}/receipt`,
        app.world.tokens.receiver,
        { occurredAt: AT.received, lines: [{ traceCode: code, receivedKg: 3, acceptedKg: 3 }] },
        keys.next(),
      ),
    );
    const treated = await expect201(
      send(
        app.t,
        `/v1/batches/${code}/treatments`,
        app.world.tokens.receiver,
        { operation: 'C2', massKg: 3, occurredAt: AT.treated },
        keys.next(),
      ),
    );
    expect(treated.body).toMatchObject({ event: 'WasteUtilised', remainingKg: 0 });
  });
});
