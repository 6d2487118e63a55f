import type { RecordedEvent } from '@wasteflow/event-store';
import type { BatchCommit, ReadModelBackend } from '../database/backend';
import { BatchApplier, isDataError, runtimeProjection } from './batch-applier';
import { ProgressBook } from './progress-book';
import { defineProjection } from './projection';
import { defineTable } from './table';

const notes = defineTable({ name: 'notes', key: ['stream'], columns: { stream: 'text', note: 'text' } });
const counts = defineTable({ name: 'counts', key: ['stream'], columns: { stream: 'text', n: 'integer' } });

const notesProjection = defineProjection({
  name: 'notes',
  eventTypes: ['Noted'],
  tables: [notes],
  evolve(rows, event) {
    if (event.data.note === 'boom') throw new Error('boom');
    rows.put(notes, { stream: event.stream, note: String(event.data.note) });
  },
});
const countsProjection = defineProjection({
  name: 'counts',
  eventTypes: 'all',
  tables: [counts],
  evolve(rows, event) {
    rows.add(counts, { stream: event.stream }, { n: 1 });
  },
});

/** Commits recorded in memory; a row with a NUL is refused as PostgreSQL refuses it (SQLSTATE 22021). */
class FakeBackend {
  readonly commits: BatchCommit[] = [];
  async load(): Promise<never[]> {
    return [];
  }
  async commit(batch: BatchCommit): Promise<void> {
    const nul = batch.changes.some((c) => c.upserts.some((row) => String(row.note ?? '').includes('\u0000')));
    if (nul) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    this.commits.push(batch);
  }
}

function event(position: number, note?: string): RecordedEvent {
  return {
    id: `e${position}`,
    stream: `s${position % 2}`,
    revision: BigInt(position),
    position: BigInt(position),
    type: note === undefined ? 'Other' : 'Noted',
    schemaVersion: 1,
    data: note === undefined ? {} : { note },
    metadata: {},
    recordedAt: new Date(0),
  } as unknown as RecordedEvent;
}

function applier(backend: FakeBackend) {
  const book = new ProgressBook(['notes', 'counts']);
  const subject = new BatchApplier({
    backend: backend as unknown as ReadModelBackend,
    projections: [notesProjection, countsProjection].map(runtimeProjection),
    book,
    clock: () => 0,
  });
  return { book, subject };
}

const fence = () => ({ lease: 'projections', owner: 'me', token: 1n, renewTo: 1 });

describe('BatchApplier', () => {
  it('commits every projection, rows and checkpoints, in one commit', async () => {
    const backend = new FakeBackend();
    const { book, subject } = applier(backend);
    const events = [event(1, 'a'), event(2), event(3, 'b')];
    const batch = subject.open(1n);
    await subject.evolve(batch, events);
    const outcome = await subject.commit(batch, fence, { events });
    expect(backend.commits).toHaveLength(1);
    expect(backend.commits[0].checkpoints).toEqual(new Map([['notes', 3n], ['counts', 3n]]));
    expect(outcome.failed.size).toBe(0);
    expect(book.lowest()).toBe(3n);
  });

  it('stops a projection that throws alone, exactly before its event; the others commit the whole batch', async () => {
    const backend = new FakeBackend();
    const { book, subject } = applier(backend);
    const events = [event(1, 'a'), event(2, 'boom'), event(3, 'c')];
    const batch = subject.open(1n);
    await subject.evolve(batch, events);
    const outcome = await subject.commit(batch, fence, { events });
    expect(outcome.failed.get('notes')).toMatchObject({ position: 2n, eventId: 'e2', phase: 'evolve', message: 'boom' });
    expect(book.checkpoint('counts')).toBe(3n);
    expect(book.checkpoint('notes')).toBe(1n);
    expect(book.isFailed('notes')).toBe(true);
    const rowsOfNotes = backend.commits.flatMap((c) => c.changes.filter((t) => t.table.name === 'notes').flatMap((t) => t.upserts));
    expect(rowsOfNotes).toEqual([{ stream: 's1', note: 'a' }]);
    // Later batches pass it by.
    const next = subject.open(4n);
    await subject.evolve(next, [event(4, 'd')]);
    await subject.commit(next, fence, { events: [event(4, 'd')] });
    expect(book.checkpoint('notes')).toBe(1n);
    expect(book.checkpoint('counts')).toBe(4n);
  });

  it('isolates the projection whose rows the database refuses, and names the event', async () => {
    const backend = new FakeBackend();
    const { book, subject } = applier(backend);
    const events = [event(1, 'a'), event(2, 'x\u0000y'), event(3, 'c')];
    const batch = subject.open(1n);
    await subject.evolve(batch, events);
    const outcome = await subject.commit(batch, fence, { events });
    expect(outcome.failed.get('notes')).toMatchObject({ position: 2n, eventId: 'e2', phase: 'commit' });
    expect(outcome.failed.get('notes')?.message).toContain('0x00');
    expect(book.checkpoint('counts')).toBe(3n);
    expect(book.checkpoint('notes')).toBe(1n);
    const recorded = backend.commits.flatMap((c) => [...(c.failures ?? new Map())]);
    expect(recorded.map(([name, f]) => [name, f.failure?.position])).toEqual([['notes', 2n]]);
  });

  it('tells data errors from an unreachable database', () => {
    expect(isDataError({ code: '22021' })).toBe(true);
    expect(isDataError({ code: '23505' })).toBe(true);
    expect(isDataError({ code: 'SQLITE_CONSTRAINT_NOTNULL' })).toBe(true);
    expect(isDataError({ code: '57P01' })).toBe(false);
    expect(isDataError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isDataError(new Error('x'))).toBe(false);
  });
});
