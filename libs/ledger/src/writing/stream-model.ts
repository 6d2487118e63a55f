import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';

/** An event in the shape the store keeps: stable type name, schema version, plain JSON data. */
export interface StoredEventShape {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
}

/** How one kind of stream turns stored events back into domain state (upcasting old versions on read). */
export interface StreamModel<S, E> {
  readonly initial: S;
  decode(event: RecordedEvent): E;
  evolve(state: S, event: E): S;
}
