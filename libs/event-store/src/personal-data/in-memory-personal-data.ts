import { InvalidArgument } from '../errors';
import type {
  PersonalDataRecords,
  PersonErasure,
  PersonRecordWrite,
  StoredPersonRecord,
} from '../event-store.port';

/** The records in memory (the in-memory store's; the contract of the port without I/O). */
export class InMemoryPersonalData implements PersonalDataRecords {
  private readonly records = new Map<string, StoredPersonRecord>();

  async put(records: readonly PersonRecordWrite[]): Promise<string[]> {
    const inserted: string[] = [];
    for (const r of records) {
      if (this.records.has(r.personId)) continue;
      this.records.set(r.personId, {
        personId: r.personId,
        status: 'present',
        key: Buffer.from(r.key),
        sealed: Buffer.from(r.sealed),
        recordedAt: new Date(),
      });
      inserted.push(r.personId);
    }
    return inserted;
  }

  async read(personIds: readonly string[]): Promise<Map<string, StoredPersonRecord>> {
    const found = new Map<string, StoredPersonRecord>();
    for (const id of personIds) {
      const record = this.records.get(id);
      if (record) found.set(id, record);
    }
    return found;
  }

  async erase(personId: string, erasedBy: string, at: Date): Promise<PersonErasure> {
    const record = this.records.get(personId);
    if (!record) return 'not_found';
    if (record.status === 'erased') return 'already_erased';
    this.records.set(personId, { personId, status: 'erased', erasedAt: at, erasedBy });
    return 'erased';
  }

  async discard(personIds: readonly string[]): Promise<void> {
    for (const id of personIds) if (this.records.get(id)?.status === 'present') this.records.delete(id);
  }

  async listPresent(recordedBefore: Date, limit: number): Promise<string[]> {
    return [...this.records.values()]
      .flatMap((r) => (r.status === 'present' && r.recordedAt < recordedBefore ? [r] : []))
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || a.personId.localeCompare(b.personId))
      .slice(0, limit)
      .map((r) => r.personId);
  }
}

/**
 * Where the store has no table beside the log to keep them in (KurrentDB: a stream would be
 * in the replicated, append-only log the records must stay out of): refused, and nothing to read.
 */
export class UnsupportedPersonalData implements PersonalDataRecords {
  constructor(private readonly kind: string) {}

  async put(records: readonly PersonRecordWrite[]): Promise<string[]> {
    if (records.length === 0) return [];
    throw new InvalidArgument(
      `personal data records need the sqlite or postgres store (this one is ${this.kind})`,
    );
  }

  async read(): Promise<Map<string, StoredPersonRecord>> {
    return new Map();
  }

  async erase(): Promise<PersonErasure> {
    return 'not_found';
  }

  async discard(): Promise<void> {}

  async listPresent(): Promise<string[]> {
    return [];
  }
}
