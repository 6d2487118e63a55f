import { runnerScenarios } from '../../test/runner-scenarios';

describe('ProjectionRunner on SQLite', () => {
  runnerScenarios('sqlite', __filename);
});
