import { matchesFilter, normalizeFilter } from './event-filter';

describe('event filters', () => {
  const matches = (filter: Parameters<typeof normalizeFilter>[0], stream: string, type = 'T'): boolean =>
    matchesFilter(normalizeFilter(filter), stream, type);

  it('treats a stream whose name starts with $ like any other', () => {
    expect(matches(undefined, 'batch-1')).toBe(true);
    expect(matches(undefined, '$manifest-serial-20263301')).toBe(true);
    expect(matches({ streamPrefixes: [''] }, '$manifest-serial-20263301')).toBe(true);
    expect(matches({ streamPrefixes: ['batch'] }, '$manifest-serial-20263301')).toBe(false);
    expect(matches({ streamPrefixes: ['$'] }, '$manifest-serial-20263301')).toBe(true);
    expect(matches({ eventTypes: ['T'] }, '$manifest-serial-20263301')).toBe(true);
  });

  it('combines types and prefixes', () => {
    expect(matches({ eventTypes: ['A', 'B'], streamPrefixes: ['batch-'] }, 'batch-1', 'B')).toBe(true);
    expect(matches({ eventTypes: ['A', 'B'], streamPrefixes: ['batch-'] }, 'party-1', 'B')).toBe(false);
    expect(matches({ eventTypes: ['A'] }, 'batch-1', 'B')).toBe(false);
    expect(matches({ eventTypes: [] }, 'batch-1', 'B')).toBe(false);
    expect(matches({ streamPrefixes: [] }, 'batch-1')).toBe(false);
  });
});
