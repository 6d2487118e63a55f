import {
  CARRIER_PERMIT,
  describeEachStore,
  expectProblem,
  issueToken,
  Keys,
  PARTIES,
  RECEIVER_PERMIT,
  type PrincipalName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

const SUITE = 'who am I and the party register (GET /v1/whoami, /v1/parties, /v1/parties/{uscc})';

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'whoami');
  let position: string;
  let xihuIndustrial: string;

  beforeAll(async () => {
    xihuIndustrial = await issueToken(app.t, new Keys(`whoami-${kind}`), {
      kind: 'regulator',
      districts: ['330106'],
      categories: ['industrial'],
    });
    position = String(await app.t.headPosition());
  });

  const get = (path: string, name: PrincipalName | string) => {
    const token = (app.world.tokens as Record<string, string | undefined>)[name] ?? name;
    return app.t.http.get(path).set('Authorization', `Bearer ${token}`);
  };

  it('tells each kind of token who it is, and a party its registration and permits', async () => {
    expect((await get('/v1/whoami', 'admin').expect(200)).body).toEqual({
      kind: 'admin',
      tokenId: 'bootstrap-admin',
    });
    expect((await get('/v1/whoami', 'auditor').expect(200)).body).toMatchObject({ kind: 'auditor' });
    expect((await get('/v1/whoami', 'regulator').expect(200)).body).toMatchObject({
      kind: 'regulator',
      regions: ['3301'],
      categories: ['hazardous'],
    });
    const receiver = (await get('/v1/whoami', 'receiver').expect(200)).body;
    expect(receiver).toMatchObject({
      kind: 'party',
      party: {
        uscc: PARTIES.receiver.uscc,
        name: PARTIES.receiver.name,
        roles: PARTIES.receiver.roles,
        districtCode: PARTIES.receiver.districtCode,
        permits: [
          {
            permitNo: RECEIVER_PERMIT.permitNo,
            hwCategories: RECEIVER_PERMIT.hwCategories,
            operations: expect.arrayContaining(RECEIVER_PERMIT.operations),
            annualCapacityKg: RECEIVER_PERMIT.annualCapacityKg,
            revokedAt: null,
          },
        ],
      },
    });
    expect(JSON.stringify(receiver)).not.toMatch(/wf_/);
  });

  it('refuses a missing or unknown token with 401', async () => {
    expectProblem(await app.t.http.get('/v1/whoami'), 401, { rule: 'unauthenticated' });
    expectProblem(await get('/v1/whoami', 'garbage'), 401, { rule: 'unauthenticated' });
  });

  it('lists for a regulator the parties of its regions, for a party itself and the licensed carriers and receivers', async () => {
    const all = (await get(`/v1/parties?minPosition=${position}`, 'auditor').expect(200)).body;
    expect(all.total).toBe(Object.keys(PARTIES).length);
    const hangzhou = (await get(`/v1/parties?minPosition=${position}`, 'regulator').expect(200)).body;
    expect(hangzhou.parties.map((p: { uscc: string }) => p.uscc).sort()).toEqual(
      Object.values(PARTIES)
        .map((p) => p.uscc)
        .sort(),
    );
    const xihu = (await get(`/v1/parties?minPosition=${position}`, xihuIndustrial).expect(200)).body;
    expect(xihu.parties.map((p: { uscc: string }) => p.uscc)).toEqual([PARTIES.generator.uscc]);
    expect((await get('/v1/parties', 'outsideRegulator').expect(200)).body.total).toBe(0);
    expectProblem(await get('/v1/parties?region=3302', 'regulator'), 403, { rule: 'forbidden' });

    const seen = (await get('/v1/parties', 'generator').expect(200)).body.parties as {
      uscc: string;
      roles: string[];
    }[];
    expect(seen.map((p) => p.uscc)).toContain(PARTIES.generator.uscc);
    expect(seen.map((p) => p.uscc)).not.toContain(PARTIES.otherGenerator.uscc);
    for (const party of seen.filter((p) => p.uscc !== PARTIES.generator.uscc)) {
      expect(party.roles.some((role) => role === 'carrier' || role === 'receiver')).toBe(true);
    }
    const receivers = (await get('/v1/parties?role=receiver', 'generator').expect(200)).body.parties;
    expect(receivers.map((p: { uscc: string }) => p.uscc).sort()).toEqual(
      [PARTIES.receiver.uscc, PARTIES.otherReceiver.uscc].sort(),
    );
    const paged = (await get('/v1/parties?pageSize=2&page=2', 'auditor').expect(200)).body;
    expect(paged).toMatchObject({ page: 2, pageSize: 2, total: Object.keys(PARTIES).length });
    expect(paged.parties).toHaveLength(2);
  });

  it('reads one party under the same rule, with its permits', async () => {
    const carrier = (await get(`/v1/parties/${PARTIES.carrier.uscc}`, 'generator').expect(200)).body;
    expect(carrier).toMatchObject({
      uscc: PARTIES.carrier.uscc,
      permits: [{ permitNo: CARRIER_PERMIT.permitNo }],
    });
    expectProblem(await get(`/v1/parties/${PARTIES.otherGenerator.uscc}`, 'generator'), 403, {
      rule: 'forbidden',
    });
    expectProblem(await get(`/v1/parties/${PARTIES.generator.uscc}`, 'outsideRegulator'), 403, {
      rule: 'forbidden',
    });
    await get(`/v1/parties/${PARTIES.generator.uscc}`, xihuIndustrial).expect(200);
    expectProblem(await get('/v1/parties/91330106MA27Y5XK0X', 'auditor'), 400, { fields: ['uscc'] });
    expectProblem(await get('/v1/parties?role=driver', 'auditor'), 400, { fields: ['role'] });
    expectProblem(await get('/v1/parties', 'admin'), 403, { rule: 'forbidden' });
  });
});
