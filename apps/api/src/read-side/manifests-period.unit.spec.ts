import { periodBound } from './manifests.controller';

describe('manifest list periods', () => {
  it('reads period bounds as CST months, days or instants (to: exclusive end)', () => {
    expect(new Date(periodBound('from', '2026-03') as number).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(periodBound('to', '2026-03') as number).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(new Date(periodBound('to', '2026-12') as number).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(new Date(periodBound('from', '2026-03-02') as number).toISOString()).toBe(
      '2026-03-01T16:00:00.000Z',
    );
    expect(new Date(periodBound('to', '2026-03-02') as number).toISOString()).toBe(
      '2026-03-02T16:00:00.000Z',
    );
    expect(periodBound('to', '2026-03-02T10:00:00+08:00')).toBe(Date.parse('2026-03-02T02:00:00Z') + 1);
    expect(periodBound('from', undefined)).toBeUndefined();
    for (const bad of ['2026-13', '2026-02-30', 'March', '2026-03-02T10:00'])
      expect(() => periodBound('from', bad)).toThrow();
  });
});
