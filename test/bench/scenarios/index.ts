import type { Scenario } from '../harness/scenario';
import { postgresAppendScenarios } from './append-postgres';
import { sqliteAppendScenarios } from './append-sqlite';

/**
 * Every scenario, in the order they run and appear in RESULTS.md. Add new ones here (HTTP commands,
 * projection rebuild, queries): the harness, the reports and `--only` pick them up.
 */
export const scenarios: readonly Scenario[] = [...sqliteAppendScenarios, ...postgresAppendScenarios];
