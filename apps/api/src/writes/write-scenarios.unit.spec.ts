import { batchStream, partyStream } from '@wasteflow/domain';
import {
  aBatch,
  aHazardousBatch,
  aRegisteredGenerator,
  aRegisteredReceiver,
  at,
  fixtureEditions,
  GENERATOR,
  HANGZHOU_REGULATOR,
  OTHER_GENERATOR,
  RECEIVER,
  traceCodeOf,
} from '@wasteflow/domain/testing';
import type { Principal } from '@wasteflow/ledger';
import { WriteScenario, type ScenarioAnswer, type ScenarioRequest } from './testing/write-scenario';

/**
 * Behaviour of write use cases at the registry level (writes/testing/write-scenario.ts): given streams,
 * when a request, then events or the problem document — the route's own validation, pipes, access rule
 * and error filter over an in-memory store, no socket. The same checks over HTTP stay in test/.
 */
const generator: Principal = { kind: 'party', tokenId: 'tok_gen', partyUscc: GENERATOR };
const stranger: Principal = { kind: 'party', tokenId: 'tok_other', partyUscc: OTHER_GENERATOR };
const hangzhou: Principal = { kind: 'regulator', ...HANGZHOU_REGULATOR };
const ningbo: Principal = {
  kind: 'regulator',
  tokenId: 'tok_nb',
  districts: ['3302'],
  categories: ['hazardous'],
};
const admin: Principal = { kind: 'admin', tokenId: 'tok_admin' };

const options = { decideOptions: { catalogues: fixtureEditions() } };
const hazardous = { category: 'hazardous', wasteCode: '900-249-08', massKg: 1000, occurredAt: at('10:00') };

async function withGenerator(): Promise<WriteScenario> {
  return new WriteScenario(options).given({ [partyStream(GENERATOR)]: aRegisteredGenerator() });
}

/** A refusal: the status (and the rule, when named), nothing appended. */
function expectRefused(answer: ScenarioAnswer, status: number, rule?: unknown): void {
  expect(answer).toMatchObject({ status, events: [], ...(rule === undefined ? {} : { body: { rule } }) });
}

describe('write scenarios: generate-waste', () => {
  const generate = async (request: Partial<ScenarioRequest<'generate-waste'>>, scenario?: WriteScenario) =>
    (scenario ?? (await withGenerator())).when({
      type: 'generate-waste',
      principal: generator,
      body: hazardous,
      ...request,
    });

  it('a registered generator records a batch: WasteGenerated in a new batch stream, the route’s 201 body', async () => {
    const answer = await generate({});
    expect(answer.status).toBe(201);
    expect(answer.events).toEqual([
      expect.objectContaining({ stream: `batch-${String(answer.body.traceCode)}`, type: 'WasteGenerated' }),
    ]);
    expect(answer.body).toMatchObject({
      category: 'hazardous',
      massKg: 1000,
      generatorUscc: GENERATOR,
      stream: `batch-${String(answer.body.traceCode)}`,
      revision: '0',
    });
  });

  it.each([
    ['a field the DTO does not know is 400 naming it', { colour: 'black' }, { field: 'colour' }],
    [
      'a mass with four decimals is 400 isMassKg on massKg',
      { massKg: 1.2345 },
      { field: 'massKg', rule: 'isMassKg' },
    ],
  ])('%s; nothing appended', async (_case, change, error) => {
    const answer = await generate({ body: { ...hazardous, ...change } });
    expectRefused(answer, 400);
    expect(answer.body.errors).toEqual([expect.objectContaining(error)]);
  });

  it('a regulator token may not record waste: 403 forbidden before the body is looked at', async () => {
    expectRefused(await generate({ principal: hangzhou, body: {} }), 403, 'forbidden');
  });

  it('without an Idempotency-Key: 400 naming the header', async () => {
    const answer = await generate({ idempotencyKey: undefined });
    expectRefused(answer, 400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ field: 'Idempotency-Key', rule: 'idempotency-key-required' }),
    ]);
  });

  it('the same key and body answers the first answer again and appends nothing; another body is 422', async () => {
    const scenario = await withGenerator();
    const first = await generate({ idempotencyKey: 'k-1' }, scenario);
    // the same body with its keys in another order is the same request (canonical JSON)
    const reordered = Object.fromEntries(Object.entries(hazardous).reverse());
    const again = await generate({ body: reordered, idempotencyKey: 'k-1' }, scenario);
    expect(again).toEqual({ ...first, events: [] });
    const other = await generate({ body: { ...hazardous, massKg: 999 }, idempotencyKey: 'k-1' }, scenario);
    expectRefused(other, 422, 'idempotency-key-reused');
  });
});

