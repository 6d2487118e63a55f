import { AGGREGATES, type Aggregate } from './aggregates';
import type { DomainError } from './domain-error';
import type { DomainEvent } from './events/domain-event';
import { aggregateOf, streamOf } from './events/event-catalogue';
import { parseStream, type AggregateKind } from './streams';

/**
 * Stream consistency, apart from folding: `evolve` never fails (fold.ts), so whether a stream's recorded
 * facts fit together is asked here — by `wasteflow verify`, the audit endpoint and the property tests.
 */
export interface StreamIssue {
  /** Position of the event in the stream (its revision, for a stream read from the start). */
  readonly revision: number;
  readonly type: string;
  /** `event-not-applicable`, or the rule of the fault that kept the event from being read. */
  readonly rule: string;
  readonly reason: string;
}

export interface StreamConsistency {
  readonly stream: string;
  readonly consistent: boolean;
  readonly eventsChecked: number;
  readonly issues: readonly StreamIssue[];
}

/**
 * Checks a domain stream event by event, from revision 0, keeping only the folded state: for a log read in
 * global order, one checker per stream. Every event must be of the stream's aggregate, name this stream,
 * and fit the state the events before it left (a creation first, a step only where the state allows it,
 * masses that add up).
 */
export class StreamChecker {
  private readonly aggregate: Aggregate<AggregateKind> | undefined;
  private folded: unknown;
  private revision = 0;
  private readonly found: StreamIssue[] = [];

  constructor(readonly stream: string) {
    const kind = parseStream(stream)?.kind;
    this.aggregate =
      kind === undefined ? undefined : (AGGREGATES[kind] as unknown as Aggregate<AggregateKind>);
    this.folded = this.aggregate?.initial;
  }

  /** The state folded so far (undefined for a stream that is not a party, batch or manifest stream). */
  get state(): unknown {
    return this.folded;
  }

  /** Checks and folds the next event; returns its issues (none when it fits). */
  add(event: DomainEvent): readonly StreamIssue[] {
    const revision = this.revision++;
    if (!this.aggregate) return [];
    const issue = (reason: string): StreamIssue => ({
      revision,
      type: event.type,
      rule: 'event-not-applicable',
      reason,
    });
    const kind = aggregateOf(event);
    if (kind !== this.aggregate.kind)
      return this.record([issue(`a ${kind} event in a ${this.aggregate.kind} stream`)]);
    const issues: StreamIssue[] = [];
    const owner = streamOf(event);
    if (owner !== this.stream) issues.push(issue(`the event is about ${owner}`));
    const step = this.aggregate.step as (
      state: unknown,
      event: DomainEvent,
    ) => { state: unknown; problems: readonly string[] };
    const folded = step(this.folded, event);
    this.folded = folded.state;
    for (const problem of folded.problems) issues.push(issue(problem));
    return this.record(issues);
  }

  /** An event that could not be read (a fault of decoding): reported with its rule, and not folded. */
  unreadable(type: string, error: Pick<DomainError, 'rule' | 'message'>): readonly StreamIssue[] {
    return this.record([{ revision: this.revision++, type, rule: error.rule, reason: error.message }]);
  }

  result(): StreamConsistency {
    return {
      stream: this.stream,
      consistent: this.found.length === 0,
      eventsChecked: this.revision,
      issues: [...this.found],
    };
  }

  private record(issues: StreamIssue[]): readonly StreamIssue[] {
    this.found.push(...issues);
    return issues;
  }
}

/** The consistency of a whole stream (or of a prefix read from revision 0). */
export function checkStream(stream: string, events: readonly DomainEvent[]): StreamConsistency {
  const checker = new StreamChecker(stream);
  for (const event of events) checker.add(event);
  return checker.result();
}

/** The state a stream folds to (what the ledger decides on), consistent or not. */
export function foldStream(stream: string, events: readonly DomainEvent[]): unknown {
  const checker = new StreamChecker(stream);
  for (const event of events) checker.add(event);
  return checker.state;
}
