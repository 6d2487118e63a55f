import { cstToLocalInput, formatCst, formatMass, formatRate, formatTarget, localInputToCst, nowCst } from './format';

describe('console formatting', () => {
  it.each([
    // masses in kg below a tonne and in t from a tonne up
    ['mass', 0, 'zh-CN', '0 kg'],
    ['mass', 950.125, 'en', '950.125 kg'],
    ['mass', 1000, 'en', '1 t'],
    ['mass', 1250.5, 'zh-CN', '1.251 t'],
    ['mass', 12_345_678.9, 'en', '12,345.7 t'],
    ['mass', null, 'en', '—'],
    // rates as percentages, never rounding a shortfall up to a met target
    ['rate', 0.9920031987205118, 'en', '99.2 %'],
    ['rate', 0.99999, 'en', '99.9 %'],
    ['rate', 1, 'zh-CN', '100 %'],
    ['rate', 0, 'en', '0 %'],
    ['rate', null, 'en', '—'],
  ] as const)('writes the %s %p in %s as %p', (kind, value, locale, text) => {
    expect((kind === 'mass' ? formatMass : formatRate)(value, locale)).toBe(text);
  });

  it('states targets as the plan does', () => {
    expect(formatTarget('landfillRate', 0.05, 'en')).toBe('< 5 %');
    expect(formatTarget('treatedRate', 1, 'en')).toBe('= 100 %');
    expect(formatTarget('utilisationRate', 0.9, 'en')).toBe('≥ 90 %');
  });

  it('shows and takes times in China Standard Time', () => {
    expect(formatCst('2026-11-29T06:05:00Z')).toBe('2026-11-29 14:05');
    expect(nowCst(new Date('2026-11-29T06:05:07.500Z'))).toBe('2026-11-29T14:05:07+08:00');
    expect(localInputToCst('2026-11-29T14:05')).toBe('2026-11-29T14:05:00+08:00');
    expect(localInputToCst('2026-11-29T14:05:07')).toBe('2026-11-29T14:05:07+08:00');
    expect(cstToLocalInput('2026-11-29T06:05:07Z')).toBe('2026-11-29T14:05:07');
  });
});
