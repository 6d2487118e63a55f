import fc from 'fast-check';
import { checkJsonLimits, type JsonLimits } from './json-limits';

const LIMITS: JsonLimits = { maxDepth: 4, maxKeysPerObject: 3, maxItemsPerArray: 3, maxValues: 20 };
const ROOMY: JsonLimits = { maxDepth: 1000, maxKeysPerObject: 1e6, maxItemsPerArray: 1e6, maxValues: 1e7 };

function nest(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

describe('JSON limits, checked before parsing', () => {
  it('accepts a text within every limit', () => {
    expect(checkJsonLimits('{"a":[1,2,{"b":"}"}],"c":"\\"{["}', LIMITS)).toBeUndefined();
    expect(checkJsonLimits(nest(4), LIMITS)).toBeUndefined();
    expect(checkJsonLimits('[[],[],[]]', LIMITS)).toBeUndefined();
  });

  it('refuses nesting past the depth, naming where', () => {
    expect(checkJsonLimits(nest(5), LIMITS)).toEqual({
      rule: 'body-too-deep',
      field: 'a.a.a.a',
      message: 'the body nests deeper than 4 levels',
    });
    expect(checkJsonLimits('[[[[[1]]]]]', LIMITS)).toMatchObject({
      rule: 'body-too-deep',
      field: '[0][0][0][0]',
    });
  });

  it('refuses an object with too many keys and an array with too many elements', () => {
    expect(checkJsonLimits('{"x":{"a":1,"b":2,"c":3,"d":4}}', LIMITS)).toEqual({
      rule: 'too-many-keys',
      field: 'x',
      message: 'an object has more than 3 keys',
    });
    expect(checkJsonLimits('{"lines":[{},{},{},{}]}', LIMITS)).toMatchObject({
      rule: 'too-many-items',
      field: 'lines',
    });
    expect(checkJsonLimits('[1,2,3,4]', LIMITS)).toMatchObject({ rule: 'too-many-items', field: 'body' });
  });

  it('refuses more values than the whole body may hold', () => {
    const text = JSON.stringify({
      a: [1, 2, 3],
      b: [1, 2, 3],
      c: [
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ],
    });
    expect(checkJsonLimits(text, { ...LIMITS, maxValues: 12 })).toMatchObject({
      rule: 'too-many-values',
      field: 'body',
    });
  });

  it('refuses a key given twice, also when spelled with an escape, and names it', () => {
    expect(checkJsonLimits('{"massKg":1,"massKg":2}', LIMITS)).toMatchObject({
      rule: 'duplicate-key',
      field: 'massKg',
    });
    expect(checkJsonLimits('{"l":[{"a":1,"\\u0061":2}]}', LIMITS)).toMatchObject({
      rule: 'duplicate-key',
      field: 'l[0].a',
    });
    // the same key in two objects is fine
    expect(checkJsonLimits('{"l":[{"a":1},{"a":2}]}', LIMITS)).toBeUndefined();
  });

  it('refuses a leading byte order mark', () => {
    expect(checkJsonLimits('\ufeff{}', LIMITS)).toMatchObject({ rule: 'body-bom', field: 'body' });
  });

  it('keeps the path short whatever the keys are', () => {
    const key = 'k'.repeat(10_000);
    const violation = checkJsonLimits(`{"${key}":${nest(4)}}`, LIMITS);
    expect(violation?.rule).toBe('body-too-deep');
    expect(violation?.field.length).toBeLessThan(100);
  });

  it('finds no violation in any JSON.stringify output within roomy limits (strings with brackets, quotes, escapes)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(checkJsonLimits(JSON.stringify(value), ROOMY)).toBeUndefined();
      }),
      { seed: 20260302, numRuns: 300 },
    );
  });

  it('counts depth, keys and elements as JSON.parse reads them', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value, null, 1);
        const measured = measure(JSON.parse(text) as unknown);
        const limits: JsonLimits = {
          maxDepth: Math.max(1, measured.depth),
          maxKeysPerObject: Math.max(1, measured.keys),
          maxItemsPerArray: Math.max(1, measured.items),
          maxValues: measured.values,
        };
        expect(checkJsonLimits(text, limits)).toBeUndefined();
        if (measured.depth > 1)
          expect(checkJsonLimits(text, { ...limits, maxDepth: measured.depth - 1 })?.rule).toBe(
            'body-too-deep',
          );
        if (measured.values > 1)
          expect(checkJsonLimits(text, { ...limits, maxValues: measured.values - 1 })).toBeDefined();
      }),
      { seed: 20260303, numRuns: 300 },
    );
  });

  it('stops at the first limit broken (a 100,000-key object is refused at its 1,001st key)', () => {
    const text = `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(checkJsonLimits(text, { ...ROOMY, maxKeysPerObject: 1000 })).toMatchObject({
      rule: 'too-many-keys',
      field: 'body',
    });
  });
});

interface Shape {
  depth: number;
  keys: number;
  items: number;
  values: number;
}

function measure(value: unknown, depth = 0): Shape {
  const shape: Shape = { depth, keys: 0, items: 0, values: 1 };
  if (value === null || typeof value !== 'object') return shape;
  shape.depth = depth + 1;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  if (Array.isArray(value)) shape.items = value.length;
  else shape.keys = children.length;
  for (const child of children) {
    const inner = measure(child, depth + 1);
    shape.depth = Math.max(shape.depth, inner.depth);
    shape.keys = Math.max(shape.keys, inner.keys);
    shape.items = Math.max(shape.items, inner.items);
    shape.values += inner.values;
  }
  return shape;
}
