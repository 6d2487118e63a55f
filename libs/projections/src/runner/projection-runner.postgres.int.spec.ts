import { runnerScenarios } from '../../test/runner-scenarios';
import { describePostgres } from '../../test/support';

describePostgres('ProjectionRunner on PostgreSQL', () => {
  runnerScenarios('postgres', __filename);
});
