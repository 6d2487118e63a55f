import type { BatchEvent } from '../batch/batch.events';
import type { ManifestEvent } from '../manifest/manifest.events';
import type { PartyEvent } from '../party/party.events';

/** Every event of the domain: one union per aggregate (party.events.ts, batch.events.ts, manifest.events.ts). */
export type DomainEvent = PartyEvent | BatchEvent | ManifestEvent;
export type DomainEventType = DomainEvent['type'];
export type EventOfType<T extends DomainEventType> = Extract<DomainEvent, { readonly type: T }>;

/** The aggregate an event belongs to, by the union it is a member of. */
export type AggregateOf<E> = E extends PartyEvent
  ? 'party'
  : E extends BatchEvent
    ? 'batch'
    : E extends ManifestEvent
      ? 'manifest'
      : never;

/** The events of one aggregate. */
export type EventOfAggregate<A extends 'party' | 'batch' | 'manifest'> = {
  party: PartyEvent;
  batch: BatchEvent;
  manifest: ManifestEvent;
}[A];

export type EventData = { readonly [key: string]: unknown };

/** Turns the data of version v into the data of version v + 1. */
export type Upcaster = (data: EventData) => EventData;
