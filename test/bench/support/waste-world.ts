import { composeUscc } from '@wasteflow/domain';
import { postExpecting, type ApiProcess } from './api-process';
import type { RequestSpec } from './load';

/**
 * The parties, permits and tokens of the HTTP benchmarks, seeded through the api, and the requests they
 * send: generation, manifest issue on batches generated beforehand, receipt of manifests issued and picked
 * up beforehand. Everything is valid: a run must answer 2xx to every request.
 *
 * The generators sit in eight cities, and the requests take them in turn, so manifest issues spread over
 * eight serial counters: a city's counter is one stream, so concurrent issues in one city conflict and
 * retry, one of them winning per commit (by design: no two manifests share a number). With four cities,
 * 128 connections made some issue run out of its 12 attempts (409); that limit is measured apart.
 */

const HW08 = '900-249-08';
const MASS_KG = 1.5;
const BULK_LIMIT = 1000;

/** Districts of eight Zhejiang cities: Hangzhou, Ningbo, Wenzhou, Jiaxing, Huzhou, Shaoxing, Jinhua, Quzhou. */
const GENERATOR_DISTRICTS = ['330106', '330203', '330302', '330402', '330502', '330602', '330702', '330802'] as const;
const CARRIER = { uscc: composeUscc('91330109MA2BCAR01'), districtCode: '330109' };
const RECEIVER = { uscc: composeUscc('91330114MA2BREC01'), districtCode: '330114' };

interface Party {
  readonly uscc: string;
  readonly token: string;
}

export interface World {
  readonly generators: readonly Party[];
  readonly carrier: Party;
  readonly receiver: Party;
  /** Requests the seeding made (parties, tokens, permits, pre-generation): in the store before a run. */
  readonly seededRequests: number;
}

/** A batch generated beforehand, free for a manifest. */
export interface FreeBatch {
  readonly generator: Party;
  readonly traceCode: string;
}

/** A manifest issued and picked up beforehand, of one batch, waiting for its receipt. */
export interface InTransit {
  readonly manifestNo: string;
  readonly traceCode: string;
}

/** ISO 8601 in China Standard Time with milliseconds (`2026-03-02T10:00:00.123+08:00`). */
export function cst(epochMs: number): string {
  return `${new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 23)}+08:00`;
}

function headers(token: string, key?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    ...(key === undefined ? {} : { 'idempotency-key': key }),
  };
}

/** Registers the parties (admin), issues their tokens and the regulator's, grants the receiver's permit. */
export async function seedWorld(api: ApiProcess, tag: string): Promise<World> {
  let requests = 0;
  const admin = api.adminToken;
  const register = async (uscc: string, districtCode: string, roles: string[], name: string) => {
    requests += 1;
    await postExpecting(api, '/v1/parties', admin, { uscc, name, roles, districtCode }, `${tag}-party-${uscc}`);
    requests += 1;
    const token = await postExpecting(
      api,
      '/v1/tokens',
      admin,
      { kind: 'party', partyUscc: uscc, label: name },
      `${tag}-token-${uscc}`,
    );
    return { uscc, token: token.body.token as string };
  };
  const generators: Party[] = [];
  for (const [index, district] of GENERATOR_DISTRICTS.entries()) {
    const uscc = composeUscc(`91${district}MA2BGEN${String(index).padStart(2, '0')}`);
    generators.push(await register(uscc, district, ['generator'], `产废单位 ${index}`));
  }
  const carrier = await register(CARRIER.uscc, CARRIER.districtCode, ['carrier'], '运输单位');
  const receiver = await register(RECEIVER.uscc, RECEIVER.districtCode, ['receiver'], '处置单位');
  requests += 1;
  const regulator = await postExpecting(
    api,
    '/v1/tokens',
    admin,
    { kind: 'regulator', districts: ['3301'], categories: ['hazardous'] },
    `${tag}-token-regulator`,
  );
  requests += 1;
  await postExpecting(
    api,
    `/v1/parties/${RECEIVER.uscc}/permits`,
    regulator.body.token as string,
    {
      permitNo: '3301009901',
      hwCategories: ['HW08'],
      operations: ['D10', 'store'],
      annualCapacityKg: 1_000_000_000,
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
    },
    `${tag}-permit`,
  );
  return { generators, carrier, receiver, seededRequests: requests };
}

