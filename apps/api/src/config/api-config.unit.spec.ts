import { join } from 'path';
import { DEFAULT_TARGETS, isWorkingDay } from '@wasteflow/domain';
import { ConfigurationError, loadApiConfig } from './api-config';

describe('api configuration', () => {
  const base = { WASTEFLOW_DATA_DIR: 'data' };

  it('takes the plan’s indicator targets when WASTEFLOW_TARGETS is unset', () => {
    expect(loadApiConfig(base).indicatorTargets).toBe(DEFAULT_TARGETS);
  });

  it('reads inline WASTEFLOW_TARGETS in place of the defaults', () => {
    const config = loadApiConfig({
      ...base,
      WASTEFLOW_TARGETS:
        '[{"indicator":"landfillRate","category":"hazardous","comparator":"<","value":0.03}]',
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

  it('names a bad targets setting and a bad calendar file in one error, one line each', () => {
    let error: unknown;
    try {
      loadApiConfig({
        ...base,
        WASTEFLOW_TARGETS: '[{',
        WASTEFLOW_WORKDAY_CALENDAR: '/nonexistent/cn-workdays.csv',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems } = error as ConfigurationError;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^WASTEFLOW_TARGETS: not JSON/);
    expect(problems[1]).toMatch(/^WASTEFLOW_WORKDAY_CALENDAR=\/nonexistent\/cn-workdays\.csv: cannot read/);
  });

  it('refuses a port that is not a TCP port and an unknown projections mode', () => {
    expect(() => loadApiConfig({ ...base, PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadApiConfig({ ...base, WASTEFLOW_PROJECTIONS: 'maybe' })).toThrow(/WASTEFLOW_PROJECTIONS/);
  });

  it('delivers the webhooks only when it runs the projections: with them off, apps/projector delivers', () => {
    expect(loadApiConfig(base).webhooks.deliver).toBe(true);
    expect(loadApiConfig({ ...base, WASTEFLOW_WEBHOOK_DELIVERY: 'off' }).webhooks.deliver).toBe(false);
    expect(loadApiConfig({ ...base, WASTEFLOW_PROJECTIONS: 'off' }).webhooks.deliver).toBe(false);
    expect(
      loadApiConfig({ ...base, WASTEFLOW_PROJECTIONS: 'off', WASTEFLOW_WEBHOOK_DELIVERY: 'off' }).webhooks
        .deliver,
    ).toBe(false);
    expect(() =>
      loadApiConfig({ ...base, WASTEFLOW_PROJECTIONS: 'off', WASTEFLOW_WEBHOOK_DELIVERY: 'on' }),
    ).toThrow(
      /WASTEFLOW_WEBHOOK_DELIVERY=on is refused here: with WASTEFLOW_PROJECTIONS=off, apps\/projector delivers/,
    );
  });

  it('takes the links it prints from WASTEFLOW_PUBLIC_URL only (localhost:PORT unset), refusing anything but a plain http(s) URL', () => {
    expect(loadApiConfig({ ...base, PORT: '3100' }).publicUrl).toBe('http://localhost:3100');
    expect(loadApiConfig({ ...base, WASTEFLOW_PUBLIC_URL: 'https://trace.example.cn/wf/' }).publicUrl).toBe(
      'https://trace.example.cn/wf',
    );
    for (const bad of [
      'javascript:alert(1)',
      'trace.example.cn',
      'ftp://x.cn',
      'https://u:p@x.cn',
      'https://x.cn/?a=1',
      'https://x.cn/#f',
    ])
      expect(() => loadApiConfig({ ...base, WASTEFLOW_PUBLIC_URL: bad })).toThrow(/WASTEFLOW_PUBLIC_URL/);
  });

  describe('the working-day calendar (WASTEFLOW_WORKDAY_CALENDAR, else the bundled calendar/cn-workdays.csv)', () => {
    const fixture = (name: string) =>
      join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'calendar', name);

    it('loads the bundled calendar when unset: 2025 and 2026', () => {
      const { calendar } = loadApiConfig(base).reference;
      expect(calendar.years).toEqual([2025, 2026]);
      expect(isWorkingDay('2026-10-01', calendar)).toBe(false);
    });

    it('loads the file it names instead', () => {
      const { calendar } = loadApiConfig({
        ...base,
        WASTEFLOW_WORKDAY_CALENDAR: fixture('one-holiday.csv'),
      }).reference;
      expect(isWorkingDay('2026-03-03', calendar)).toBe(false);
      expect(isWorkingDay('2026-10-01', calendar)).toBe(true); // not a holiday of this file
    });

    it.each([
      ['a file that does not exist', '/nonexistent/cn-workdays.csv', /cannot read the working-day calendar/],
      [
        'a bad row (a Monday listed as a working weekend day)',
        'bad-line-3.csv',
        /line 3: 2026-10-12 is a weekday/,
      ],
    ])('refuses to start on %s, in one line naming the setting', (_case, file, reason) => {
      const path = file.startsWith('/') ? file : fixture(file);
      const start = () => loadApiConfig({ ...base, WASTEFLOW_WORKDAY_CALENDAR: path });
      expect(start).toThrow(ConfigurationError);
      expect(start).toThrow(
        new RegExp(`^WASTEFLOW_WORKDAY_CALENDAR=${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `),
      );
      expect(start).toThrow(reason);
    });
  });
});
