import { ManualClock } from '@wasteflow/event-store';
import { describeEachStore, getOk, HW08_CODE, Keys, PARTIES, send } from '../support/fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: a paper manifest back-filled after an outage (纸质联单补录, issue 16 item 6)';

/** Monday 2 November 2026 (CST): the paper's times. Its 10th working day after is Monday 16 November. */
const GENERATED = '2026-11-02T08:00:00+08:00';
const ISSUED = '2026-11-02T09:00:00+08:00';
const PICKED_UP = '2026-11-02T10:00:00+08:00';

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date('2026-11-02T00:00:00Z'));
  const keys = new Keys(`paper-backfill-${kind}`);
  const app = seededApp(kind, SUITE, __filename, 'paper-backfill', { clock });

  /** The whole paper run entered now (the clock's time) with its real times; the pickup's ledger position. */
  async function backFilled(): Promise<{ manifestNo: string; position: string }> {
    const traceCode = await app.build.generate(2, 'generator', HW08_CODE, GENERATED);
    const manifestNo = await app.build.issue([traceCode], {
      body: { plannedAt: PICKED_UP, occurredAt: ISSUED, paper: true },
    });
    const pickup = await app.build.pickUp(manifestNo, 'carrier', PICKED_UP);
    return { manifestNo, position: pickup.headers['x-ledger-position'] };
  }

  const lateEntriesOf = async (manifestNo: string, minPosition: string) =>
    (
      await getOk(app.t, `/v1/alerts?kind=late_entry&minPosition=${minPosition}`, app.world.tokens.regulator)
    ).alerts.filter((a: { subject: { manifestNo?: string } }) => a.subject.manifestNo === manifestNo);

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
      app.t,
      '/v1/manifests',
      app.world.tokens.generator as string,
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
