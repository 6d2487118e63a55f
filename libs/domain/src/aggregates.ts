import { evolveAlert, initialAlertState, stepAlert, type AlertState } from './alert/alert.state';
import { evolveBatch, initialBatchState, stepBatch, type BatchState } from './batch/batch.state';
import type { EventOfAggregate } from './events/domain-event';
import type { Folded } from './fold';
import {
  evolveManifest,
  initialManifestState,
  stepManifest,
  type ManifestState,
} from './manifest/manifest.state';
import { evolveParty, initialPartyState, stepParty, type PartyState } from './party/party.state';
import type { AggregateKind } from './streams';
import {
  evolveTransferApproval,
  initialTransferApprovalState,
  stepTransferApproval,
  type TransferApprovalState,
} from './transfer/transfer-approval.state';

export type StateOf<K extends AggregateKind> = {
  party: PartyState;
  batch: BatchState;
  manifest: ManifestState;
  alert: AlertState;
  transferApproval: TransferApprovalState;
}[K];

/** How one aggregate's stream folds: its initial state, and one event at a time (total, see fold.ts). */
export interface Aggregate<K extends AggregateKind> {
  readonly kind: K;
  readonly initial: StateOf<K>;
  readonly evolve: (state: StateOf<K>, event: EventOfAggregate<K>) => StateOf<K>;
  readonly step: (state: StateOf<K>, event: EventOfAggregate<K>) => Folded<StateOf<K>>;
}

/**
 * The aggregates. With the event catalogue (which says whose each event is), everything that folds
 * streams reads this table: the ledger's stream models, the test World, the audit history and checkStream.
 */
export const AGGREGATES: { readonly [K in AggregateKind]: Aggregate<K> } = {
  party: { kind: 'party', initial: initialPartyState, evolve: evolveParty, step: stepParty },
  batch: { kind: 'batch', initial: initialBatchState, evolve: evolveBatch, step: stepBatch },
  manifest: { kind: 'manifest', initial: initialManifestState, evolve: evolveManifest, step: stepManifest },
  alert: { kind: 'alert', initial: initialAlertState, evolve: evolveAlert, step: stepAlert },
  transferApproval: {
    kind: 'transferApproval',
    initial: initialTransferApprovalState,
    evolve: evolveTransferApproval,
    step: stepTransferApproval,
  },
};
