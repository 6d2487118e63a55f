import fc from 'fast-check';
import { ChildIndexExhausted, InvalidTraceCode } from '../errors';
import { CROCKFORD_ALPHABET, encodeCrockford } from './crockford';
import { MOD37_2_CHECK_SYMBOLS } from './check-character';
import { HANGZHOU_DISTRICTS } from './district';
import { WASTE_CATEGORIES } from './category';
import {
  MAX_CHILD_INDEX,
  ROOT_TRACE_CODE_LENGTH,
  TRACE_CATEGORY_LETTERS,
  childTraceCode,
  composeTraceCode,
  legacyChildTraceCode,
  formatTraceCode,
  isValidTraceCode,
  normaliseTraceCode,
  parseRandomPart,
  parseTraceCode,
} from './trace-code';

const ROOT = composeTraceCode({
  districtCode: '330106',
  category: 'hazardous',
  date: '250303',
  randomPart: '7K2M9QXA',
});

describe('trace code', () => {
  it('composes district + category letter + YYMMDD + random + check', () => {
    expect(ROOT).toHaveLength(ROOT_TRACE_CODE_LENGTH);
    expect(ROOT.slice(0, 21)).toBe('330106W2503037K2M9QXA');
    expect(parseTraceCode(ROOT)).toEqual({
      code: ROOT,
      districtCode: '330106',
      category: 'hazardous',
      date: '250303',
      randomPart: '7K2M9QXA',
      childPath: [],
    });
  });

  it('uses one letter per category, all in the Crockford alphabet', () => {
    const letters = WASTE_CATEGORIES.map((c) => TRACE_CATEGORY_LETTERS[c]);
    expect(new Set(letters).size).toBe(5);
    for (const l of letters) expect(CROCKFORD_ALPHABET).toContain(l);
  });

  it('is case-insensitive, maps I/L to 1 and O to 0, and ignores hyphens and spaces', () => {
    const sloppy = ROOT.toLowerCase();
    expect(normaliseTraceCode(sloppy)).toBe(ROOT);
    expect(normaliseTraceCode(formatTraceCode(ROOT))).toBe(ROOT);
    expect(formatTraceCode(ROOT)).toBe(`330106-W-250303-7K2M9QXA-${ROOT.slice(-1)}`);
    const withOne = composeTraceCode({
      districtCode: '330106',
      category: 'hazardous',
      date: '250303',
      randomPart: '1000000A',
    });
    expect(normaliseTraceCode(`${withOne.slice(0, 13)}l${withOne.slice(14)}`)).toBe(withOne);
    expect(normaliseTraceCode(` ${withOne.slice(0, 13)}I${withOne.slice(14)} `)).toBe(withOne);
    expect(parseRandomPart('o00000il')).toBe('00000011');
  });

  it('refuses malformed codes as invalid, never as not found (InvalidTraceCode)', () => {
    const bad = [
      '',
      ROOT.slice(0, -1),
      `${ROOT}0`,
      `${ROOT.slice(0, 6)}X${ROOT.slice(7)}`, // unknown category letter (check fails first or category refused)
      ROOT.replace('W', 'U'),
      '990106W2503037K2M9QXA0',
    ];
    for (const b of bad) expect(() => parseTraceCode(b)).toThrow(InvalidTraceCode);
    expect(() => parseTraceCode(42)).toThrow(InvalidTraceCode);
    try {
      parseTraceCode(ROOT.slice(0, -1) + (ROOT.endsWith('0') ? '1' : '0'), 'lines[2].traceCode');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTraceCode);
      expect((e as InvalidTraceCode).kind).toBe('invalid');
      expect((e as InvalidTraceCode).details.field).toBe('lines[2].traceCode');
    }
  });

  it('refuses an impossible date or district even with a right check character', () => {
    expect(() =>
      composeTraceCode({
        districtCode: '330106',
        category: 'hazardous',
        date: '250230',
        randomPart: '7K2M9QXA',
      }),
    ).toThrow(InvalidTraceCode);
    expect(() =>
      composeTraceCode({
        districtCode: '33010',
        category: 'hazardous',
        date: '250303',
        randomPart: '7K2M9QXA',
      }),
    ).toThrow(InvalidTraceCode);
    expect(() => parseRandomPart('7K2M9QX')).toThrow(InvalidTraceCode);
    expect(() => parseRandomPart('7K2M9QXU')).toThrow(InvalidTraceCode);
  });

  describe('children (DESIGN §2 Identifiers: one bounded length at any depth)', () => {
    it('keep the parent prefix (district, category, date) with their own random part and a new check: 22 characters', () => {
      const c = childTraceCode(ROOT, 'C0DE0000');
      expect(c).toHaveLength(ROOT_TRACE_CODE_LENGTH);
      expect(c.slice(0, 13)).toBe(ROOT.slice(0, 13));
      expect(parseTraceCode(c)).toEqual({
        code: c,
        districtCode: '330106',
        category: 'hazardous',
        date: '250303',
        randomPart: 'C0DE0000',
        childPath: [],
      });
      expect(() => childTraceCode(ROOT, 'C0DE')).toThrow(InvalidTraceCode);
      expect(() => childTraceCode('330106W', 'C0DE0000')).toThrow(InvalidTraceCode);
    });

    it('at depth 64 are still 22 characters, each generation distinct', () => {
      const family = [ROOT];
      for (let depth = 1; depth <= 64; depth++)
        family.push(childTraceCode(family[depth - 1], encodeCrockford(depth * 7919, 8)));
      for (const c of family) {
        expect(c).toHaveLength(ROOT_TRACE_CODE_LENGTH);
        expect(isValidTraceCode(c)).toBe(true);
      }
      expect(new Set(family).size).toBe(family.length);
    });

    it('legacy codes (parent body + 2-symbol index per generation, still stored) parse with their lineage', () => {
      const c33 = legacyChildTraceCode(ROOT, 33);
      expect(c33.slice(0, 21)).toBe(ROOT.slice(0, 21));
      expect(c33.slice(21, 23)).toBe('11');
      expect(parseTraceCode(c33)).toMatchObject({ childPath: [33], parentCode: ROOT });
      const grandchild = legacyChildTraceCode(legacyChildTraceCode(ROOT, 5), 7);
      expect(parseTraceCode(grandchild)).toMatchObject({
        childPath: [5, 7],
        parentCode: legacyChildTraceCode(ROOT, 5),
      });
      // 40 legacy generations: the 102 characters of issue 10 row 7, still a valid code
      let deep = ROOT;
      for (let i = 0; i < 40; i++) deep = legacyChildTraceCode(deep, 0);
      expect(deep).toHaveLength(102);
      expect(isValidTraceCode(deep)).toBe(true);
      expect(isValidTraceCode(legacyChildTraceCode(ROOT, MAX_CHILD_INDEX))).toBe(true);
      expect(() => legacyChildTraceCode(ROOT, MAX_CHILD_INDEX + 1)).toThrow(ChildIndexExhausted);
    });
  });

  describe('check character (property, fixed seed)', () => {
    const districts = Object.keys(HANGZHOU_DISTRICTS);
    const codeArb = fc
      .record({
        d: fc.constantFrom(...districts),
        c: fc.constantFrom(...WASTE_CATEGORIES),
        day: fc.integer({ min: 1, max: 28 }),
        month: fc.integer({ min: 1, max: 12 }),
        r: fc.array(fc.constantFrom(...CROCKFORD_ALPHABET), { minLength: 8, maxLength: 8 }),
        children: fc.array(fc.integer({ min: 0, max: MAX_CHILD_INDEX }), { maxLength: 2 }),
      })
      .map(({ d, c, day, month, r, children }) =>
        children.reduce(
          (code, i) => legacyChildTraceCode(code, i),
          composeTraceCode({
            districtCode: d,
            category: c,
            date: `25${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
            randomPart: r.join(''),
          }),
        ),
      );

    it('detects every single-character substitution', () => {
      fc.assert(
        fc.property(codeArb, (code) => {
          for (let i = 0; i < code.length; i++) {
            const symbols = i === code.length - 1 ? MOD37_2_CHECK_SYMBOLS : CROCKFORD_ALPHABET;
            for (const s of symbols) {
              if (s === code[i]) continue;
              if (isValidTraceCode(code.slice(0, i) + s + code.slice(i + 1))) return false;
            }
          }
          return true;
        }),
        { seed: 20250303, numRuns: 150 },
      );
    });

    it('detects every adjacent transposition', () => {
      fc.assert(
        fc.property(codeArb, (code) => {
          for (let i = 0; i + 1 < code.length; i++) {
            if (code[i] === code[i + 1]) continue;
            const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
            if (isValidTraceCode(swapped)) return false;
          }
          return true;
        }),
        { seed: 20250304, numRuns: 500 },
      );
    });
  });
});
