/**
 * RFC 8785 (JCS) canonical JSON, byte for byte what the `canonicalize` package (2.x) produces, in less of
 * its time (docs/performance.md, "Figures moved out of code comments"): hashing canonical JSON is on the
 * path of every command (the request hash, the hash of every event appended). Object keys sorted by UTF-16 code units, no whitespace, numbers in ECMAScript
 * form, strings with JSON's minimal escaping; `toJSON` honoured; `undefined` and symbols dropped from
 * objects and `null` in arrays; NaN and infinities refused. `canonical-json.unit.spec.ts` compares the two
 * on generated values.
 */
export function canonicalJson(value: unknown): string | undefined {
  return serialize(value);
}

/** No character JSON.stringify would escape, and no surrogate (a lone one is escaped): quote as is. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be escaped
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function serialize(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.length < 256 && PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
    case 'number':
      if (Number.isNaN(value)) throw new Error('NaN is not allowed');
      if (!Number.isFinite(value)) throw new Error('Infinity is not allowed');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      const object = value as { toJSON?: unknown } & Record<string, unknown>;
      if (object.toJSON instanceof Function) return serialize((object.toJSON as () => unknown)());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          out += serialize(item === undefined || typeof item === 'symbol' ? null : item);
        }
        return `${out}]`;
      }
      const keys = Object.keys(object).sort();
      let out = '';
      for (const key of keys) {
        const item = object[key];
        if (item === undefined || typeof item === 'symbol') continue;
        out += `${out.length === 0 ? '' : ','}${serialize(key)}:${serialize(item)}`;
      }
      return `{${out}}`;
    }
    default:
      // booleans, bigint (throws as JSON.stringify does), functions and undefined as the package does
      return JSON.stringify(value);
  }
}
