import { creation, evolveBy, fits, type Folded, misfit } from '../fold';
import { assertNever, pick } from '../util';
import { approvalParties, type TransferApprovalEvent } from './transfer-approval.events';

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
export const evolveTransferApproval = evolveBy(stepTransferApproval);

export function stepTransferApproval(
  state: TransferApprovalState,
  event: TransferApprovalEvent,
): Folded<TransferApprovalState> {
  switch (event.type) {
    case 'TransferApprovalGranted': {
      const d = event.data;
      return creation(state, 'transfer approval already granted', () => ({
        status: 'granted',
        ...approvalParties(d),
        ...pick(d, 'wasteCodes', 'approvedGrams', 'validFrom', 'validTo'),
        drawnGrams: 0,
        manifests: [],
      }));
    }
    case 'TransferApprovalDrawn': {
      if (state.status !== 'granted') return misfit(state, 'no transfer approval to draw on');
      const d = event.data;
      if (d.drawnGramsAfter !== state.drawnGrams + d.grams)
        return misfit(
          state,
          `drawn ${state.drawnGrams} g before, the draw says ${d.drawnGramsAfter - d.grams} g`,
        );
      return fits({ ...state, drawnGrams: d.drawnGramsAfter, manifests: [...state.manifests, d.manifestNo] });
    }
    default:
      return assertNever(event, 'transfer approval event');
  }
}
