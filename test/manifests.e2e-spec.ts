import { ManualClock } from '@wasteflow/event-store';
import { AT, CLOCK_START, describeEachStore, expectProblem, HW08_CODE, PARTIES } from './support/fixtures';
import { readSideSuite } from './support/read-side-suite';

const SUITE = 'manifests (GET /v1/manifests, /v1/manifests/{no})';

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date(CLOCK_START));
  const suite = readSideSuite(kind, SUITE, __filename, 'manifests', { clock });
  const { app, h, regulators, get, tokenOf } = suite;
  /** Picked up, never received: overdue once the clock passes its due time. */
  let open = '';

  beforeAll(async () => {
    open = (await app.build.consigned(1.5)).manifestNo;
    const pickup = await app.build.pickUp(open);
    // every test reads after the whole setup
    await get(`/v1/manifests/${open}?minPosition=${pickup.body.position}`, tokenOf('carrier')).expect(200);
  });

  const list = async (query: string, token: string) => {
    const response = await get(`/v1/manifests?${query}`, token);
    if (response.status !== 200)
      throw new Error(`${query}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as {
      items: { manifestNo: string }[];
      total: number;
      page: number;
      pageSize: number;
      position: string;
    };
  };
  const numbers = (page: { items: { manifestNo: string }[] }) => page.items.map((m) => m.manifestNo);

  it('shows a received manifest: parties, vehicle, times, lines with their receipt, discrepancy, due date', async () => {
    const response = await get(
      `/v1/manifests/${h.m1}?minPosition=${h.position}`,
      tokenOf('generator'),
    ).expect(200);
    const m = response.body;
    expect(m).toMatchObject({
      manifestNo: h.m1,
      status: 'received',
      shipper: { uscc: PARTIES.generator.uscc, name: PARTIES.generator.name, districtCode: '330106' },
      carrier: { uscc: PARTIES.carrier.uscc, name: PARTIES.carrier.name, districtCode: '330109' },
      receiver: { uscc: PARTIES.receiver.uscc, name: PARTIES.receiver.name, districtCode: '330114' },
      hazardous: true,
      categories: ['hazardous'],
      plannedAt: AT.planned,
      issuedAt: expect.any(String),
      pickedUpAt: AT.pickedUp,
      vehiclePlate: '浙A12345',
      weighedKg: null,
      receivedAt: AT.received,
      cancelledAt: null,
      totalKg: 17,
      discrepancy: true,
      // picked up Monday 2 March: Tue 3 … Mon 9 are the five working days; due at 00:00 CST on the 10th
      dueAt: '2026-03-10T00:00:00.000+08:00',
      overdue: false,
      late: false,
    });
    expect(BigInt(m.position)).toBeGreaterThanOrEqual(BigInt(h.position));
    const byCode = Object.fromEntries(m.lines.map((l: { traceCode: string }) => [l.traceCode, l]));
    expect(byCode[h.a]).toEqual({
      traceCode: h.a,
      category: 'hazardous',
      wasteCode: HW08_CODE,
      shippedKg: 7,
      receivedKg: 7,
      acceptedKg: 7,
      rejectedKg: 0,
      lostKg: 0,
      outcome: 'accepted',
      discrepancy: false,
    });
    expect(byCode[h.x]).toEqual({
      traceCode: h.x,
      category: 'hazardous',
      wasteCode: HW08_CODE,
      shippedKg: 10,
      receivedKg: 9,
      acceptedKg: 7,
      rejectedKg: 2,
      lostKg: 1,
      outcome: 'partial',
      reason: '含水率超标，2 kg 拒收退回',
      discrepancy: true,
    });
  });

  it('shows a cancelled manifest and an open one with its due date', async () => {
    const cancelled = (await get(`/v1/manifests/${h.m2}`, tokenOf('generator')).expect(200)).body;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelReason: '车辆临时调度，改期转移',
      pickedUpAt: null,
      dueAt: null,
      overdue: false,
      lines: [{ traceCode: h.d, shippedKg: 5 }],
    });
    expect(cancelled.lines[0].receivedKg).toBeUndefined();
    const picked = (await get(`/v1/manifests/${open}`, tokenOf('carrier')).expect(200)).body;
    expect(picked).toMatchObject({
      status: 'picked_up',
      receivedAt: null,
      dueAt: '2026-03-10T00:00:00.000+08:00',
      overdue: false,
    });
  });

  it('lets its parties, regulators of the shipper’s or receiver’s district and a line’s category, and auditors read it', async () => {
    const status = async (no: string, token: string | undefined) =>
      (await get(`/v1/manifests/${no}`, token)).status;
    await suite.expectChainReadsOnly(`/v1/manifests/${h.m1}`);
    expect(await status(h.m1, regulators.xihu)).toBe(200); // the shipper's district
    expect(await status(h.m1, regulators.qiantang)).toBe(200); // the receiver's district
    expect(await status(h.m3, regulators.qiantang)).toBe(403); // m3 goes from Xihu to Jiande
    expect(await status(h.m3, tokenOf('otherReceiver'))).toBe(200);
    expect(await status(h.m1, regulators.industrial)).toBe(403); // no industrial line
    expect(await status(h.m1, undefined)).toBe(401);
  });

  it('refuses a malformed number (400) and answers an unknown one with 404', async () => {
    expectProblem(await get('/v1/manifests/2026330100001', tokenOf('auditor')), 400, {
      rule: 'invalid-manifest-number',
      fields: ['no'],
    });
    expectProblem(await get('/v1/manifests/abc', tokenOf('auditor')), 400, {
      rule: 'invalid-manifest-number',
    });
    expectProblem(await get('/v1/manifests/20263301999999', tokenOf('auditor')), 404, {
      rule: 'manifest-not-found',
    });
  });

  it('lists what each may see, with filters by party, status, period, region and category, and paging', async () => {
    const all = [h.m1, h.m2, h.m3, open].sort().reverse();
    expect(numbers(await list('', tokenOf('generator')))).toEqual(all); // newest first (same instant: by number)
    expect(numbers(await list('', tokenOf('auditor')))).toEqual(all);
    expect(numbers(await list('', tokenOf('regulator')))).toEqual(all);
    expect(numbers(await list('', tokenOf('otherReceiver')))).toEqual([h.m3]);
    expect(numbers(await list('', tokenOf('otherGenerator')))).toEqual([]);
    expect(numbers(await list('', tokenOf('outsideRegulator')))).toEqual([]);
    expect(numbers(await list('', regulators.qiantang))).toEqual([h.m1, h.m2, open].sort().reverse());
    expect(numbers(await list('status=received', tokenOf('generator')))).toEqual(
      [h.m1, h.m3].sort().reverse(),
    );
    expect(numbers(await list('status=cancelled', tokenOf('auditor')))).toEqual([h.m2]);
    expect(numbers(await list(`party=${PARTIES.otherReceiver.uscc}`, tokenOf('auditor')))).toEqual([h.m3]);
    expect(numbers(await list(`party=${PARTIES.otherReceiver.uscc}`, tokenOf('receiver')))).toEqual([]);
    expect(numbers(await list('region=330182', tokenOf('auditor')))).toEqual([h.m3]);
    expect(numbers(await list('region=330182', tokenOf('regulator')))).toEqual([h.m3]);
    expect(numbers(await list('category=hazardous&from=2026-03&to=2026-03', tokenOf('auditor')))).toEqual(
      all,
    );
    expect(numbers(await list('from=2026-03-03', tokenOf('auditor')))).toEqual([]);
    expect(numbers(await list('to=2026-03-01', tokenOf('auditor')))).toEqual([]);
    expect(numbers(await list('from=2026-03-02T00:00:00%2B08:00&to=2026-03-02', tokenOf('auditor')))).toEqual(
      all,
    );
    expect(numbers(await list('category=industrial', tokenOf('auditor')))).toEqual([]);
    const page2 = await list('pageSize=1&page=2', tokenOf('auditor'));
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 1, items: [{ manifestNo: all[1] }] });
    expect(page2.items[0]).toMatchObject({
      lineCount: expect.any(Number),
      totalKg: expect.any(Number),
      overdue: false,
    });
    expect(BigInt(page2.position)).toBeGreaterThanOrEqual(BigInt(h.position));
  });

  it('refuses list filters outside a regulator’s scope (403) and malformed ones (400)', async () => {
    expectProblem(await get('/v1/manifests?region=3302', tokenOf('regulator')), 403, { rule: 'forbidden' });
    expectProblem(await get('/v1/manifests?category=industrial', tokenOf('regulator')), 403, {
      rule: 'forbidden',
    });
    expectProblem(await get('/v1/manifests', app.t.adminToken), 403, { rule: 'forbidden' });
    for (const [query, field] of [
      ['status=lost', 'status'],
      ['page=0', 'page'],
      ['pageSize=501', 'pageSize'],
      ['from=2026-13', 'from'],
      ['to=yesterday', 'to'],
      ['region=99', 'region'],
      ['category=glass', 'category'],
      ['party=123', 'party'],
      ['overdue=maybe', 'overdue'],
      ['minPosition=x', 'minPosition'],
    ]) {
      expectProblem(await get(`/v1/manifests?${query}`, tokenOf('auditor')), 400, { fields: [field] });
    }
  });

  it('decides overdue at the time of the query (5 working days after pickup, not received)', async () => {
    expect(numbers(await list('overdue=true', tokenOf('auditor')))).toEqual([]);
    clock.set('2026-03-09T23:59:59+08:00');
    expect((await get(`/v1/manifests/${open}`, tokenOf('carrier')).expect(200)).body.overdue).toBe(false);
    clock.set('2026-03-10T00:00:00+08:00');
    expect((await get(`/v1/manifests/${open}`, tokenOf('carrier')).expect(200)).body.overdue).toBe(true);
    expect((await get(`/v1/manifests/${h.m1}`, tokenOf('carrier')).expect(200)).body.overdue).toBe(false);
    expect(numbers(await list('overdue=true', tokenOf('auditor')))).toEqual([open]);
    expect(numbers(await list('overdue=false', tokenOf('auditor')))).toEqual(
      [h.m1, h.m2, h.m3].sort().reverse(),
    );
  });
});
