import type { AlertEvent } from '../alert/alert.events';
import type { BatchEvent } from '../batch/batch.events';
import type { ManifestEvent } from '../manifest/manifest.events';
import type { PartyEvent } from '../party/party.events';
import type { TransferApprovalEvent } from '../transfer/transfer-approval.events';

/** Every event of the domain: one union per aggregate (party, batch, manifest, alert .events.ts). */
export type DomainEvent = PartyEvent | BatchEvent | ManifestEvent | AlertEvent | TransferApprovalEvent;
export type DomainEventType = DomainEvent['type'];
export type EventOfType<T extends DomainEventType> = Extract<DomainEvent, { readonly type: T }>;

/** The aggregate an event belongs to, by the union it is a member of. */
export type AggregateOf<E> = E extends PartyEvent
  ? 'party'
  : E extends BatchEvent
    ? 'batch'
    : E extends ManifestEvent
      ? 'manifest'
      : E extends AlertEvent
        ? 'alert'
        : E extends TransferApprovalEvent
          ? 'transferApproval'
          : never;

/** The events of one aggregate. */
export type EventOfAggregate<A extends 'party' | 'batch' | 'manifest' | 'alert' | 'transferApproval'> = {
  party: PartyEvent;
  batch: BatchEvent;
  manifest: ManifestEvent;
  alert: AlertEvent;
  transferApproval: TransferApprovalEvent;
}[A];

export type EventData = { readonly [key: string]: unknown };

/** Turns the data of version v into the data of version v + 1. */
export type Upcaster = (data: EventData) => EventData;
