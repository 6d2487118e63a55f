import { InvalidValue } from '../errors';
import {
  DEFAULT_TARGETS,
  computeIndicators,
  evaluateTargets,
  targetsFor,
  type RawIndicatorMasses,
} from './indicators';

const zero: RawIndicatorMasses = {
  generated: 0,
  utilised: 0,
  landfilled: 0,
  incinerated: 0,
  otherDisposed: 0,
  utilisedFromPriorStock: 0,
  treatedFromPriorStock: 0,
};

describe('indicators (DESIGN.md §3)', () => {
  it('computes the rates from raw masses', () => {
    const i = computeIndicators({
      generated: 1000,
      utilised: 600,
      landfilled: 30,
      incinerated: 300,
      otherDisposed: 70,
      utilisedFromPriorStock: 200,
      treatedFromPriorStock: 250,
    });
    expect(i.disposed).toBe(400);
    expect(i.utilisationRate).toBe(600 / 1200);
    expect(i.landfillRate).toBe(30 / 1000);
    expect(i.treatedRate).toBe(1000 / 1250);
  });

  it('gives null rates on zero denominators', () => {
    expect(computeIndicators(zero)).toMatchObject({
      utilisationRate: null,
      landfillRate: null,
      treatedRate: null,
      disposed: 0,
    });
    expect(() => computeIndicators({ ...zero, generated: -1 })).toThrow(InvalidValue);
    expect(() => computeIndicators({ ...zero, generated: 0.5 })).toThrow(InvalidValue);
  });

  it("evaluates the plan's hazardous targets: landfill < 5 % and treated = 100 %", () => {
    const good = computeIndicators({
      ...zero,
      generated: 1000,
      utilised: 500,
      incinerated: 460,
      landfilled: 40,
    });
    expect(evaluateTargets(good, 'hazardous')).toEqual([
      {
        indicator: 'landfillRate',
        comparator: '<',
        target: 0.05,
        value: 0.04,
        met: true,
        label: '工业危险废物填埋率 < 5%',
      },
      {
        indicator: 'treatedRate',
        comparator: '=',
        target: 1,
        value: 1,
        met: true,
        label: '危险废物利用处置率 100%',
      },
    ]);
    const bad = computeIndicators({ ...zero, generated: 1000, utilised: 500, landfilled: 60 });
    expect(evaluateTargets(bad, 'hazardous').map((t) => t.met)).toEqual([false, false]);
    expect(evaluateTargets(computeIndicators(zero), 'hazardous').map((t) => t.met)).toEqual([null, null]);
  });

  it('applies subtype targets to that subtype only, and targets are configuration', () => {
    expect(DEFAULT_TARGETS).toHaveLength(7);
    expect(targetsFor('agricultural', 'straw').map((t) => t.value)).toEqual([0.96]);
    expect(targetsFor('agricultural', undefined)).toEqual([]);
    const straw = computeIndicators({ ...zero, generated: 100, utilised: 96 });
    expect(evaluateTargets(straw, 'agricultural', 'straw')[0].met).toBe(true);
    expect(
      evaluateTargets(straw, 'agricultural', 'straw', [
        {
          indicator: 'utilisationRate',
          category: 'agricultural',
          subtype: 'straw',
          comparator: '>',
          value: 0.96,
        },
      ])[0],
    ).toEqual({
      indicator: 'utilisationRate',
      comparator: '>',
      target: 0.96,
      value: 0.96,
      met: false,
    });
    const construction = computeIndicators({ ...zero, generated: 100, utilised: 89 });
    expect(evaluateTargets(construction, 'construction')[0].met).toBe(false);
  });
});
