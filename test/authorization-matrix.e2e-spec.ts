import type { Response } from 'supertest';
import { batchStream, manifestStream, partyStream } from '@wasteflow/domain';
import {
  AT,
  batchBody,
  Builders,
  consolidationBody,
  correctionBody,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  extraUscc,
  Keys,
  pickupBody,
  PRINCIPALS,
  receiptBody,
  registerParty,
  send,
  splitBody,
  streamLengths,
  treatmentBody,
  type PrincipalName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * DESIGN.md §4: every write path × every principal. Allowed → 2xx; no or an invalid token → 401; anything
 * else → 403, and then nothing is appended: the head does not move and the streams concerned keep their
 * length. Rows run their refused cells first, then the allowed ones, on a target prepared for the row
 * (so a refusal is about who asks, never about the state).
 */

type Kind = 'admin' | 'regulator' | 'auditor' | 'party';

const KIND_OF: Record<Exclude<PrincipalName, 'none' | 'garbage'>, Kind> = {
  admin: 'admin',
  regulator: 'regulator',
  outsideRegulator: 'regulator',
  auditor: 'auditor',
  generator: 'party',
  otherGenerator: 'party',
  carrier: 'party',
  otherCarrier: 'party',
  receiver: 'party',
  otherReceiver: 'party',
};

interface Target {
  readonly path: string;
  readonly body: unknown;
  /** Streams the request would write to: they must not grow on a refusal. */
  readonly streams: readonly string[];
}

interface Row {
  readonly route: string;
  /** Principals that may do it (2xx). */
  readonly allowed: readonly PrincipalName[];
  /** Token kinds the route takes at all: other kinds are refused with rule `forbidden`. */
  readonly kinds: readonly Kind[];
  /** The rule refusing a principal of an accepted kind that is not allowed (not the custodian …). */
  readonly refusal: (principal: PrincipalName) => string;
  /** A fresh target for the row (refused cells share it; when several may do it, each gets its own). */
  readonly prepare: (b: Builders, n: number) => Promise<Target>;
  /** POST /v1/commands: the envelope is 200 with one result per item. */
  readonly bulk?: boolean;
}

const BULK_KINDS: readonly Kind[] = ['admin', 'regulator', 'party'];

const LACKS_GENERATOR_ROLE = new Set<PrincipalName>(['carrier', 'otherCarrier', 'receiver', 'otherReceiver']);

const ROWS: readonly Row[] = [
  {
    route: 'POST /v1/parties',
    allowed: ['admin'],
    kinds: ['admin'],
    refusal: () => 'forbidden',
    prepare: async (_b, n) => {
      const uscc = extraUscc('330106', 100 + n);
      return {
        path: '/v1/parties',
        body: { uscc, name: '杭州西湖再生资源回收有限公司', roles: ['collector'], districtCode: '330106' },
        streams: [partyStream(uscc)],
      };
    },
  },
  {
    route: 'POST /v1/parties/{uscc}/permits',
    allowed: ['regulator'],
    kinds: ['regulator'],
    refusal: () => 'outside-jurisdiction',
    prepare: async (b, n) => {
      const uscc = await registerReceiver(b, 200 + n);
      return {
        path: `/v1/parties/${uscc}/permits`,
        body: {
          permitNo: `33010002${String(n).padStart(2, '0')}`,
          hwCategories: ['HW08'],
          operations: ['R9'],
          annualCapacityKg: 5000,
          validFrom: '2026-01-01',
          validTo: '2028-12-31',
        },
        streams: [partyStream(uscc)],
      };
    },
  },
  {
    route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
    allowed: ['regulator'],
    kinds: ['regulator'],
    refusal: () => 'outside-jurisdiction',
    prepare: async (b, n) => {
      const uscc = await registerReceiver(b, 300 + n);
      const permitNo = `33010003${String(n).padStart(2, '0')}`;
      await expect201(
        send(
          b.t,
          `/v1/parties/${uscc}/permits`,
          b.world.tokens.regulator,
          {
            permitNo,
            hwCategories: ['HW08'],
            operations: ['R9'],
            annualCapacityKg: 5000,
            validFrom: '2026-01-01',
            validTo: '2028-12-31',
          },
          b.keys.next('permit'),
        ),
      );
      return {
        path: `/v1/parties/${uscc}/permits/${permitNo}/revoke`,
        body: { reason: '超出许可范围经营，责令整改' },
        streams: [partyStream(uscc)],
      };
    },
  },
  {
    route: 'POST /v1/parties/{uscc}/facilities',
    allowed: ['regulator'],
    kinds: ['regulator'],
    refusal: () => 'outside-jurisdiction',
    prepare: async (b, n) => {
      const uscc = await registerReceiver(b, 400 + n);
      return {
        path: `/v1/parties/${uscc}/facilities`,
        body: {
          facilityCode: `ZJ-330114-F${String(n).padStart(3, '0')}`,
          operations: ['R5'],
          validFrom: '2026-01-01',
          validTo: '2028-12-31',
        },
        streams: [partyStream(uscc)],
      };
    },
  },
  {
    route: 'POST /v1/tokens',
    allowed: ['admin'],
    kinds: ['admin'],
    refusal: () => 'forbidden',
    prepare: async () => ({ path: '/v1/tokens', body: { kind: 'auditor', label: '市审计局' }, streams: [] }),
  },
  {
    route: 'POST /v1/batches',
    allowed: ['generator', 'otherGenerator'],
    kinds: ['party'],
    refusal: (p) => (LACKS_GENERATOR_ROLE.has(p) ? 'actor-lacks-role' : 'forbidden'),
    prepare: async () => ({ path: '/v1/batches', body: batchBody(5), streams: [] }),
  },
  {
    route: 'POST /v1/batches/{code}/split',
    allowed: ['generator'],
    kinds: ['party'],
    refusal: () => 'not-custodian',
    prepare: async (b) => {
      const code = await b.generate(10);
      return { path: `/v1/batches/${code}/split`, body: splitBody([2, 3]), streams: [batchStream(code)] };
    },
  },
  {
    route: 'POST /v1/consolidations',
    allowed: ['generator'],
    kinds: ['party'],
    refusal: () => 'not-custodian',
    prepare: async (b) => {
      const first = await b.generate(4);
      const second = await b.generate(6);
      return {
        path: '/v1/consolidations',
        body: consolidationBody([
          { traceCode: first, massKg: 4 },
          { traceCode: second, massKg: 6 },
        ]),
        streams: [batchStream(first), batchStream(second)],
      };
    },
  },
  {
    route: 'POST /v1/manifests',
    allowed: ['generator'],
    kinds: ['party'],
    refusal: () => 'not-custodian',
    prepare: async (b) => {
      const code = await b.generate(10);
      return { path: '/v1/manifests', body: b.manifestBody([code]), streams: [batchStream(code)] };
    },
  },
  {
    route: 'POST /v1/manifests/{no}/pickup',
    allowed: ['carrier'],
    kinds: ['party'],
    refusal: () => 'not-manifest-carrier',
    prepare: async (b) => {
      const { traceCode, manifestNo } = await b.consigned(10);
      return {
        path: `/v1/manifests/${manifestNo}/pickup`,
        body: pickupBody(),
        streams: [manifestStream(manifestNo), batchStream(traceCode)],
      };
    },
  },
  {
    route: 'POST /v1/manifests/{no}/receipt',
    allowed: ['receiver'],
    kinds: ['party'],
    refusal: () => 'not-manifest-receiver',
    prepare: async (b) => {
      const { traceCode, manifestNo } = await b.inTransit(10);
      return {
        path: `/v1/manifests/${manifestNo}/receipt`,
        body: receiptBody([{ traceCode, massKg: 10 }]),
        streams: [manifestStream(manifestNo), batchStream(traceCode)],
      };
    },
  },
  {
    route: 'POST /v1/manifests/{no}/cancel',
    allowed: ['generator'],
    kinds: ['party'],
    refusal: () => 'not-manifest-shipper',
    prepare: async (b) => {
      const { traceCode, manifestNo } = await b.consigned(10);
      return {
        path: `/v1/manifests/${manifestNo}/cancel`,
        body: { reason: '车辆故障，改期转移' },
        streams: [manifestStream(manifestNo), batchStream(traceCode)],
      };
    },
  },
  {
    route: 'POST /v1/batches/{code}/treatments',
    allowed: ['receiver'],
    kinds: ['party'],
    refusal: () => 'not-custodian',
    prepare: async (b) => {
      const code = await b.atReceiver(10);
      return { path: `/v1/batches/${code}/treatments`, body: treatmentBody(4), streams: [batchStream(code)] };
    },
  },
  {
    route: 'POST /v1/batches/{code}/correction-requests',
    allowed: ['generator'],
    kinds: ['party'],
    refusal: () => 'not-custodian',
    prepare: async (b) => {
      const code = await b.generate(10);
      return {
        path: `/v1/batches/${code}/correction-requests`,
        body: correctionBody(-0.5),
        streams: [batchStream(code)],
      };
    },
  },
  ...(['approve', 'reject'] as const).map((how): Row => ({
    route: `POST /v1/batches/{code}/correction-requests/{requestId}/${how}`,
    // the counterparty of the last transfer (the shipper) or a regulator in scope; never the requester
    allowed: ['generator', 'regulator'],
    kinds: ['party', 'regulator'],
    refusal: (p) => (p === 'receiver' ? 'correction-self-approval' : 'no-standing-for-correction'),
    prepare: async (b) => {
      const code = await b.atReceiver(10);
      await b.requestCorrection(code, { ...correctionBody(-0.5), occurredAt: AT.treated }, 'receiver');
      return {
        path: `/v1/batches/${code}/correction-requests/cr-1/${how}`,
        body: how === 'reject' ? { reason: '无复磅凭证' } : {},
        streams: [batchStream(code)],
      };
    },
  })),
  {
    route: 'POST /v1/commands (a split-batch item)',
    allowed: ['generator'],
    kinds: ['party'],
    refusal: () => 'not-custodian',
    bulk: true,
    prepare: async (b) => {
      const code = await b.generate(10);
      return {
        path: '/v1/commands',
        body: { traceCode: code, partsKg: [1], occurredAt: AT.split },
        streams: [batchStream(code)],
      };
    },
  },
];

async function registerReceiver(b: Builders, serial: number): Promise<string> {
  const uscc = extraUscc('330114', serial);
  await registerParty(b.t, b.keys, {
    uscc,
    name: '杭州钱塘资源利用有限公司',
    roles: ['receiver'],
    districtCode: '330114',
  });
  return uscc;
}

type Expected = { status: 401 } | { status: 403; rule: string; bulkItem?: boolean } | { status: 201 };

function expectedOf(row: Row, principal: PrincipalName): Expected {
  if (principal === 'none' || principal === 'garbage') return { status: 401 };
  if (row.allowed.includes(principal)) return { status: 201 };
  const kind = KIND_OF[principal];
  // POST /v1/commands takes any writer (admin, regulator, party); each item is then refused on its own
  if (row.bulk && !BULK_KINDS.includes(kind)) return { status: 403, rule: 'forbidden' };
  const rule = row.kinds.includes(kind) ? row.refusal(principal) : 'forbidden';
  return { status: 403, rule, bulkItem: row.bulk };
}

function describeExpected(expected: Expected): string {
  if (expected.status === 201) return 'allowed (2xx)';
  if (expected.status === 401) return '401 unauthenticated, nothing appended';
  return `403 ${expected.rule}${expected.bulkItem ? ' (item of a 200 answer)' : ''}, nothing appended`;
}

/** Refused principals first (they share the row's target), then the allowed ones. */
function ordered(row: Row): PrincipalName[] {
  return [
    ...PRINCIPALS.filter((p) => !row.allowed.includes(p)),
    ...PRINCIPALS.filter((p) => row.allowed.includes(p)),
  ];
}

const SUITE = 'authorization matrix';
describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'matrix');
  const keys = new Keys(`matrix-${kind}`);

  ROWS.forEach((row, rowIndex) => {
    describe(row.route, () => {
      let shared: Target;
      let prepared = 0;
      const fresh = () => row.prepare(app.build, rowIndex * 20 + prepared++);

      beforeAll(async () => {
        shared = await fresh();
      });

      for (const principal of ordered(row)) {
        const expected = expectedOf(row, principal);
        it(`${principal}: ${describeExpected(expected)}`, async () => {
          const target = expected.status === 201 && row.allowed.length > 1 ? await fresh() : shared;
          const token = app.world.tokens[principal];
          const before = await app.t.headPosition();
          const lengths = await streamLengths(app.t, target.streams);
          const response = row.bulk
            ? await send(
                app.t,
                target.path,
                token,
                { commands: [{ type: 'split-batch', idempotencyKey: keys.next('item'), body: target.body }] },
                null,
              )
            : await send(app.t, target.path, token, target.body, keys.next(principal));

          if (expected.status === 201) {
            expectAllowed(response, row);
            const after = await streamLengths(app.t, target.streams);
            after.forEach((length, i) => expect(length).toBeGreaterThan(lengths[i]));
            return;
          }
          if (expected.status === 401) {
            expectProblem(response, 401, { rule: 'unauthenticated' });
          } else if (expected.bulkItem) {
            expect(response.status).toBe(200);
            const [result] = response.body.results as { status: number; body: Record<string, unknown> }[];
            expect({ status: result.status, rule: result.body.rule }).toEqual({
              status: 403,
              rule: expected.rule,
            });
            expect(result.body).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: 403,
              detail: expect.any(String),
            });
          } else {
            const body = expectProblem(response, 403);
            expect(body.rule).toBe(expected.rule);
          }
          await expectHeadUnchanged(app.t, before, `${principal} on ${row.route}`);
          expect(await streamLengths(app.t, target.streams)).toEqual(lengths);
        });
      }
    });
  });
});

function expectAllowed(response: Response, row: Row): void {
  if (row.bulk) {
    expect(response.status).toBe(200);
    const [result] = response.body.results as { status: number; body: Record<string, unknown> }[];
    expect({ status: result.status, body: result.body }).toEqual({
      status: 201,
      body: expect.objectContaining({ position: expect.any(String) }),
    });
    expect(response.headers['x-ledger-position']).toBe(result.body.position);
    return;
  }
  if (response.status !== 201)
    throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  expect(response.headers['x-ledger-position']).toBe(response.body.position);
}
