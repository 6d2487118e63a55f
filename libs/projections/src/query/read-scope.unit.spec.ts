import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TARGETS } from '@wasteflow/domain';
import { Conditions, delimited, readScopeOf, regionRange, undelimited } from './read-scope';
import { gramsToKg } from './values';
import { TargetsConfigurationError, loadIndicatorTargets } from '../indicators/targets';

describe('query support (read scopes, values)', () => {
  it('turns a region into the range of district codes it covers', () => {
    expect(regionRange('33')).toEqual({ lo: '330000', hi: '340000' });
    expect(regionRange('3301')).toEqual({ lo: '330100', hi: '330200' });
    expect(regionRange('330106')).toEqual({ lo: '330106', hi: '330107' });
    expect(regionRange('3309')).toEqual({ lo: '330900', hi: '331000' });
    expect(() => regionRange('3301x')).toThrow();
  });

  it('prints grams as kg with at most 3 decimals, exactly', () => {
    expect(gramsToKg(0n)).toBe(0);
    expect(gramsToKg(1n)).toBe(0.001);
    expect(gramsToKg(1_234_567n)).toBe(1234.567);
    expect(gramsToKg(-20_500n)).toBe(-20.5);
    // 15 significant digits round-trip through a double: exact up to a billion tonnes
    expect(JSON.stringify(gramsToKg(999_999_999_999_999n))).toBe('999999999999.999');
    expect(gramsToKg(123)).toBe(0.123);
  });

  it('maps principals to read scopes', () => {
    expect(readScopeOf({ kind: 'auditor' })).toEqual({ kind: 'all' });
    expect(readScopeOf({ kind: 'party', partyUscc: 'X' })).toEqual({ kind: 'party', uscc: 'X' });
    expect(readScopeOf({ kind: 'regulator', districts: ['3301'], categories: ['hazardous'] })).toEqual({
      kind: 'regulator',
      regions: ['3301'],
      categories: ['hazardous'],
    });
    expect(() => readScopeOf({ kind: 'admin' })).toThrow();
  });

  it('builds conditions with named parameters; an empty scope matches nothing', () => {
    const c = new Conditions()
      .inRegions('d', ['3301', '330212'])
      .oneOf('c', ['hazardous'])
      .listHasOneOf('p', ['U']);
    expect(c.sql).toBe(
      'WHERE ((d >= :p0 AND d < :p1) OR (d >= :p2 AND d < :p3)) AND c IN (:p4) AND (p LIKE :p5)',
    );
    expect(c.params).toEqual({
      p0: '330100',
      p1: '330200',
      p2: '330212',
      p3: '330213',
      p4: 'hazardous',
      p5: '%,U,%',
    });
    expect(new Conditions().oneOf('c', []).sql).toBe('WHERE 1 = 0');
    expect(delimited(['a', 'b'])).toBe(',a,b,');
    expect(undelimited(',a,b,')).toEqual(['a', 'b']);
    expect(undelimited(',')).toEqual([]);
  });
});

describe('indicator targets (WASTEFLOW_TARGETS)', () => {
  it('are the plan’s by default', () => {
    expect(loadIndicatorTargets(undefined)).toBe(DEFAULT_TARGETS);
    expect(loadIndicatorTargets('  ')).toBe(DEFAULT_TARGETS);
  });

  it('are replaced by a JSON file or inline JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasteflow-targets-'));
    try {
      const file = join(dir, 'targets.json');
      const targets = [
        { indicator: 'landfillRate', category: 'hazardous', comparator: '<', value: 0.03, label: '市级目标' },
      ];
      writeFileSync(file, JSON.stringify(targets));
      expect(loadIndicatorTargets(file)).toEqual(targets);
      expect(
        loadIndicatorTargets(
          JSON.stringify([
            {
              indicator: 'utilisationRate',
              category: 'agricultural',
              subtype: 'straw',
              comparator: '>=',
              value: 0.96,
            },
          ]),
        ),
      ).toEqual([
        {
          indicator: 'utilisationRate',
          category: 'agricultural',
          subtype: 'straw',
          comparator: '>=',
          value: 0.96,
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a file that cannot be used, saying why', () => {
    expect(() => loadIndicatorTargets('/nonexistent/targets.json')).toThrow(TargetsConfigurationError);
    expect(() => loadIndicatorTargets('[{')).toThrow(/not JSON/);
    expect(() => loadIndicatorTargets('{"a":1}')).toThrow(/cannot read|array/);
    for (const [bad, message] of [
      [{ indicator: 'speed', category: 'hazardous', comparator: '<', value: 0.1 }, /indicator/],
      [{ indicator: 'landfillRate', category: 'toxic', comparator: '<', value: 0.1 }, /category/],
      [
        { indicator: 'landfillRate', category: 'hazardous', subtype: 'straw', comparator: '<', value: 0.1 },
        /subtype/,
      ],
      [{ indicator: 'landfillRate', category: 'hazardous', comparator: '!=', value: 0.1 }, /comparator/],
      [{ indicator: 'landfillRate', category: 'hazardous', comparator: '<', value: 5 }, /value/],
      [
        { indicator: 'landfillRate', category: 'hazardous', comparator: '<', value: 0.1, extra: 1 },
        /unknown fields extra/,
      ],
    ] as const) {
      expect(() => loadIndicatorTargets(JSON.stringify([bad]))).toThrow(message);
    }
  });
});
