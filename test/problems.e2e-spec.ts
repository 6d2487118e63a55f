import type { Response } from 'supertest';
import { composeManifestNumber, composeTraceCode } from '@wasteflow/domain';
import {
  AT,
  batchBody,
  Builders,
  consolidationBody,
  correctionBody,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  extraUscc,
  HW01_CODE,
  Keys,
  PARTIES,
  pickupBody,
  receiptBody,
  send,
  splitBody,
  treatmentBody,
  type World,
} from './support/fixtures';
import { sendBulk } from './support/extra-fixtures';
import { seededApp } from './support/seeded-app';
import type { TestApp } from './support/test-app';

/**
 * RFC 9457 problem documents (DESIGN.md §4), one representative refusal per status and per named rule:
 * 400 with field-level `errors` (`field`, `rule`, `message`), 401, 403, 404 (unknown batch, manifest,
 * party), 409, 422 naming the domain rule. Every refusal appends nothing.
 */

interface Case {
  readonly name: string;
  readonly status: 400 | 401 | 403 | 404 | 409 | 422;
  readonly rule: string;
  /** For 400: the fields `errors` must name (and, when given, the rule of each). */
  readonly errors?: readonly { readonly field: string; readonly rule?: string }[];
  readonly act: (c: Context) => Promise<Response>;
}

interface Context {
  readonly t: TestApp;
  readonly w: World;
  readonly b: Builders;
  readonly key: () => string;
  /** The refused request: the head is taken just before it. */
  readonly post: (
    path: string,
    token: string | undefined,
    body: unknown,
    key: string | null,
  ) => Promise<Response>;
  /** For a refused request built by hand (headers): takes the head, then gives the agent. */
  readonly http: () => Promise<TestApp['http']>;
}

const UNKNOWN_TRACE_CODE = composeTraceCode({
  districtCode: '330106',
  category: 'hazardous',
  date: '260302',
  randomPart: 'ZZZZZZZZ',
});
const UNKNOWN_MANIFEST = composeManifestNumber(2026, '330106', 999_999);
const UNREGISTERED = extraUscc('330106', 99_999);

/** A permit for HW08 by D10 of 1 kg a year in 2026 (the cases refuse it for who asks, not for what). */
function permitBody(permitNo: string): Record<string, unknown> {
  return {
    permitNo,
    hwCategories: ['HW08'],
    operations: ['D10'],
    annualCapacityKg: 1,
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  };
}

/** A batch request with this Authorization header as sent (the refused request; built by hand). */
const withAuthorization =
  (authorization: string): Case['act'] =>
  async ({ key, http }) =>
    (await http())
      .post('/v1/batches')
      .set('Authorization', authorization)
      .set('Idempotency-Key', key())
      .send(batchBody(1));

function wrongCheck(code: string): string {
  const check = code.slice(-1);
  return code.slice(0, -1) + (check === '0' ? '1' : '0');
}

