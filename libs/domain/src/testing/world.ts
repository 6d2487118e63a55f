import type { BatchEvent, BatchStreamEvents } from '../batch/batch.events';
import { evolveBatch, initialBatchState, type BatchState } from '../batch/batch.state';
import { assertNever } from '../util';
import type { DomainEvent } from '../events/domain-event';
import {
  isAlertEvent,
  isBatchEvent,
  isManifestEvent,
  isPartyEvent,
  isTransferApprovalEvent,
} from '../events/event-catalogue';
import {
  evolveTransferApproval,
  initialTransferApprovalState,
  type TransferApprovalState,
} from '../transfer/transfer-approval.state';
import { evolveAlert, initialAlertState, type AlertState } from '../alert/alert.state';
import { traceCodesOf, type ManifestEvent } from '../manifest/manifest.events';
import { evolveManifest, initialManifestState, type ManifestState } from '../manifest/manifest.state';
import { custodyEventsFor } from '../manifest/custody-events';
import { evolveParty, initialPartyState, type PartyState } from '../party/party.state';

/**
 * An in-memory picture of every aggregate, folded from domain events routed by the id each event carries.
 * Immutable: `apply` returns a new World. For tests of multi-stream use cases and for property tests.
 */
export class World {
  private constructor(
    readonly parties: ReadonlyMap<string, PartyState>,
    readonly batches: ReadonlyMap<string, BatchState>,
    readonly manifests: ReadonlyMap<string, ManifestState>,
    readonly alerts: ReadonlyMap<string, AlertState>,
    readonly transferApprovals: ReadonlyMap<string, TransferApprovalState>,
    /** Every event applied, in order. */
    readonly log: readonly DomainEvent[],
  ) {}

  static empty(): World {
    return new World(new Map(), new Map(), new Map(), new Map(), new Map(), []);
  }

  static of(events: readonly DomainEvent[]): World {
    return World.empty().apply(events);
  }

  party(uscc: string): PartyState {
    return this.parties.get(uscc) ?? initialPartyState;
  }

  batch(traceCode: string): BatchState {
    return this.batches.get(traceCode) ?? initialBatchState;
  }

  /**
   * The code of child number `childIndex` of `parentCode` (a split part or a returned rejection), from the
   * lineage the events record: codes no longer show their parent (DESIGN §2 Identifiers).
   */
  childOf(parentCode: string, childIndex: number): string {
    const code = this.findChildOf(parentCode, childIndex);
    if (code === undefined) throw new Error(`no child ${childIndex} of ${parentCode}`);
    return code;
  }

  /** Like `childOf`; undefined when there is no such child. */
  findChildOf(parentCode: string, childIndex: number): string | undefined {
    for (const event of this.log) {
      if (event.type !== 'BatchSplitOff' && event.type !== 'BatchReturnedFromRejection') continue;
      if (event.data.parentTraceCode === parentCode && event.data.childIndex === childIndex)
        return event.data.traceCode;
    }
    return undefined;
  }

  manifest(manifestNo: string): ManifestState {
    return this.manifests.get(manifestNo) ?? initialManifestState;
  }

  alert(alertId: string): AlertState {
    return this.alerts.get(alertId) ?? initialAlertState;
  }

  transferApproval(approvalNo: string): TransferApprovalState {
    return this.transferApprovals.get(approvalNo) ?? initialTransferApprovalState;
  }

  apply(events: readonly DomainEvent[]): World {
    const alerts = new Map(this.alerts);
    const approvals = new Map(this.transferApprovals);
    const parties = new Map(this.parties);
    const batches = new Map(this.batches);
    const manifests = new Map(this.manifests);
    // routed by the catalogue: whose event it is, and the id it carries
    for (const event of events) {
      if (isPartyEvent(event)) fold(parties, event.data.uscc, evolveParty, initialPartyState, event);
      else if (isBatchEvent(event))
        fold(batches, event.data.traceCode, evolveBatch, initialBatchState, event);
      else if (isManifestEvent(event))
        fold(manifests, event.data.manifestNo, evolveManifest, initialManifestState, event);
      else if (isAlertEvent(event)) fold(alerts, event.data.alertId, evolveAlert, initialAlertState, event);
      else if (isTransferApprovalEvent(event))
        fold(approvals, event.data.approvalNo, evolveTransferApproval, initialTransferApprovalState, event);
      else assertNever(event, 'event');
    }
    return new World(parties, batches, manifests, alerts, approvals, [...this.log, ...events]);
  }

  /** Applies a multi-stream batch result. */
  applyBatches(streams: readonly BatchStreamEvents[]): World {
    return this.apply(flattenBatchStreams(streams));
  }

  /** Applies manifest events, then what the process manager would append for each batch on them. */
  applyManifest(events: readonly ManifestEvent[]): World {
    let world = this.apply(events);
    for (const event of events) {
      for (const traceCode of traceCodesOf(event)) {
        world = world.applyBatches(custodyEventsFor(event, world.batch(traceCode), traceCode));
      }
    }
    return world;
  }
}

/** Folds `event` into the state of aggregate `id` in `states` (the initial state if it has none yet). */
function fold<S, E>(
  states: Map<string, S>,
  id: string,
  evolve: (state: S, event: E) => S,
  initial: S,
  event: E,
) {
  states.set(id, evolve(states.get(id) ?? initial, event));
}

export function flattenBatchStreams(streams: readonly BatchStreamEvents[]): BatchEvent[] {
  return streams.flatMap((s) => s.events);
}
