import { matchesFilter, normalizeFilter } from './event-filter';

describe('event filters', () => {
  const matches = (filter: Parameters<typeof normalizeFilter>[0], stream: string, type = 'T'): boolean =>
    matchesFilter(normalizeFilter(filter), stream, type);

  it('hides $ streams unless a $ prefix names them', () => {
    expect(matches(undefined, 'batch-1')).toBe(true);
    expect(matches(undefined, '$checkpoint-x')).toBe(false);
    expect(matches({ streamPrefixes: [''] }, '$checkpoint-x')).toBe(false);
    expect(matches({ streamPrefixes: ['batch'] }, '$checkpoint-x')).toBe(false);
    expect(matches({ streamPrefixes: ['$'] }, '$checkpoint-x')).toBe(true);
    expect(matches({ streamPrefixes: ['$check'] }, '$checkpoint-x')).toBe(true);
    expect(matches({ eventTypes: ['T'] }, '$checkpoint-x')).toBe(false);
  });

  it('combines types and prefixes', () => {
    expect(matches({ eventTypes: ['A', 'B'], streamPrefixes: ['batch-'] }, 'batch-1', 'B')).toBe(true);
    expect(matches({ eventTypes: ['A', 'B'], streamPrefixes: ['batch-'] }, 'party-1', 'B')).toBe(false);
    expect(matches({ eventTypes: ['A'] }, 'batch-1', 'B')).toBe(false);
    expect(matches({ eventTypes: [] }, 'batch-1', 'B')).toBe(false);
    expect(matches({ streamPrefixes: [] }, 'batch-1')).toBe(false);
  });
});
