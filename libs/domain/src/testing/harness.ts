import { checkStream, foldStream, type StreamConsistency } from '../consistency';
import { DomainError, type ErrorDetails } from '../errors';
import type { DomainEvent } from '../events/domain-event';

/**
 * A small given/when/then harness over any decider (decide, evolve, initial state). Framework-free: a
 * mismatch throws an Error with both sides printed, so it works under any test runner.
 *
 *   const { given } = deciderSpec({ decide: decideSplitBatch, evolve: evolveBatch, initialState: initialBatchState });
 *   given(aHazardousBatch()).when(splitCommand({ partsGrams: [1000] })).then([...]);
 *   given([]).when(cmd).thenThrows(BatchNotFound);
 */
export interface Decider<C, S, E, R> {
  readonly decide: (command: C, state: S) => R;
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}

export interface Then<R> {
  /** Asserts the result equals `expected` (canonical JSON: byte-identical as stored); returns the result. */
  then(expected: R): R;
  /** Asserts the result satisfies `check` (which may throw); returns the result. */
  thenAssert(check: (result: R) => void): R;
  /** Asserts the decision throws an instance of `errorClass` (and details matching `details`, when given). */
  thenThrows<T extends DomainError>(
    errorClass: abstract new (...args: never[]) => T,
    details?: Partial<ErrorDetails>,
  ): T;
  /** The raw result (throws what decide throws). */
  result(): R;
}

export function deciderSpec<C, S, E, R>(decider: Decider<C, S, E, R>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce(decider.evolve, decider.initialState);
      return {
        state,
        when(command: C): Then<R> {
          return thenOf(() => decider.decide(command, state));
        },
      };
    },
  };
}

/**
 * given a recorded stream, when it is folded (`evolve`, which never fails: the state the ledger decides
 * on) or checked (`checkStream`: whether its facts fit together), then …
 *
 *   givenStream(batchStream(code), [generated, generated]).whenChecked().then({ consistent: false, … });
 */
export function givenStream(stream: string, events: readonly DomainEvent[]) {
  return {
    events,
    whenFolded(): Then<unknown> {
      return thenOf(() => foldStream(stream, events));
    },
    whenChecked(): Then<StreamConsistency> {
      return thenOf(() => checkStream(stream, events));
    },
  };
}

/** given/when/then over an arbitrary state (e.g. a World of several aggregates). */
export function givenState<S>(state: S) {
  return {
    state,
    when<R>(act: (state: S) => R): Then<R> {
      return thenOf(() => act(state));
    },
  };
}

export function thenOf<R>(act: () => R): Then<R> {
  return {
    then(expected: R): R {
      const actual = act();
      const a = canonicalJson(actual, 2);
      const e = canonicalJson(expected, 2);
      if (a !== e) throw new Error(`events differ\n--- expected\n${e}\n--- actual\n${a}`);
      return actual;
    },
    thenAssert(check: (result: R) => void): R {
      const actual = act();
      check(actual);
      return actual;
    },
    thenThrows<T extends DomainError>(
      errorClass: abstract new (...args: never[]) => T,
      details?: Partial<ErrorDetails>,
    ): T {
      let outcome: unknown;
      try {
        outcome = act();
      } catch (error) {
        if (!(error instanceof errorClass)) {
          throw new Error(
            `expected ${errorClass.name} but got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
            { cause: error },
          );
        }
        if (details) {
          for (const [key, value] of Object.entries(details)) {
            if (canonicalJson(error.details[key]) !== canonicalJson(value)) {
              throw new Error(
                `${errorClass.name}.details.${key}: expected ${canonicalJson(value)}, got ${canonicalJson(error.details[key])}`,
                { cause: error },
              );
            }
          }
        }
        return error;
      }
      throw new Error(
        `expected ${errorClass.name} but the decision succeeded with ${canonicalJson(outcome, 2)}`,
      );
    },
    result: act,
  };
}

/** JSON with object keys sorted (arrays keep their order; undefined members dropped as JSON does). */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Map) return sortKeys(Object.fromEntries(value));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
