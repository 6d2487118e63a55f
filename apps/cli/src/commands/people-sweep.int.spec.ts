import { randomBytes } from 'node:crypto';
import { useSqliteCli } from '../testing/sqlite-cli';

/** `wasteflow people-sweep` on a SQLite data directory: removes the record no event names, says so, keeps the rest. */
describe('wasteflow people-sweep', () => {
  const { run, withStore } = useSqliteCli('wasteflow-cli-sweep-');
  const orphan = `p-${'0'.repeat(32)}`;
  const named = `p-${'1'.repeat(32)}`;

  beforeAll(async () => {
    await withStore(async (store) => {
      await store.personalData.put(
        [orphan, named].map((personId) => ({ personId, key: randomBytes(32), sealed: randomBytes(40) })),
      );
      await store.appendToStreams([
        {
          stream: 'sweep-cli-1',
          expected: 'no_stream',
          events: [
            {
              id: '7f1c2d3e-0000-4000-8000-000000000002',
              type: 'SomethingNamingAPerson',
              schemaVersion: 1,
              data: { driverPersonId: named },
              metadata: {},
            },
          ],
        },
      ]);
    });
  });

  it('refuses a grace time that is no positive number of hours; within the grace time removes nothing', async () => {
    expect((await run('people-sweep', '--older-than', '-1')).code).toBe(1);
    const recent = await run('people-sweep');
    expect(recent).toMatchObject({
      code: 0,
      out: [expect.stringMatching(/^0 person record\(s\) .*: 0 referenced by no event removed$/)],
    });
  });

  it('removes the record no event names and keeps the named one', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const swept = await run('people-sweep', '--older-than', '0.000001');
    expect(swept.code).toBe(0);
    expect(swept.out).toEqual([
      `removed ${orphan}`,
      expect.stringMatching(/^2 person record\(s\) .*1 event\(s\): 1 referenced by no event removed$/),
    ]);
    await withStore(async (store) => {
      const left = await store.personalData.read([orphan, named]);
      expect([...left.keys()]).toEqual([named]);
    });
  });
});
