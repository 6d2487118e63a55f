/** Exhaustiveness check for `switch` over a union: the compiler proves the default is unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * Drops the keys whose value is `undefined`, so events and states stay byte-identical through JSON and
 * deep equality (an absent optional field is absent, never `undefined`).
 */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

/**
 * The facts `keys` of `value` as they are (those not `undefined`, as `compact` drops them): what a state
 * keeps of an event unchanged, apart from what it renames or derives.
 */
export function pick<T extends object, K extends keyof T>(value: T, ...keys: readonly K[]): Pick<T, K> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out as Pick<T, K>;
}

/** The predicate of a parser: whether `parse` takes the value (whatever it throws means no). */
export function accepts<T>(parse: (value: T) => unknown): (value: T) => boolean {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch {
      return false;
    }
  };
}

/** Deterministic string order (UTF-16 code units), independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}