const CASES: readonly Case[] = [
  // 400 — field-level detail
  {
    name: 'a mass with 4 decimals',
    status: 400,
    rule: 'invalid-request',
    errors: [{ field: 'massKg', rule: 'isMassKg' }],
    act: ({ w, key, post }) => post('/v1/batches', w.tokens.generator, batchBody(1.2345), key()),
  },
  {
    name: 'a nested field: a negative mass on the second consolidation line',
    status: 400,
    rule: 'invalid-request',
    errors: [{ field: 'lines[1].massKg', rule: 'isMassKg' }],
    act: async ({ w, b, key, post }) => {
      const [x, y] = [await b.generate(1), await b.generate(2)];
      return post(
        '/v1/consolidations',
        w.tokens.generator,
        consolidationBody([
          { traceCode: x, massKg: 1 },
          { traceCode: y, massKg: -2 },
        ]),
        key(),
      );
    },
  },
  {
    name: 'a missing field and an unknown one',
    status: 400,
    rule: 'invalid-request',
    errors: [{ field: 'occurredAt' }, { field: 'custodianUscc', rule: 'unknown-field' }],
    act: ({ w, key, post }) =>
      post(
        '/v1/batches',
        w.tokens.generator,
        { category: 'hazardous', wasteCode: '900-249-08', massKg: 1, custodianUscc: PARTIES.receiver.uscc },
        key(),
      ),
  },
  {
    name: 'a time without an offset',
    status: 400,
    rule: 'invalid-request',
    errors: [{ field: 'occurredAt', rule: 'isIsoInstant' }],
    act: ({ w, key, post }) =>
      post('/v1/batches', w.tokens.generator, { ...batchBody(1), occurredAt: '2026-03-02T09:00:00' }, key()),
  },
  {
    name: 'a mistyped trace code in the path is invalid, not unknown',
    status: 400,
    rule: 'invalid-trace-code',
    errors: [{ field: 'code', rule: 'invalid-trace-code' }],
    act: async ({ w, b, key, post }) =>
      post(`/v1/batches/${wrongCheck(await b.generate(1))}/split`, w.tokens.generator, splitBody(), key()),
  },
  {
    name: 'a mistyped trace code in the body',
    status: 400,
    rule: 'invalid-request',
    errors: [{ field: 'lines[0].traceCode', rule: 'isTraceCode' }],
    act: async ({ w, b, key, post }) =>
      post('/v1/manifests', w.tokens.generator, b.manifestBody([wrongCheck(await b.generate(1))]), key()),
  },
  {
    name: 'a malformed manifest number in the path',
    status: 400,
    rule: 'invalid-manifest-number',
    errors: [{ field: 'no' }],
    act: ({ w, key, post }) =>
      post('/v1/manifests/2026330100000/pickup', w.tokens.carrier, pickupBody(), key()),
  },
  {
    name: 'a USCC with a wrong check character in the path',
    status: 400,
    rule: 'invalid-uscc',
    errors: [{ field: 'uscc' }],
    act: ({ w, key, post }) =>
      post(
        `/v1/parties/${wrongCheck(PARTIES.receiver.uscc)}/permits`,
        w.tokens.regulator,
        permitBody('P-1'),
        key(),
      ),
  },
  {
    name: 'a partial rejection without a reason (a rule of the domain of kind invalid)',
    status: 400,
    rule: 'rejection-reason-required',
    errors: [{ field: 'lines[0].reason' }],
    act: async ({ w, b, key, post }) => {
      const { traceCode, manifestNo } = await b.inTransit(10);
      return post(
        `/v1/manifests/${manifestNo}/receipt`,
        w.tokens.receiver,
        { occurredAt: AT.received, lines: [{ traceCode, receivedKg: 10, acceptedKg: 9 }] },
        key(),
      );
    },
  },
  {
    name: 'no Idempotency-Key',
    status: 400,
    rule: 'invalid-request',
    errors: [{ field: 'Idempotency-Key', rule: 'idempotency-key-required' }],
    act: ({ w, post }) => post('/v1/batches', w.tokens.generator, batchBody(1), null),
  },

  // 401
  {
    name: 'no Authorization header',
    status: 401,
    rule: 'unauthenticated',
    act: ({ key, post }) => post('/v1/batches', undefined, batchBody(1), key()),
  },
  {
    name: 'a token never issued',
    status: 401,
    rule: 'unauthenticated',
    act: ({ w, key, post }) => post('/v1/batches', w.tokens.garbage, batchBody(1), key()),
  },
  {
    name: 'an issued token with its secret altered',
    status: 401,
    rule: 'unauthenticated',
    act: ({ w, key, post }) => {
      const token = w.tokens.generator as string;
      return post('/v1/batches', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), batchBody(1), key());
    },
  },
  {
    name: 'Bearer without a token',
    status: 401,
    rule: 'unauthenticated',
    act: withAuthorization('Bearer '),
  },
  {
    name: 'Basic credentials',
    status: 401,
    rule: 'unauthenticated',
    act: withAuthorization('Basic YWRtaW46YWRtaW4='),
  },

  // 403
  {
    name: 'a party token registering a party',
    status: 403,
    rule: 'forbidden',
    act: ({ w, key, post }) =>
      post(
        '/v1/parties',
        w.tokens.generator,
        { ...PARTIES.generator, uscc: extraUscc('330106', 77_001) },
        key(),
      ),
  },
  {
    name: 'an auditor writing',
    status: 403,
    rule: 'forbidden',
    act: ({ w, key, post }) => post('/v1/batches', w.tokens.auditor, batchBody(1), key()),
  },
  {
    name: 'another generator splitting a batch it does not hold',
    status: 403,
    rule: 'not-custodian',
    act: async ({ w, b, key, post }) =>
      post(`/v1/batches/${await b.generate(5)}/split`, w.tokens.otherGenerator, splitBody(), key()),
  },
  {
    name: 'a carrier picking up a manifest that names another carrier',
    status: 403,
    rule: 'not-manifest-carrier',
    act: async ({ w, b, key, post }) =>
      post(
        `/v1/manifests/${(await b.consigned(5)).manifestNo}/pickup`,
        w.tokens.otherCarrier,
        pickupBody(),
        key(),
      ),
  },
  {
    name: 'a regulator of Ningbo granting a permit in Hangzhou',
    status: 403,
    rule: 'outside-jurisdiction',
    act: ({ w, key, post }) =>
      post(
        `/v1/parties/${PARTIES.otherReceiver.uscc}/permits`,
        w.tokens.outsideRegulator,
        permitBody('NB-1'),
        key(),
      ),
  },
  {
    name: 'a correction request approved by its own requester',
    status: 403,
    rule: 'correction-self-approval',
    act: async ({ w, b, key, post }) => {
      const code = await b.generate(5);
      const asked = await post(
        `/v1/batches/${code}/correction-requests`,
        w.tokens.generator,
        correctionBody(-1),
        key(),
      );
      if (asked.status !== 201) throw new Error(`request: ${asked.status} ${JSON.stringify(asked.body)}`);
      return post(`/v1/batches/${code}/correction-requests/cr-1/approve`, w.tokens.generator, {}, key());
    },
  },

  // 404
  {
    // a write on a batch the caller does not hold, existing or not, is one refusal (issue 10 row 3)
    name: 'an unknown batch (to a writer, as a batch it does not hold)',
    status: 403,
    rule: 'not-custodian',
    act: ({ w, key, post }) =>
      post(`/v1/batches/${UNKNOWN_TRACE_CODE}/split`, w.tokens.generator, splitBody(), key()),
  },
  {
    name: 'an unknown manifest',
    status: 404,
    rule: 'manifest-not-found',
    act: ({ w, key, post }) =>
      post(`/v1/manifests/${UNKNOWN_MANIFEST}/pickup`, w.tokens.carrier, pickupBody(), key()),
  },
  {
    name: 'an unknown party (a permit for it)',
    status: 404,
    rule: 'party-not-found',
    act: ({ w, key, post }) =>
      post(`/v1/parties/${UNREGISTERED}/permits`, w.tokens.regulator, permitBody('P-404'), key()),
  },
  {
    name: 'an unknown party (a token for it)',
    status: 404,
    rule: 'party-not-found',
    act: ({ t, key, post }) =>
      post('/v1/tokens', t.adminToken, { kind: 'party', partyUscc: UNREGISTERED }, key()),
  },
  {
    name: 'an unknown receiver named on a manifest',
    status: 404,
    rule: 'party-not-found',
    act: async ({ w, b, key, post }) =>
      post(
        '/v1/manifests',
        w.tokens.generator,
        { ...b.manifestBody([await b.generate(1)]), receiverUscc: UNREGISTERED },
        key(),
      ),
  },
  {
    name: 'an unknown permit revoked',
    status: 404,
    rule: 'permit-not-found',
    act: ({ w, key, post }) =>
      post(
        `/v1/parties/${PARTIES.receiver.uscc}/permits/NO-SUCH-PERMIT/revoke`,
        w.tokens.regulator,
        { reason: '核查' },
        key(),
      ),
  },

  // 409
  {
    name: 'a batch already on an open manifest shipped again',
    status: 409,
    rule: 'batch-on-open-manifest',
    act: async ({ w, b, key, post }) =>
      post('/v1/manifests', w.tokens.generator, b.manifestBody([(await b.consigned(5)).traceCode]), key()),
  },
  {
    name: 'a batch in transit split',
    status: 409,
    rule: 'batch-in-transit',
    act: async ({ w, b, key, post }) =>
      post(`/v1/batches/${(await b.inTransit(5)).traceCode}/split`, w.tokens.generator, splitBody(), key()),
  },
  {
    name: 'a manifest cancelled after pickup',
    status: 409,
    rule: 'manifest-already-picked-up',
    act: async ({ w, b, key, post }) =>
      post(
        `/v1/manifests/${(await b.inTransit(5)).manifestNo}/cancel`,
        w.tokens.generator,
        { reason: '改期' },
        key(),
      ),
  },
  {
    name: 'a manifest received twice',
    status: 409,
    rule: 'manifest-already-received',
    act: async ({ w, b, key, post }) => {
      const { traceCode, manifestNo } = await b.inTransit(5);
      await b.receiveInFull(manifestNo, [{ traceCode, massKg: 5 }]);
      return post(
        `/v1/manifests/${manifestNo}/receipt`,
        w.tokens.receiver,
        receiptBody([{ traceCode, massKg: 5 }]),
        key(),
      );
    },
  },
  {
    name: 'a party registered twice',
    status: 409,
    rule: 'party-already-registered',
    act: ({ t, key, post }) => post('/v1/parties', t.adminToken, PARTIES.generator, key()),
  },

  // 422 — the domain rule by name
  {
    name: 'treating more than is held',
    status: 422,
    rule: 'treatment-exceeds-held-mass',
    act: async ({ w, b, key, post }) =>
      post(
        `/v1/batches/${await b.atReceiver(10)}/treatments`,
        w.tokens.receiver,
        treatmentBody(10.001),
        key(),
      ),
  },
  {
    name: 'shipping medical waste (HW01) to a receiver permitted for HW08 only',
    status: 422,
    rule: 'permit-does-not-cover-waste',
    act: async ({ w, b, key, post }) =>
      post(
        '/v1/manifests',
        w.tokens.generator,
        b.manifestBody([await b.generate(3, 'generator', HW01_CODE)]),
        key(),
      ),
  },
  {
    name: 'treating with an operation the permit does not cover',
    status: 422,
    rule: 'permit-does-not-cover-operation',
    act: async ({ w, b, key, post }) =>
      post(
        `/v1/batches/${await b.atReceiver(5)}/treatments`,
        w.tokens.receiver,
        treatmentBody(1, 'D1'),
        key(),
      ),
  },
  {
    name: 'treating hazardous waste without any permit',
    status: 422,
    rule: 'no-permit',
    act: async ({ w, b, key, post }) =>
      post(
        `/v1/batches/${await b.generate(5)}/treatments`,
        w.tokens.generator,
        { ...treatmentBody(1), occurredAt: AT.split },
        key(),
      ),
  },
  {
    name: 'splitting off more than is held',
    status: 422,
    rule: 'mass-not-conserved',
    act: async ({ w, b, key, post }) =>
      post(`/v1/batches/${await b.generate(5)}/split`, w.tokens.generator, splitBody([3, 2.001]), key()),
  },
  {
    name: 'a manifest line that does not ship the whole held mass',
    status: 422,
    rule: 'manifest-line-mass-mismatch',
    act: async ({ w, b, key, post }) =>
      post(
        '/v1/manifests',
        w.tokens.generator,
        { ...b.manifestBody([]), lines: [{ traceCode: await b.generate(5), massKg: 4 }] },
        key(),
      ),
  },
  {
    name: 'receiving more than was shipped',
    status: 422,
    rule: 'received-exceeds-shipped',
    act: async ({ w, b, key, post }) => {
      const { traceCode, manifestNo } = await b.inTransit(5);
      return post(
        `/v1/manifests/${manifestNo}/receipt`,
        w.tokens.receiver,
        receiptBody([{ traceCode, massKg: 5.001 }]),
        key(),
      );
    },
  },
  {
    name: 'a carrier without the carrier role named on a manifest',
    status: 422,
    rule: 'carrier-role-required',
    act: async ({ w, b, key, post }) =>
      post(
        '/v1/manifests',
        w.tokens.generator,
        b.manifestBody([await b.generate(1)], { carrier: 'otherGenerator' }),
        key(),
      ),
  },
  {
    name: 'an occurredAt an hour ahead of the server',
    status: 422,
    rule: 'occurred-in-future',
    act: ({ w, key, post }) =>
      post(
        '/v1/batches',
        w.tokens.generator,
        { ...batchBody(1), occurredAt: '2026-03-02T11:00:00+08:00' },
        key(),
      ),
  },
  {
    name: 'an Idempotency-Key used before for another body',
    status: 422,
    rule: 'idempotency-key-reused',
    act: async ({ t, w, key, post }) => {
      const used = key();
      await expect201(send(t, '/v1/batches', w.tokens.generator, batchBody(1), used));
      return post('/v1/batches', w.tokens.generator, batchBody(2), used);
    },
  },
];

