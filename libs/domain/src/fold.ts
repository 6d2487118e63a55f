/**
 * One step of folding a recorded event into an aggregate's state. Folding never fails: recorded facts are
 * what happened, so `evolve` always returns a state (a bad stream must still take a compensating event).
 * When the event does not fit the state it is folded into — a corrupt, misrouted or out-of-order
 * stream — the step says why in `problems`; `checkStream` (consistency.ts) reports them, `evolve` does not.
 */
export interface Folded<S> {
  readonly state: S;
  /** Why the event does not fit the state (empty when it does). */
  readonly problems: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

export function fits<S>(state: S): Folded<S> {
  return { state, problems: NONE };
}

/** The state the event leaves (possibly unchanged), and why it does not fit. */
export function misfit<S>(state: S, ...problems: string[]): Folded<S> {
  return { state, problems };
}

/** A stream's first event: it fits only a stream with nothing in it yet (`ifExists` says why not). */
export function creation<S extends { readonly status: string }>(
  state: S,
  ifExists: string,
  create: () => S,
): Folded<S> {
  return state.status === 'none' ? fits(create()) : misfit(state, ifExists);
}

/** The `evolve` of a `step`: the state the step leaves, whatever its problems (folding never fails). */
export function evolveBy<S, E>(step: (state: S, event: E) => Folded<S>): (state: S, event: E) => S {
  return (state, event) => step(state, event).state;
}
