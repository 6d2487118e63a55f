import { Inject, Injectable } from '@nestjs/common';
import type { PersonDetails } from '@wasteflow/domain';
import { EVENT_STORE, type EventStore, type PersonErasure } from '@wasteflow/event-store';
import { PersonalDataUnsupported } from '../writing/ledger-errors';
import { newPersonKey, openPerson, PersonRecordUnreadable, sealPerson } from './person-cipher';

/** A person as a document or a read shows them. */
export type PersonView =
  | { readonly personId: string; readonly status: 'present'; readonly name: string; readonly phone?: string }
  | { readonly personId: string; readonly status: 'erased'; readonly erasedAt: string }
  /** No record under the id (a record that never committed; or a store without records). */
  | { readonly personId: string; readonly status: 'unknown' };

/** A person a command names, with the id its events will carry. */
export interface PersonToRecord extends PersonDetails {
  readonly personId: string;
}

/** What every document prints in place of an erased person's name and phone. */
export const ERASED = '已删除';

/**
 * The personal data records (ADR 14) over the store's `personalData`: sealed here with a key per person,
 * opened at read time, erased by deleting the key. The store only ever sees bytes.
 */
@Injectable()
export class PeopleRecords {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Stores the people (each new id with a fresh key); resolves with the ids it inserted. */
  async record(people: readonly PersonToRecord[]): Promise<string[]> {
    if (people.length > 0 && this.store.kind === 'kurrentdb')
      throw new PersonalDataUnsupported(this.store.kind);
    return this.store.personalData.put(
      people.map(({ personId, ...details }) => {
        const key = newPersonKey();
        return { personId, key, sealed: sealPerson(personId, details, key) };
      }),
    );
  }

  /** Removes records no event references (a command that did not commit). */
  discard(personIds: readonly string[]): Promise<void> {
    return this.store.personalData.discard(personIds);
  }

  async resolve(personIds: readonly (string | undefined)[]): Promise<Map<string, PersonView>> {
    const ids = personIds.filter((id): id is string => id !== undefined);
    const stored = await this.store.personalData.read(ids);
    const views = new Map<string, PersonView>();
    for (const personId of ids) {
      const record = stored.get(personId);
      if (!record) views.set(personId, { personId, status: 'unknown' });
      else if (record.status === 'erased')
        views.set(personId, { personId, status: 'erased', erasedAt: record.erasedAt.toISOString() });
      else {
        try {
          views.set(personId, {
            personId,
            status: 'present',
            ...openPerson(personId, record.sealed, record.key),
          });
        } catch (error) {
          if (!(error instanceof PersonRecordUnreadable)) throw error;
          views.set(personId, { personId, status: 'unknown' });
        }
      }
    }
    return views;
  }

  erase(personId: string, erasedBy: string, at: Date): Promise<PersonErasure> {
    return this.store.personalData.erase(personId, erasedBy, at);
  }
}

/** The name as a document prints it: the name, 已删除 after erasure, nothing when there is no record. */
export function printedName(view: PersonView | undefined): string | undefined {
  if (!view) return undefined;
  return view.status === 'present' ? view.name : view.status === 'erased' ? ERASED : undefined;
}

export function printedPhone(view: PersonView | undefined): string | undefined {
  if (!view) return undefined;
  return view.status === 'present' ? view.phone : view.status === 'erased' ? ERASED : undefined;
}

/** Name and phone on one line (a label's 联系人和联系方式); 已删除 once for an erased person. */
export function printedContact(view: PersonView | undefined): string | undefined {
  if (!view || view.status === 'unknown') return undefined;
  if (view.status === 'erased') return ERASED;
  return view.phone === undefined ? view.name : `${view.name} ${view.phone}`;
}