const SUITE = 'problem documents (RFC 9457)';

describe('problem documents (RFC 9457, sqlite)', () => {
  const app = seededApp('sqlite', SUITE, __filename, 'problems');
  let context: Context;
  const keys = new Keys('problems');

  beforeAll(() => {
    context = {
      t: app.t,
      w: app.world,
      b: app.build,
      key: () => keys.next('p'),
      post: () => Promise.reject(new Error('replaced per case')),
      http: async () => app.t.http,
    };
  });

  for (const status of [400, 401, 403, 404, 409, 422] as const) {
    describe(String(status), () => {
      it.each(CASES.filter((c) => c.status === status).map((c) => [c.name, c] as const))(
        '%s',
        async (_name, c) => {
          // the setup of a case (batches, manifests) appends; the refused request itself must not
          let before: bigint | undefined;
          const response = await c.act({
            ...context,
            post: async (path, token, body, key) => {
              before = await app.t.headPosition();
              return send(app.t, path, token, body, key);
            },
            http: async () => {
              before = await app.t.headPosition();
              return app.t.http;
            },
          });
          const body = expectProblem(response, c.status, {
            rule: c.rule,
            fields: c.errors?.map((e) => e.field),
          });
          // RFC 9457: type is a URI identifying the problem type (here the rule), title its summary
          expect(body.type).toMatch(new RegExp(`^[a-z][a-z0-9+.-]*:.*${c.rule}$`));
          expect(body.title).toBe(TITLES[c.status]);
          expect(body.instance).toBe((response as unknown as { req: { path: string } }).req.path);
          for (const expected of c.errors ?? []) {
            const named = (body.errors as { field: string; rule: string; message: string }[]).find(
              (e) => e.field === expected.field,
            );
            expect(named).toEqual({
              field: expected.field,
              rule: expected.rule ?? expect.any(String),
              message: expect.stringMatching(/\S/),
            });
          }
          if (before === undefined)
            throw new Error('the case did not send its request through post() or http()');
          await expectHeadUnchanged(app.t, before);
        },
      );
    });
  }

  it('the refused item of a bulk request carries the same problem document', async () => {
    const code = await context.b.generate(5);
    const response = await sendBulk(app.t, context.w.tokens.otherGenerator, [
      { type: 'split-batch', idempotencyKey: keys.next('bulk'), body: { traceCode: code, ...splitBody() } },
    ]);
    expect(response.status).toBe(200);
    const [result] = response.body.results;
    expect(result).toMatchObject({ index: 0, type: 'split-batch', status: 403 });
    expect(result.body).toMatchObject({
      type: expect.stringMatching(/not-custodian$/),
      title: 'Forbidden',
      status: 403,
      detail: expect.any(String),
      rule: 'not-custodian',
    });
  });

  it('an unknown route is a 404 problem document too', async () => {
    const response = await send(
      app.t,
      '/v1/batches/x/y/z',
      context.w.tokens.generator,
      {},
      keys.next('route'),
    );
    expectProblem(response, 404, { rule: 'route-not-found' });
  });
});

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
};
