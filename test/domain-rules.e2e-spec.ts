import {
  AT,
  expect201,
  expectNothingAppendedSince,
  expectProblem,
  send,
  skippedPostgres,
  storesFor,
  type PartyName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * The domain rules added after the first hostile-client review (issue 10, DESIGN §2), through the real
 * app over HTTP: each request here was answered 201 before its rule existed.
 */
const SUITE = 'domain rules after the hostile-client review (issue 10)';

describe.each(storesFor(SUITE))(`${SUITE} (%s)`, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'rules10');
  const token = (name: PartyName) => app.world.tokens[name] as string;
  const keys = () => app.build.keys;

  async function generateIndustrial(massKg = 20): Promise<string> {
    const response = await expect201(
      send(
        app.t,
        '/v1/batches',
        token('generator'),
        { category: 'industrial', subtype: 'slag', massKg, occurredAt: AT.generated },
        keys().next('industrial'),
      ),
    );
    return response.body.traceCode as string;
  }

  describe('one manifest, one kind of waste (row 9)', () => {
    it('refuses a manifest mixing hazardous and industrial batches: 422 manifest-mixes-categories, nothing appended', async () => {
      const hazardous = await app.build.generate(5);
      const industrial = await generateIndustrial();
      const before = await app.t.headPosition();
      const response = await send(
        app.t,
        '/v1/manifests',
        token('generator'),
        app.build.manifestBody([hazardous, industrial]),
        keys().next('mixed'),
      );
      const problem = expectProblem(response, 422, { rule: 'manifest-mixes-categories' });
      expect(problem.categories).toEqual(['hazardous', 'industrial']);
      await expectNothingAppendedSince(app.t, before, 'a refused mixed manifest');
      // each category on its own manifest is accepted
      await app.build.issue([hazardous]);
      await app.build.issue([industrial]);
    });
  });
});
skippedPostgres(SUITE);
