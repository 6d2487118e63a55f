import type { Scenario } from '../harness/scenario';
import { postgresAppendScenarios } from './append-postgres';
import { sqliteAppendScenarios } from './append-sqlite';
import { bulkEventLoopScenario } from './bulk-event-loop';
import { httpCommandScenarios } from './http-commands';
import { ingestScenario } from './http-ingest';
import { queryScenarios } from './queries';
import { rebuildScenarios } from './rebuild';
import { writePathScenarios } from './write-path';

/**
 * Every scenario, in the order they run and appear in RESULTS.md. Add new ones here (HTTP commands,
 * projection rebuild, queries): the harness, the reports and `--only` pick them up.
 */
export const scenarios: readonly Scenario[] = [
  ...sqliteAppendScenarios,
  ...postgresAppendScenarios,
  // The command side in this process: the write path's core and its layers.
  ...writePathScenarios,
  // The read side: rebuilds keep their last read model for the queries that follow.
  ...rebuildScenarios,
  ...queryScenarios,
  // The command side over HTTP: the real app in a child process, autocannon from this one.
  ...httpCommandScenarios,
  ingestScenario,
  bulkEventLoopScenario,
];