describe('write scenarios: split-batch', () => {
  const batch = aHazardousBatch();
  const code = traceCodeOf(batch);
  const given = () =>
    new WriteScenario(options).given({
      [partyStream(GENERATOR)]: aRegisteredGenerator(),
      [batchStream(code)]: batch,
    });
  const split = async (
    body: { traceCode: string; partsKg: number[] },
    principal: Principal = generator,
    scenario?: WriteScenario,
  ) =>
    (scenario ?? (await given())).when({
      type: 'split-batch',
      principal,
      body: { ...body, occurredAt: at('11:00') },
    });

  it('the custodian splits: BatchSplit on the parent and BatchSplitOff creating each child', async () => {
    const answer = await split({ traceCode: code.toLowerCase(), partsKg: [400, 250.5] });
    expect(answer.status).toBe(201);
    expect(answer.events.map((e) => e.type)).toEqual(['BatchSplit', 'BatchSplitOff', 'BatchSplitOff']);
    expect(answer.events[0].stream).toBe(batchStream(code));
    expect(answer.body).toMatchObject({ traceCode: code, partsKg: [400, 250.5], remainingKg: 349.5 });
  });

  it('a malformed trace code is 400 naming the path parameter, never 404', async () => {
    const answer = await split({ traceCode: 'not-a-code', partsKg: [1] });
    expectRefused(answer, 400);
    expect(JSON.stringify(answer.body)).toContain('code');
  });

  it('parts above the held mass are refused by the domain; nothing appended', async () => {
    const answer = await split({ traceCode: code, partsKg: [600, 600] });
    expect(answer.status).toBe(422);
    expect(answer.events).toEqual([]);
  });

  it('another’s batch and an unknown batch are the same 403 to a party; nothing appended', async () => {
    const scenario = await given();
    const others = await split({ traceCode: code, partsKg: [100] }, stranger, scenario);
    const unknownCode = traceCodeOf(aBatch({ randomPart: 'ZZZZZZZZ' }));
    const unknown = await split({ traceCode: unknownCode, partsKg: [100] }, generator, scenario);
    expectRefused(others, 403);
    expectRefused(unknown, 403, others.body.rule);
  });
});

describe('write scenarios: register-facility', () => {
  const body = {
    uscc: GENERATOR,
    facilityCode: 'ZJ-330106-F001',
    operations: ['R5'],
    validFrom: '2025-01-01',
    validTo: '2027-12-31',
  };
  const register = async (principal: Principal, scenario?: WriteScenario) =>
    (scenario ?? (await withGenerator())).when({ type: 'register-facility', principal, body });

  it('the regulator of the party’s region registers a facility: FacilityRegistered on the party', async () => {
    const answer = await register(hangzhou);
    expect(answer.status).toBe(201);
    expect(answer.events).toEqual([
      expect.objectContaining({ stream: partyStream(GENERATOR), type: 'FacilityRegistered' }),
    ]);
  });

  it('a regulator of another region: 403 outside-jurisdiction; an admin token: 403 forbidden', async () => {
    expectRefused(await register(ningbo), 403, 'outside-jurisdiction');
    expectRefused(await register(admin), 403, 'forbidden');
  });

  it('the same code twice: 409 facility-already-registered', async () => {
    const scenario = await withGenerator();
    await register(hangzhou, scenario);
    expectRefused(await register(hangzhou, scenario), 409, 'facility-already-registered');
  });
});

describe('write scenarios: grant-permit and revoke-permit (two path parameters)', () => {
  const permit = {
    permitNo: '3301000099',
    hwCategories: ['HW08'],
    wasteCodes: ['900-249-08'],
    operations: ['D10'],
    annualCapacityKg: 5000,
    validFrom: '2025-01-01',
    validTo: '2027-12-31',
  };
  const given = () =>
    new WriteScenario(options).given({ [partyStream(RECEIVER)]: aRegisteredReceiver({ permit: false }) });
  const grant = (scenario: WriteScenario, uscc: string, principal: Principal = hangzhou) =>
    scenario.when({ type: 'grant-permit', principal, body: { uscc, ...permit } });
  const revoke = (scenario: WriteScenario, uscc: string, permitNo: string) =>
    scenario.when({
      type: 'revoke-permit',
      principal: hangzhou,
      body: { uscc, permitNo, reason: '超范围经营' },
    });

  it('a regulator grants a permit to a receiver in its districts, then revokes it', async () => {
    const scenario = await given();
    const granted = await grant(scenario, RECEIVER);
    expect(granted.status).toBe(201);
    expect(granted.events).toEqual([
      expect.objectContaining({ stream: partyStream(RECEIVER), type: 'PermitGranted' }),
    ]);
    const revoked = await revoke(scenario, RECEIVER.toLowerCase(), permit.permitNo);
    expect(revoked.status).toBe(201);
    expect(revoked.events).toEqual([
      expect.objectContaining({ stream: partyStream(RECEIVER), type: 'PermitRevoked' }),
    ]);
  });

  it('a malformed USCC in the path is 400 naming it; a party token is 403; nothing appended', async () => {
    const scenario = await given();
    const malformed = await grant(scenario, '91330109MA2REC00X');
    expectRefused(malformed, 400);
    expect(JSON.stringify(malformed.body)).toContain('uscc');
    expectRefused(await grant(scenario, RECEIVER, generator), 403, 'forbidden');
  });

  it('revoking a permit the party does not hold is refused; nothing appended', async () => {
    const answer = await revoke(await given(), RECEIVER, 'nope');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.events).toEqual([]);
  });
});
