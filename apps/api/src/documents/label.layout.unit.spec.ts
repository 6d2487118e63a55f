import { publicUrlOf } from '../config/api-config';
import { textWidth, wrapText } from './cjk-font';
import { parseHazards } from './hazard-pictograms';
import { digitalIdentificationCode } from './label-facts';
import { labelPage, labelSheet, type LabelFacts } from './label.layout';

const facts: LabelFacts = {
  traceCode: '330106H260302ABCDEFGHX',
  traceUrl: 'https://example.cn/v1/trace/x',
  size: 100,
};

describe('label layout', () => {
  it('reads the catalogue hazard cell in every form it takes (T/C/I/R, "T,I,R", In, empty)', () => {
    expect(parseHazards('T/C/I/R')).toEqual(['T', 'C', 'I', 'R']);
    expect(parseHazards('T,I,R')).toEqual(['T', 'I', 'R']);
    expect(parseHazards('In')).toEqual(['In']);
    expect(parseHazards('I, T')).toEqual(['T', 'I']);
    expect(parseHazards('')).toEqual([]);
    expect(parseHazards(undefined)).toEqual([]);
  });

  it('composes the 数字识别码: USCC + code digits + date + four-digit serial', () => {
    expect(digitalIdentificationCode('91330106MA2GEN0013', '900-249-08', '2026-03-02', 7)).toBe(
      '91330106MA2GEN0013' + '90024908' + '20260302' + '0007',
    );
  });

  it('wraps Chinese text within the width, keeps Latin runs whole, and ends a cut text with an ellipsis', () => {
    const lines = wrapText(
      '废矿物油与含矿物油废物 HW08 900-249-08 车辆维修保养过程中产生的废发动机油',
      3,
      { first: 30, rest: 40 },
      2,
    );
    expect(lines).toHaveLength(2);
    expect(textWidth(lines[0], 3)).toBeLessThanOrEqual(30);
    expect(textWidth(lines[1], 3)).toBeLessThanOrEqual(40);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(wrapText('HW08', 3, { first: 30, rest: 30 }, 2)).toEqual(['HW08']);
  });

  it('draws a blank line for every field the facts lack, and scales the same label to 150 and 200 mm', () => {
    const page = labelPage(facts);
    const blanks = page.shapes.filter((s) => s.kind === 'line' && s.lineWidth === 0.2);
    expect(blanks.length).toBeGreaterThanOrEqual(12);
    const big = labelPage({ ...facts, size: 200 });
    expect(big.widthMm).toBe(200);
    expect(big.shapes).toHaveLength(page.shapes.length);
  });

  it('puts four 100 mm labels on an A4 sheet, one 150 mm label, and starts a new sheet when full', () => {
    expect(labelSheet(Array(5).fill(facts))).toHaveLength(2);
    expect(labelSheet(Array(2).fill({ ...facts, size: 150 }))).toHaveLength(2);
  });

  it('takes the public URL from the setting only, refusing what is not an http(s) base', () => {
    expect(publicUrlOf(undefined, 3000)).toBe('http://localhost:3000');
    expect(publicUrlOf('https://trace.example.cn/zj/', 3000)).toBe('https://trace.example.cn/zj');
    expect(() => publicUrlOf('ftp://x', 3000)).toThrow(/WASTEFLOW_PUBLIC_URL/);
    expect(() => publicUrlOf('https://x/?a=1', 3000)).toThrow(/WASTEFLOW_PUBLIC_URL/);
    expect(() => publicUrlOf('not a url', 3000)).toThrow(/WASTEFLOW_PUBLIC_URL/);
  });
});
