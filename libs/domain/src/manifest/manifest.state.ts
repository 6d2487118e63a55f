import { EventNotApplicable } from '../errors';
import { assertNever, compact } from '../util';
import type { ManifestEvent, ManifestLine, ReceiptLine } from './manifest.events';

export type ManifestStatus = 'issued' | 'picked_up' | 'received' | 'cancelled';

export interface ExistingManifest {
  readonly status: ManifestStatus;
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly plannedAt: string;
  readonly issuedAt: string;
  readonly lines: readonly ManifestLine[];
  readonly totalGrams: number;
  readonly hazardous: boolean;
  readonly pickup?: {
    readonly occurredAt: string;
    readonly vehiclePlate: string;
    readonly weighedGrams?: number;
  };
  readonly receipt?: { readonly occurredAt: string; readonly lines: readonly ReceiptLine[] };
  readonly cancellation?: { readonly occurredAt: string; readonly reason: string };
}

export type ManifestState = { readonly status: 'none' } | ExistingManifest;

export const initialManifestState: ManifestState = { status: 'none' };

export function evolveManifest(state: ManifestState, event: ManifestEvent): ManifestState {
  switch (event.type) {
    case 'ManifestIssued': {
      if (state.status !== 'none') throw new EventNotApplicable(event.type, 'manifest already exists');
      const d = event.data;
      return {
        status: 'issued',
        manifestNo: d.manifestNo,
        shipperUscc: d.shipperUscc,
        carrierUscc: d.carrierUscc,
        receiverUscc: d.receiverUscc,
        plannedAt: d.plannedAt,
        issuedAt: d.occurredAt,
        lines: d.lines,
        totalGrams: d.totalGrams,
        hazardous: d.hazardous,
      };
    }
    case 'ManifestPickedUp': {
      if (state.status !== 'issued') throw new EventNotApplicable(event.type, `manifest is ${state.status}`);
      const d = event.data;
      return {
        ...state,
        status: 'picked_up',
        pickup: compact({
          occurredAt: d.occurredAt,
          vehiclePlate: d.vehiclePlate,
          weighedGrams: d.weighedGrams,
        }),
      };
    }
    case 'ManifestReceived': {
      if (state.status !== 'picked_up')
        throw new EventNotApplicable(event.type, `manifest is ${state.status}`);
      return {
        ...state,
        status: 'received',
        receipt: { occurredAt: event.data.occurredAt, lines: event.data.lines },
      };
    }
    case 'ManifestCancelled': {
      if (state.status !== 'issued') throw new EventNotApplicable(event.type, `manifest is ${state.status}`);
      return {
        ...state,
        status: 'cancelled',
        cancellation: { occurredAt: event.data.occurredAt, reason: event.data.reason },
      };
    }
    default:
      return assertNever(event, 'manifest event');
  }
}
