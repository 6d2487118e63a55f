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
