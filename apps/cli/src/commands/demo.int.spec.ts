import { verifyStreamIntegrity } from '@wasteflow/event-store';
import { TokenService } from '@wasteflow/ledger';
import { useSqliteCli } from '../testing/sqlite-cli';

describe('wasteflow demo (in-process, SQLite)', () => {
  const { run, withStore } = useSqliteCli('wasteflow-demo-');

  it('fills a fresh store with Hangzhou flows, hash-chained, and prints a regulator token for it; refuses a second time', async () => {
    const first = await run('demo', '--events', '1500');
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/wrote 1,5\d\d events: \d+ parties, \d+ batches, \d+ manifests, 2025-01/);
    await withStore(async (store) => {
      const events = await store.readAll();
      expect(events.length).toBeGreaterThanOrEqual(1500);
      const types = new Set(events.map((event) => event.type));
      for (const type of [
        'PartyRegistered',
        'PermitGranted',
        'WasteGenerated',
        'ManifestIssued',
        'ManifestReceived',
        'WasteDisposed',
      ])
        expect(types).toContain(type);
      const districts = new Set(
        events
          .filter((e) => e.type === 'PartyRegistered')
          .map((e) => (e.data as { districtCode: string }).districtCode),
      );
      expect(districts.size).toBe(13);
      const batch = events.find((e) => e.type === 'WasteGenerated')?.stream as string;
      expect(verifyStreamIntegrity(await store.readStream(batch)).verified).toBe(true);
      const principal = await new TokenService(store).authenticate(first.out[0]);
      expect(principal).toMatchObject({ kind: 'regulator', districts: ['3301'] });
    });
    const second = await run('demo', '--events', '1500');
    expect(second.code).not.toBe(0);
    expect(second.err).toMatch(/fresh data directory/);
  }, 120_000);
});
