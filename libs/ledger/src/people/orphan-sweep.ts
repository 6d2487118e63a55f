import type { EventStore } from '@wasteflow/event-store';

/**
 * The sweep of person records no event references (ADR 14). The use-case runner stores a command's people
 * right before its commit and removes them when the command is refused for sure; when the store fails
 * mid-commit (a crash, a lost connection) the outcome is unknown, so the records stay — and when the commit
 * did not happen they are orphans: sealed, referenced by nothing. The sweep takes the present records stored
 * before `recordedBefore` (a grace period: a command still committing is never swept), reads the whole log
 * once and keeps every id any event names — any string value of an event's data, at any depth, of a person
 * id's shape, whatever the event type, so an event type added later that names people is never missed —,
 * and discards the others (erased records are never touched: their erasure is kept).
 */
export interface OrphanSweepResult {
  /** Present records stored before the grace time. */
  readonly candidates: number;
  /** Of them, named by no event: discarded. */
  readonly discarded: readonly string[];
  readonly eventsRead: number;
}

const PERSON_ID = /^p-[0-9a-f]{32}$/;
/** Candidates taken at once (a sweep with more takes them in several rounds). */
const CANDIDATES = 50_000;
const PAGE = 5_000;

export async function sweepOrphanPeople(
  store: EventStore,
  options: { readonly recordedBefore: Date; readonly pageSize?: number },
): Promise<OrphanSweepResult> {
  const candidates = new Set(await store.personalData.listPresent(options.recordedBefore, CANDIDATES));
  const total = candidates.size;
  let eventsRead = 0;
  if (total === 0) return { candidates: 0, discarded: [], eventsRead };
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, limit: options.pageSize ?? PAGE });
    if (page.length === 0) break;
    for (const event of page) forEachPersonId(event.data, (id) => candidates.delete(id));
    eventsRead += page.length;
    after = page[page.length - 1].position;
    if (candidates.size === 0) break;
  }
  const discarded = [...candidates];
  await store.personalData.discard(discarded);
  return { candidates: total, discarded, eventsRead };
}

function forEachPersonId(value: unknown, found: (id: string) => void): void {
  if (typeof value === 'string') {
    if (PERSON_ID.test(value)) found(value);
  } else if (Array.isArray(value)) for (const item of value) forEachPersonId(item, found);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) forEachPersonId(item, found);
}
