import { cstToLocalInput, formatCst, formatMass, formatRate, formatTarget, localInputToCst, nowCst } from './format';

describe('console formatting', () => {
  it('writes masses in kg below a tonne and in t from a tonne up', () => {
    expect(formatMass(0, 'zh-CN')).toBe('0 kg');
    expect(formatMass(950.125, 'en')).toBe('950.125 kg');
    expect(formatMass(1000, 'en')).toBe('1 t');
    expect(formatMass(1250.5, 'zh-CN')).toBe('1.251 t');
    expect(formatMass(12_345_678.9, 'en')).toBe('12,345.7 t');
    expect(formatMass(null, 'en')).toBe('—');
  });

  it('writes rates as percentages, never rounding a shortfall up to a met target', () => {
    expect(formatRate(0.9920031987205118, 'en')).toBe('99.2 %');
    expect(formatRate(0.99999, 'en')).toBe('99.9 %');
    expect(formatRate(1, 'zh-CN')).toBe('100 %');
    expect(formatRate(0, 'en')).toBe('0 %');
    expect(formatRate(null, 'en')).toBe('—');
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
