import { fixtures, type Fixture, type FixtureOptions, type ReadModelKind } from '../../../test/fixture';
import { describePostgres } from '../../../test/support';

/** Gives each test of a suite a fresh fixture (an event store and a read-model database), disposed after it. */
export type OpenFixture = (name: string, options?: FixtureOptions) => Promise<Fixture>;

/**
 * A projection's integration suite, written once and run on both read-model databases: `<title> on SQLite`,
 * and `<title> on PostgreSQL` where one is reachable (describePostgres says what happens where it is not).
 */
export function describeOnBothDatabases(
  title: string,
  testFile: string,
  suite: (open: OpenFixture, kind: ReadModelKind) => void,
): void {
  describe(`${title} on SQLite`, () => suite(fixtures('sqlite', testFile), 'sqlite'));
  describePostgres(`${title} on PostgreSQL`, () => suite(fixtures('postgres', testFile), 'postgres'));
}