/** The body of a generation (HW08 waste mineral oil, 1.5 kg, a minute ago). */
export function generationBody(now = Date.now()): Record<string, unknown> {
  return {
    category: 'hazardous',
    wasteCode: HW08,
    description: '废矿物油（基准测试）',
    massKg: MASS_KG,
    occurredAt: cst(now - 60_000),
  };
}

interface BulkResult {
  readonly results: { status: number; body: Record<string, unknown> }[];
}

/** Items through POST /v1/commands, up to 1,000 a request; fails unless every item answers 201. */
async function bulk(
  api: ApiProcess,
  token: string,
  items: readonly { type: string; idempotencyKey: string; body: unknown }[],
): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (let start = 0; start < items.length; start += BULK_LIMIT) {
    const commands = items.slice(start, start + BULK_LIMIT);
    const response = await postExpecting(api, '/v1/commands', token, { commands }, null, 200);
    const { results } = response.body as BulkResult;
    for (const result of results) {
      if (result.status !== 201) {
        throw new Error(`seeding: a bulk item answered ${result.status}: ${JSON.stringify(result.body)}`);
      }
      bodies.push(result.body);
    }
  }
  return bodies;
}

/**
 * Pre-generation through the api (bulk): `free` batches spread over the generators, and `inTransit`
 * manifests of one batch each, issued and picked up. Returns what it made and how many commands it took.
 */
export async function pregenerate(
  api: ApiProcess,
  world: World,
  tag: string,
  free: number,
  inTransit: number,
): Promise<{ free: FreeBatch[]; inTransit: InTransit[]; commands: number }> {
  const perGenerator = (total: number, index: number): number =>
    Math.floor(total / world.generators.length) + (index < total % world.generators.length ? 1 : 0);
  const freeByGenerator: FreeBatch[][] = [];
  const toShip: { generator: Party; traceCode: string }[] = [];
  let commands = 0;
  for (const [index, generator] of world.generators.entries()) {
    const wanted = perGenerator(free, index) + perGenerator(inTransit, index);
    const now = Date.now();
    const bodies = await bulk(
      api,
      generator.token,
      Array.from({ length: wanted }, (_, n) => ({
        type: 'generate-waste',
        idempotencyKey: `${tag}-pre-${index}-${n}`,
        body: generationBody(now),
      })),
    );
    commands += wanted;
    const codes = bodies.map((body) => body.traceCode as string);
    const freeHere = perGenerator(free, index);
    freeByGenerator.push(codes.slice(0, freeHere).map((traceCode) => ({ generator, traceCode })));
    for (const traceCode of codes.slice(freeHere)) toShip.push({ generator, traceCode });
  }
  const shipped: InTransit[] = [];
  for (const [index, generator] of world.generators.entries()) {
    const mine = toShip.filter((batch) => batch.generator === generator);
    if (mine.length === 0) continue;
    const bodies = await bulk(
      api,
      generator.token,
      mine.map((batch, n) => ({
        type: 'issue-manifest',
        idempotencyKey: `${tag}-pre-issue-${index}-${n}`,
        body: manifestBody(world, batch.traceCode),
      })),
    );
    commands += mine.length;
    bodies.forEach((body, n) =>
      shipped.push({ manifestNo: body.manifestNo as string, traceCode: mine[n].traceCode }),
    );
  }
  // the generators (and so the cities) in turn, as the requests will take them
  const freeBatches: FreeBatch[] = [];
  for (let n = 0; freeBatches.length < free; n += 1) {
    for (const batches of freeByGenerator) if (batches[n]) freeBatches.push(batches[n]);
  }
  const pickedUpAt = cst(Date.now());
  await bulk(
    api,
    world.carrier.token,
    shipped.map((manifest, n) => ({
      type: 'pick-up-manifest',
      idempotencyKey: `${tag}-pre-pickup-${n}`,
      body: { manifestNo: manifest.manifestNo, vehiclePlate: '浙A12345', occurredAt: pickedUpAt },
    })),
  );
  commands += shipped.length;
  return { free: freeBatches, inTransit: shipped, commands };
}

