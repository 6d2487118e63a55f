import { ManualClock } from '@wasteflow/event-store';
import { describeEachStore, getOk, HW08_CODE } from '../support/fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: the overdue-manifest deadline counts official working days (issue 16 item 2)';

/** 10:00 CST on Wednesday 23 September 2026, the week before 中秋 and 国庆. */
const BEFORE_HOLIDAYS = '2026-09-23T02:00:00Z';

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date(BEFORE_HOLIDAYS));
  const app = seededApp(kind, SUITE, __filename, 'working-days', { clock });
  const get = (path: string, token: string) => getOk(app.t, path, token);

  /**
   * A hazardous batch generated at `generatedAt`, on a manifest issued at the clock's time (the ledger issues
   * at recording), picked up at `pickedUpAt` (after the issue) and never received.
   */
  async function pickedUp(
    generatedAt: string,
    pickedUpAt: string,
  ): Promise<{ manifestNo: string; position: string }> {
    const traceCode = await app.build.generate(2, 'generator', HW08_CODE, generatedAt);
    const manifestNo = await app.build.issue([traceCode], { body: { plannedAt: pickedUpAt } });
    const pickup = await app.build.pickUp(manifestNo, 'carrier', pickedUpAt);
    return { manifestNo, position: pickup.headers['x-ledger-position'] };
  }

  const overdueOf = async (manifestNo: string, minPosition: string) =>
    (
      await get(
        `/v1/alerts?kind=overdue_manifest&minPosition=${minPosition}`,
        app.world.tokens.regulator as string,
      )
    ).alerts.filter((a: { subject: { manifestNo?: string } }) => a.subject.manifestNo === manifestNo);

  it('given a pickup on Wed 23 Sep 2026, when 中秋 and 国庆 pass, then it is due at the end of Thu 8 Oct, not of Wed 30 Sep', async () => {
    clock.set(BEFORE_HOLIDAYS);
    const { manifestNo, position } = await pickedUp('2026-09-23T09:00:00+08:00', '2026-09-23T10:01:00+08:00');
    const manifest = await get(
      `/v1/manifests/${manifestNo}?minPosition=${position}`,
      app.world.tokens.generator as string,
    );
    expect(manifest.dueAt).toBe('2026-10-09T00:00:00.000+08:00');

    // weekends alone would make it overdue from 1 October
    clock.set('2026-10-08T15:59:59Z'); // 23:59:59 CST on Thursday 8 October
    expect(await overdueOf(manifestNo, position)).toEqual([]);
    expect((await get(`/v1/manifests/${manifestNo}`, app.world.tokens.generator as string)).overdue).toBe(
      false,
    );

    clock.set('2026-10-08T16:00:00Z'); // 00:00 CST on Friday 9 October
    const [alert] = await overdueOf(manifestNo, position);
    expect(alert).toMatchObject({
      kind: 'overdue_manifest',
      status: 'open',
      raisedAt: '2026-10-09T00:00:00.000+08:00',
      details: { dueAt: '2026-10-09T00:00:00.000+08:00', pickedUpAt: '2026-09-23T10:01:00+08:00' },
    });
    expect(alert.details.uncoveredYears).toBeUndefined();
    expect((await get(`/v1/manifests/${manifestNo}`, app.world.tokens.generator as string)).overdue).toBe(
      true,
    );
  });

  it('given a pickup on 31 Dec 2026, then its deadline runs into 2027, which the calendar does not cover, and the alert says so', async () => {
    clock.set('2026-12-31T07:00:00Z'); // 15:00 CST
    const { manifestNo, position } = await pickedUp('2026-12-31T14:00:00+08:00', '2026-12-31T15:01:00+08:00');
    clock.set('2027-01-08T00:00:00Z');
    const [alert] = await overdueOf(manifestNo, position);
    expect(alert.details).toMatchObject({
      dueAt: '2027-01-08T00:00:00.000+08:00',
      uncoveredYears: [2027],
      calendarNote: 'the working-day calendar does not cover 2027: weekends only were counted there',
    });
  });
});
