// `npm run test:ha` (not part of `npm test`): the PostgreSQL failover suite, with private clusters on
// loopback ports. Same transform and paths as the main config's projects.
const { projects } = require('../../jest.config.js');
const { displayName: _name, testMatch: _match, slowTestThreshold: _slow, ...common } = projects[0];

module.exports = {
  ...common,
  displayName: 'ha',
  testMatch: ['<rootDir>/test/ha/**/*.ha-spec.ts'],
  testTimeout: 300_000,
};
