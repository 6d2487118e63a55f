import { creation, evolveBy, fits, type Folded, misfit } from '../fold';
import { assertNever, compact, pick } from '../util';
import type { ManifestEvent, ManifestLine, ReceiptLine } from './manifest.events';

export type ManifestStatus = 'issued' | 'picked_up' | 'received' | 'cancelled';

/** One leg of the journey (多式联运): leg 1 from pickup, each hand-over starts the next. */
export interface ManifestLeg {
  readonly leg: number;
  readonly carrierUscc: string;
  readonly vehiclePlate: string;
  /** When the leg started: the pickup, or the hand-over. */
  readonly occurredAt: string;
  /** Where the hand-over that started it happened (absent for leg 1: the shipper's site). */
  readonly place?: string;
}

export interface ExistingManifest {
  readonly status: ManifestStatus;
  readonly manifestNo: string;
  readonly shipperUscc: string;
  /**
   * The carrier holding the manifest: the one named at issue until a hand-over, then the next carrier
   * (the receiver receives from the last one).
   */
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly plannedAt: string;
  readonly issuedAt: string;
  readonly lines: readonly ManifestLine[];
  readonly totalGrams: number;
  readonly hazardous: boolean;
  /** The cross-province transfer approval it moves under (ManifestIssued v4), drawn on at receipt. */
  readonly transferApprovalNo?: string;
  readonly pickup?: {
    readonly occurredAt: string;
    readonly vehiclePlate: string;
    readonly weighedGrams?: number;
  };
  /** Every leg since pickup, in order (empty before pickup). */
  readonly legs: readonly ManifestLeg[];
  readonly receipt?: { readonly occurredAt: string; readonly lines: readonly ReceiptLine[] };
  readonly cancellation?: { readonly occurredAt: string; readonly reason: string };
}

export type ManifestState = { readonly status: 'none' } | ExistingManifest;

export const initialManifestState: ManifestState = { status: 'none' };

/**
 * `evolve` is total (fold.ts): an event that does not fit the manifest's state (issued twice, a pickup,
 * receipt or cancellation out of order) changes nothing; `stepManifest` says why and `checkStream`
 * reports it.
 */
export const evolveManifest = evolveBy(stepManifest);

/** The manifest moving on from status `from` (an event that finds it elsewhere does not fit). */
function moveOn(
  state: ManifestState,
  from: ManifestStatus,
  next: (manifest: ExistingManifest) => ExistingManifest,
): Folded<ManifestState> {
  return state.status === from ? fits(next(state)) : misfit(state, `manifest is ${state.status}`);
}

/** One event folded into the manifest's state, and why it does not fit (see evolveManifest). */
export function stepManifest(state: ManifestState, event: ManifestEvent): Folded<ManifestState> {
  switch (event.type) {
    case 'ManifestIssued': {
      const d = event.data;
      return creation(state, 'manifest already exists', () => ({
        status: 'issued',
        ...pick(
          d,
          'manifestNo',
          'shipperUscc',
          'carrierUscc',
          'receiverUscc',
          'plannedAt',
          'lines',
          'totalGrams',
          'hazardous',
          'transferApprovalNo',
        ),
        issuedAt: d.occurredAt,
        legs: [],
      }));
    }
    case 'ManifestPickedUp': {
      const d = event.data;
      return moveOn(state, 'issued', (m) => ({
        ...m,
        status: 'picked_up',
        pickup: compact({
          occurredAt: d.occurredAt,
          vehiclePlate: d.vehiclePlate,
          weighedGrams: d.weighedGrams,
        }),
        legs: [
          { leg: 1, carrierUscc: d.carrierUscc, vehiclePlate: d.vehiclePlate, occurredAt: d.occurredAt },
        ],
      }));
    }
    case 'ManifestHandedOver': {
      if (state.status !== 'picked_up') return misfit(state, `manifest is ${state.status}`);
      const d = event.data;
      const next: ExistingManifest = {
        ...state,
        carrierUscc: d.carrierUscc,
        legs: [
          ...state.legs,
          {
            leg: d.leg,
            carrierUscc: d.carrierUscc,
            vehiclePlate: d.vehiclePlate,
            occurredAt: d.occurredAt,
            place: d.place,
          },
        ],
      };
      const problems = [
        ...(state.carrierUscc === d.fromCarrierUscc
          ? []
          : [`handed over by ${d.fromCarrierUscc}, held by ${state.carrierUscc}`]),
        ...(state.legs.length + 1 === d.leg ? [] : [`leg ${d.leg} after ${state.legs.length} legs`]),
      ];
      return misfit(next, ...problems);
    }
    case 'ManifestReceived':
      return moveOn(state, 'picked_up', (m) => ({
        ...m,
        status: 'received',
        receipt: pick(event.data, 'occurredAt', 'lines'),
      }));
    case 'ManifestCancelled':
      return moveOn(state, 'issued', (m) => ({
        ...m,
        status: 'cancelled',
        cancellation: pick(event.data, 'occurredAt', 'reason'),
      }));
    default:
      return assertNever(event, 'manifest event');
  }
}
