import {
  cstMonth,
  manifestDeadline,
  parseInstant,
  storageDueAt,
  type Deadline,
  type WorkingCalendar,
} from '@wasteflow/domain';

/**
 * The domain's time functions that projections call on an event's instants, memoised by their input text.
 * Projections ask the same question of the same event again and again: a receipt's `occurredAt` is parsed
 * by the manifests, the inventory and the alerts, a treatment's by the indicators and the alerts, a pickup's
 * deadline is computed by the manifests and the alerts; parsing an ISO 8601 instant allocates (a RegExp
 * match, calendar checks), about a sixth of what a replay allocated. Every projection applies a page of
 * events before the next page, so a small cache catches the repeats.
 *
 * These are pure functions of a string: a cached answer is the answer, so evolve stays deterministic. A
 * failure is not cached (it is thrown again, with the caller's field name).
 */
class TextMemo<T> {
  private readonly answers = new Map<string, T>();

  constructor(private readonly limit = 8192) {}

  get(text: string, compute: () => T): T {
    let answer = this.answers.get(text);
    if (answer === undefined) {
      answer = compute();
      // Cleared rather than evicted one by one: the repeats it serves are a page apart at most.
      if (this.answers.size >= this.limit) this.answers.clear();
      this.answers.set(text, answer);
    }
    return answer;
  }
}

const instants = new TextMemo<number>();
const months = new TextMemo<string>();
/** One memo per calendar (a process has one; tests may pass several). */
const manifestDeadlines = new WeakMap<WorkingCalendar, TextMemo<Deadline>>();
const storageDeadlines = new TextMemo<string>();

/** `parseInstant(text, field)`: epoch milliseconds of an ISO 8601 instant. */
export function instantMs(text: string, field: string): number {
  return instants.get(text, () => parseInstant(text, field));
}

/** The CST month ('YYYY-MM') of an instant. */
export function cstMonthOf(text: string, field: string): string {
  return months.get(text, () => cstMonth(instantMs(text, field)));
}

/** `manifestDeadline(pickedUpAt, calendar)` with the default 5 working days. */
export function manifestDeadlineOf(pickedUpAt: string, calendar: WorkingCalendar): Deadline {
  let memo = manifestDeadlines.get(calendar);
  if (memo === undefined) {
    memo = new TextMemo<Deadline>();
    manifestDeadlines.set(calendar, memo);
  }
  return memo.get(pickedUpAt, () => manifestDeadline(pickedUpAt, calendar));
}

/** `storageDueAt(storageSince)` with the default year. */
export function storageDueAtOf(storageSince: string): string {
  return storageDeadlines.get(storageSince, () => storageDueAt(storageSince));
}
