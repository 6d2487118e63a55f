import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  describeEachStore,
  expect201,
  getOk,
  HW01_CODE,
  HW08_CODE,
  Keys,
  send,
} from '../support/fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: medical waste (HW01) held by its generator over 48 hours (issue 16 item 3)';

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date(CLOCK_START));
  const keys = new Keys(`medical-${kind}`);
  const app = seededApp(kind, SUITE, __filename, 'medical', { clock });

  const alertsAt = async (now: string, position: string) => {
    clock.set(now);
    return (
      await getOk(
        app.t,
        `/v1/alerts?kind=overdue_medical_storage&minPosition=${position}`,
        app.world.tokens.regulator,
      )
    ).alerts as {
      kind: string;
      subject: { traceCode?: string };
      details: Record<string, unknown>;
    }[];
  };

  it('given HW01 generated at 09:00 on Monday and still held, then an overdue_medical_storage alert from just after 09:00 on Wednesday; HW08 held as long raises none', async () => {
    const generate = (wasteCode: string) =>
      expect201(
        send(
          app.t,
          '/v1/batches',
          app.world.tokens.generator,
          { category: 'hazardous', wasteCode, massKg: 3, occurredAt: AT.generated },
          keys.next(),
        ),
      );
    const medical = await generate(HW01_CODE);
    const oil = await generate(HW08_CODE);
    const position = oil.headers['x-ledger-position'];

    expect(await alertsAt('2026-03-04T01:00:00.000Z', position)).toEqual([]); // 09:00 CST Wednesday: 48 h exactly
    const alerts = await alertsAt('2026-03-04T01:00:01.000Z', position);
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'overdue_medical_storage',
        status: 'open',
        subject: { traceCode: medical.body.traceCode },
        details: expect.objectContaining({
          generatedAt: AT.generated,
          dueAt: '2026-03-04T09:00:00.000+08:00',
          limitHours: 48,
        }),
      }),
    ]);
    expect(alerts.some((a) => a.subject.traceCode === oil.body.traceCode)).toBe(false);
  });
});
