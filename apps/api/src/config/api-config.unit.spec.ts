import { DEFAULT_TARGETS } from '@wasteflow/domain';
import { ConfigurationError, loadApiConfig } from './api-config';

describe('api configuration', () => {
  const base = { WASTEFLOW_DATA_DIR: 'data' };

  it('takes the plan’s indicator targets when WASTEFLOW_TARGETS is unset', () => {
    expect(loadApiConfig(base).indicatorTargets).toBe(DEFAULT_TARGETS);
  });

  it('reads inline WASTEFLOW_TARGETS in place of the defaults', () => {
    const config = loadApiConfig({
      ...base,
      WASTEFLOW_TARGETS: '[{"indicator":"landfillRate","category":"hazardous","comparator":"<","value":0.03}]',
    });
    expect(config.indicatorTargets).toHaveLength(1);
    expect(config.indicatorTargets[0]).toMatchObject({ indicator: 'landfillRate', value: 0.03 });
  });

  it.each([
    ['not JSON', '[{'],
    ['a file that does not exist', '/nonexistent/targets.json'],
    ['an unknown indicator', '[{"indicator":"happiness","category":"hazardous","comparator":"<","value":1}]'],
  ])('refuses to start on %s, naming WASTEFLOW_TARGETS', (_case, setting) => {
    expect(() => loadApiConfig({ ...base, WASTEFLOW_TARGETS: setting })).toThrow(ConfigurationError);
    expect(() => loadApiConfig({ ...base, WASTEFLOW_TARGETS: setting })).toThrow(/WASTEFLOW_TARGETS/);
  });

  it('refuses a port that is not a TCP port and an unknown projections mode', () => {
    expect(() => loadApiConfig({ ...base, PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadApiConfig({ ...base, WASTEFLOW_PROJECTIONS: 'maybe' })).toThrow(/WASTEFLOW_PROJECTIONS/);
  });
});
