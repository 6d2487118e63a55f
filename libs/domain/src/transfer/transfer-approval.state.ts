import { fits, misfit, type Folded } from '../fold';
import { assertNever } from '../util';
import type { TransferApprovalEvent } from './transfer-approval.events';

export interface GrantedTransferApproval {
  readonly status: 'granted';
  readonly approvalNo: string;
  readonly shipperUscc: string;
  readonly shipperDistrictCode: string;
  readonly receiverUscc: string;
  readonly receiverDistrictCode: string;
  readonly wasteCodes: readonly string[];
  readonly approvedGrams: number;
  readonly drawnGrams: number;
  readonly validFrom: string;
  readonly validTo: string;
  /** The manifests drawn on it, in order. */
  readonly manifests: readonly string[];
}

export type TransferApprovalState = { readonly status: 'none' } | GrantedTransferApproval;

export const initialTransferApprovalState: TransferApprovalState = { status: 'none' };

/** Total (fold.ts): a grant of an existing approval, or a draw that does not follow, changes nothing. */
export function evolveTransferApproval(
  state: TransferApprovalState,
  event: TransferApprovalEvent,
): TransferApprovalState {
  return stepTransferApproval(state, event).state;
}

export function stepTransferApproval(
  state: TransferApprovalState,
  event: TransferApprovalEvent,
): Folded<TransferApprovalState> {
  switch (event.type) {
    case 'TransferApprovalGranted': {
      if (state.status !== 'none') return misfit(state, 'transfer approval already granted');
      const d = event.data;
      return fits({
        status: 'granted',
        approvalNo: d.approvalNo,
        shipperUscc: d.shipperUscc,
        shipperDistrictCode: d.shipperDistrictCode,
        receiverUscc: d.receiverUscc,
        receiverDistrictCode: d.receiverDistrictCode,
        wasteCodes: d.wasteCodes,
        approvedGrams: d.approvedGrams,
        drawnGrams: 0,
        validFrom: d.validFrom,
        validTo: d.validTo,
        manifests: [],
      });
    }
    case 'TransferApprovalDrawn': {
      if (state.status !== 'granted') return misfit(state, 'no transfer approval to draw on');
      const d = event.data;
      if (d.drawnGramsAfter !== state.drawnGrams + d.grams)
        return misfit(state, `drawn ${state.drawnGrams} g before, the draw says ${d.drawnGramsAfter - d.grams} g`);
      return fits({ ...state, drawnGrams: d.drawnGramsAfter, manifests: [...state.manifests, d.manifestNo] });
    }
    default:
      return assertNever(event, 'transfer approval event');
  }
}