function manifestBody(world: World, traceCode: string): Record<string, unknown> {
  return {
    lines: [{ traceCode }],
    carrierUscc: world.carrier.uscc,
    receiverUscc: world.receiver.uscc,
    plannedAt: cst(Date.now() + 3600_000),
  };
}

/** `count` generations, round-robin over the generators, each under a key of its own. */
export function generationRequests(world: World, tag: string, count: number): RequestSpec[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, n) => {
    const generator = world.generators[n % world.generators.length];
    return {
      kind: 'generate',
      method: 'POST',
      path: '/v1/batches',
      headers: headers(generator.token, `${tag}-g-${n}`),
      body: JSON.stringify(generationBody(now)),
    };
  });
}

/**
 * The mix: out of every five requests three generations, one manifest issue (a free batch, by its
 * generator) and one receipt (a manifest in transit, by the receiver, accepted in full).
 */
export function mixRequests(
  world: World,
  tag: string,
  count: number,
  free: readonly FreeBatch[],
  inTransit: readonly InTransit[],
): RequestSpec[] {
  const needed = mixNeeds(count);
  if (free.length < needed.issues || inTransit.length < needed.receipts) {
    throw new Error(`mix of ${count}: needs ${needed.issues} free batches and ${needed.receipts} manifests`);
  }
  const generations = generationRequests(world, tag, needed.generations);
  const now = Date.now();
  let g = 0;
  let i = 0;
  let r = 0;
  return Array.from({ length: count }, (_, n): RequestSpec => {
    const slot = n % 5;
    if (slot === 1) {
      const batch = free[i];
      i += 1;
      return {
        kind: 'issue',
        method: 'POST',
        path: '/v1/manifests',
        headers: headers(batch.generator.token, `${tag}-i-${n}`),
        body: JSON.stringify(manifestBody(world, batch.traceCode)),
      };
    }
    if (slot === 3) {
      const manifest = inTransit[r];
      r += 1;
      return {
        kind: 'receive',
        method: 'POST',
        path: `/v1/manifests/${manifest.manifestNo}/receipt`,
        headers: headers(world.receiver.token, `${tag}-r-${n}`),
        body: JSON.stringify({
          occurredAt: cst(now),
          lines: [{ traceCode: manifest.traceCode, receivedKg: MASS_KG, acceptedKg: MASS_KG }],
        }),
      };
    }
    const generation = generations[g];
    g += 1;
    return generation;
  });
}

/** How many of each kind a mix of `count` requests sends. */
export function mixNeeds(count: number): { generations: number; issues: number; receipts: number } {
  const full = Math.floor(count / 5);
  const rest = count % 5;
  const issues = full + (rest > 1 ? 1 : 0);
  const receipts = full + (rest > 3 ? 1 : 0);
  return { generations: count - issues - receipts, issues, receipts };
}

/** `requests` bulk requests of `items` generations each (one generator per request, round-robin). */
export function bulkRequests(world: World, tag: string, requests: number, items: number): RequestSpec[] {
  const now = Date.now();
  const body = generationBody(now);
  return Array.from({ length: requests }, (_, n) => {
    const generator = world.generators[n % world.generators.length];
    return {
      kind: 'bulk',
      method: 'POST',
      path: '/v1/commands',
      headers: headers(generator.token),
      body: JSON.stringify({
        commands: Array.from({ length: items }, (_, k) => ({
          type: 'generate-waste',
          idempotencyKey: `${tag}-b-${n}-${k}`,
          body,
        })),
      }),
    };
  });
}
