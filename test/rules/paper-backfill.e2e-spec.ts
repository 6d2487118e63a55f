import { ManualClock } from '@wasteflow/event-store';
import {
  expect201,
  HW08_CODE,
  Keys,
  PARTIES,
  PLATE,
  requireStore,
  seedWorld,
  send,
  skippedPostgres,
  storesFor,
  type World,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const SUITE = 'rules: a paper manifest back-filled after an outage (纸质联单补录, issue 16 item 6)';

/** Monday 2 November 2026 (CST): the paper's times. Its 10th working day after is Monday 16 November. */
const GENERATED = '2026-11-02T08:00:00+08:00';
const ISSUED = '2026-11-02T09:00:00+08:00';
const PICKED_UP = '2026-11-02T10:00:00+08:00';

describe.each(storesFor(SUITE))(`${SUITE} (%s)`, (kind) => {
  let t: TestApp;
  let world: World;
  const clock = new ManualClock(new Date('2026-11-02T00:00:00Z'));
  const keys = new Keys(`paper-backfill-${kind}`);

  /** The whole paper run entered now (the clock's time) with its real times; the pickup's ledger position. */
  async function backFilled(): Promise<{ manifestNo: string; position: string }> {
    const generator = world.tokens.generator as string;
    const traceCode = (
      await expect201(
        send(
          t,
          '/v1/batches',
          generator,
          { category: 'hazardous', wasteCode: HW08_CODE, massKg: 2, occurredAt: GENERATED },
          keys.next(),
        ),
      )
    ).body.traceCode;
    const manifestNo = (
      await expect201(
        send(
          t,
          '/v1/manifests',
          generator,
          {
            lines: [{ traceCode }],
            carrierUscc: PARTIES.carrier.uscc,
            receiverUscc: PARTIES.receiver.uscc,
            plannedAt: PICKED_UP,
            occurredAt: ISSUED,
            paper: true,
          },
          keys.next(),
        ),
      )
    ).body.manifestNo;
    const pickup = await expect201(
      send(
        t,
        `/v1/manifests/${manifestNo}/pickup`,
        world.tokens.carrier,
        { vehiclePlate: PLATE, occurredAt: PICKED_UP },
        keys.next(),
      ),
    );
    return { manifestNo, position: pickup.headers['x-ledger-position'] };
  }

  const lateEntriesOf = async (manifestNo: string, minPosition: string) => {
    const response = await t.http
      .get(`/v1/alerts?kind=late_entry&minPosition=${minPosition}`)
      .set('Authorization', `Bearer ${world.tokens.regulator as string}`);
    expect(response.status).toBe(200);
    return response.body.alerts.filter(
      (a: { subject: { manifestNo?: string } }) => a.subject.manifestNo === manifestNo,
    );
  };

  beforeAll(async () => {
    await requireStore(kind, SUITE);
    t = await startTestApp(kind, { suiteFile: __filename, clock });
    world = await seedWorld(t, new Keys(`paper-backfill-seed-${kind}`));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('given a paper run on Mon 2 Nov, when it is entered on Fri 13 Nov (9 working days, past 72 hours), then it is accepted with its real times and raises no late entry', async () => {
    clock.set('2026-11-13T02:00:00Z'); // 10:00 CST
    const { manifestNo, position } = await backFilled();
    expect(await lateEntriesOf(manifestNo, position)).toEqual([]);
  });

  it('given a paper run on Mon 2 Nov, when it is entered on Fri 20 Nov (past the 10th working day), then a late_entry says paper back-fill and the working days counted', async () => {
    clock.set('2026-11-20T02:00:00Z');
    const { manifestNo, position } = await backFilled();
    const alerts = await lateEntriesOf(manifestNo, position);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'late_entry',
      status: 'open',
      details: {
        eventType: 'ManifestPickedUp',
        paper: true,
        occurredAt: PICKED_UP,
        workingDays: 10,
        dueAt: '2026-11-17T00:00:00.000+08:00',
      },
    });
  });

  it('refuses a paper flag that is not a boolean with a 400 naming the field', async () => {
    const response = await send(
      t,
      '/v1/manifests',
      world.tokens.generator as string,
      {
        lines: [{ traceCode: 'x' }],
        carrierUscc: PARTIES.carrier.uscc,
        receiverUscc: PARTIES.receiver.uscc,
        plannedAt: PICKED_UP,
        paper: 'yes',
      },
      keys.next(),
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('paper');
  });
});

skippedPostgres(SUITE);
