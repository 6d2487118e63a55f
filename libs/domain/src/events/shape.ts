/**
 * Shapes: cheap run-time checks that stored event data has the shape of its TypeScript type. A shape
 * answers `undefined` (fits) or the first problem, as [path, reason]; it never copies or changes the data.
 *
 * A shape is invariant in its type, and `record<T>()` wants one shape for every key of T (an optional key
 * an `optional(…)` one): the compiler then proves each event's shape is exactly its data interface — a field
 * added to the interface and not to the shape, or made optional in one and not the other, fails the build.
 */
export type Problem = readonly [path: string, reason: string];

export interface Shape<T> {
  readonly check: (value: unknown) => Problem | undefined;
  /** Phantom (never set): makes Shape<T> invariant in T, so shapes are compared with their types exactly. */
  readonly type?: (value: T) => T;
}

function leaf<T>(fits: (value: unknown) => boolean, reason: string): Shape<T> {
  const problem: Problem = ['', reason];
  return { check: (value) => (fits(value) ? undefined : problem) };
}

export const text: Shape<string> = leaf((v) => typeof v === 'string', 'not a string');
export const flag: Shape<boolean> = leaf((v) => typeof v === 'boolean', 'not a boolean');
export const finite: Shape<number> = leaf((v) => typeof v === 'number' && Number.isFinite(v), 'not a number');
/** A whole number ≥ 0 (grams, indices). */
export const whole: Shape<number> = leaf(
  (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  'not a whole number ≥ 0',
);
/** A whole number of either sign (a signed mass delta). */
export const signedWhole: Shape<number> = leaf((v) => Number.isSafeInteger(v), 'not a whole number');

export function oneOf<const T extends string>(values: readonly T[]): Shape<T> {
  const known = new Set<unknown>(values);
  return leaf((v) => known.has(v), `not one of ${values.join(', ')}`);
}

export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return { check: (value) => (value === undefined ? undefined : shape.check(value)) };
}

function within(step: string, problem: Problem): Problem {
  const [path, reason] = problem;
  return [path === '' ? step : path.startsWith('[') ? `${step}${path}` : `${step}.${path}`, reason];
}

export function list<T>(item: Shape<T>): Shape<readonly T[]> {
  return {
    check(value) {
      if (!Array.isArray(value)) return ['', 'not a list'];
      for (let i = 0; i < value.length; i++) {
        const problem = item.check(value[i]);
        if (problem) return within(`[${i}]`, problem);
      }
      return undefined;
    },
  };
}

/** One shape per key of T, optional keys included. */
export type Fields<T> = { readonly [K in keyof T]-?: Shape<T[K]> };

/** An object with (at least) these fields; fields not named are not checked (an upcast may leave some). */
export function record<T>(fields: Fields<T>): Shape<T> {
  const entries = Object.entries(fields) as [string, Shape<unknown>][];
  return {
    check(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['', 'not an object'];
      for (const [key, shape] of entries) {
        const problem = shape.check((value as Record<string, unknown>)[key]);
        if (problem) return within(key, problem);
      }
      return undefined;
    },
  };
}

/** `path: reason`, or the reason alone at the top. */
export function describeProblem([path, reason]: Problem): string {
  return path === '' ? reason : `${path}: ${reason}`;
}
