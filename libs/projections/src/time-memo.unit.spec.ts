import { cstMonth, manifestDueAt, parseInstant, storageDueAt } from '@wasteflow/domain';
import { cstMonthOf, instantMs, manifestDueAtOf, storageDueAtOf } from './time-memo';

describe('memoised time functions', () => {
  it('answer as the domain does, asked once or again', () => {
    for (const text of ['2026-11-29T09:00:00+08:00', '2026-12-31T23:59:59.999Z', '2026-02-27T16:00:00Z']) {
      for (let i = 0; i < 2; i += 1) {
        expect(instantMs(text, 'occurredAt')).toBe(parseInstant(text, 'occurredAt'));
        expect(cstMonthOf(text, 'occurredAt')).toBe(cstMonth(parseInstant(text, 'occurredAt')));
        expect(manifestDueAtOf(text)).toBe(manifestDueAt(text));
        expect(storageDueAtOf(text)).toBe(storageDueAt(text));
      }
    }
  });

  it('do not cache a failure, and name the caller field', () => {
    expect(() => instantMs('2026-13-01T00:00:00Z', 'receivedAt')).toThrow(/receivedAt/);
    expect(() => instantMs('2026-13-01T00:00:00Z', 'occurredAt')).toThrow(/occurredAt/);
  });
});
