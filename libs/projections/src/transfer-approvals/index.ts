export {
  TRANSFER_APPROVALS_PROJECTION,
  TransferApprovalTables1765000000600,
  transferApprovalDraws,
  transferApprovals,
  transferApprovalsProjection,
} from './transfer-approvals.projection';
export {
  TransferApprovalsQuery,
  type TransferApprovalPage,
  type TransferApprovalView,
} from './transfer-approvals.query';
// the read scope of a principal, as the list query takes it
export { readScopeOf } from '../query/read-scope';
