import { clippedFieldReason, domainError } from '../domain-error';

/**
 * Errors of cross-province transfers (跨省转移, 《固体废物污染环境防治法》第二十二条, 《危险废物转移管理办法》):
 * the approval a sending province's regulator grants, and the manifests that must name one. An approval the
 * shipper does not hold (another shipper's, or none of that number) is refused as unknown either way, so a
 * shipper learns nothing about approvals of others.
 */

/** An approval number: 1–64 letters, digits, CJK and `-_.()〔〕（）[]【】`, no spaces or slashes (a path segment). */
export class InvalidTransferApprovalNo extends domainError(
  'invalid',
  'invalid-transfer-approval-no',
  clippedFieldReason(
    'an approval number of 1–64 letters, digits, CJK characters and - _ . ( ) 〔 〕 （ ） [ ] 【 】',
  ),
) {}

export class InvalidTransferApproval extends domainError(
  'invalid',
  'invalid-transfer-approval',
  (field: string, reason: string) => [`${field}: ${reason}`, { field, reason }],
) {}

/** An approval is valid for at most 12 months (《危险废物转移管理办法》第十九条). */
export class TransferApprovalValidityTooLong extends domainError(
  'rule',
  'transfer-approval-validity-exceeded',
  (validFrom: string, validTo: string, latestValidTo: string) => [
    `a transfer approval from ${validFrom} is valid for at most 12 months (until ${latestValidTo}), not until ${validTo}`,
    { field: 'validTo', validFrom, validTo, latestValidTo },
  ],
) {}

/** Only the regulator of the shipper's province (its token holds the 2-digit province and hazardous) grants it. */
export class TransferApprovalOutsideProvince extends domainError(
  'forbidden',
  'transfer-approval-outside-province',
  (
    shipperUscc: string,
    provinceCode: string,
    districts: readonly string[],
    categories: readonly string[],
  ) => [
    `a transfer approval for ${shipperUscc} is granted by the regulator of province ${provinceCode} for hazardous waste`,
    {
      field: 'shipperUscc',
      shipperUscc,
      provinceCode,
      districts: [...districts],
      categories: [...categories],
    },
  ],
) {}

/** Within one province no approval is needed (nor recorded). */
export class TransferApprovalSameProvince extends domainError(
  'rule',
  'transfer-approval-same-province',
  (provinceCode: string) => [
    `shipper and receiver are both in province ${provinceCode}: a transfer within a province needs no approval`,
    { field: 'receiverUscc', provinceCode },
  ],
) {}

export class TransferApprovalAlreadyGranted extends domainError(
  'conflict',
  'transfer-approval-already-granted',
  (approvalNo: string) => [
    `transfer approval ${approvalNo} is already recorded`,
    { field: 'approvalNo', approvalNo },
  ],
) {}

/** A hazardous manifest to a receiver in another province names the approval it moves under. */
export class TransferApprovalRequired extends domainError(
  'rule',
  'transfer-approval-required',
  (shipperProvince: string, receiverProvince: string) => [
    `hazardous waste sent from province ${shipperProvince} to province ${receiverProvince} needs a cross-province transfer approval (transferApprovalNo)`,
    { field: 'transferApprovalNo', shipperProvince, receiverProvince },
  ],
) {}

/** No approval of that number is granted to this shipper (or none of that number exists). */
export class TransferApprovalUnknown extends domainError(
  'rule',
  'transfer-approval-unknown',
  (approvalNo: string, shipperUscc: string) => [
    `no transfer approval ${approvalNo} is granted to ${shipperUscc}`,
    { field: 'transferApprovalNo', approvalNo, shipperUscc },
  ],
) {}

/** The manifest's time lies outside the approval's validity. */
export class TransferApprovalNotValid extends domainError(
  'rule',
  'transfer-approval-not-valid',
  (approvalNo: string, occurredAt: string, validFrom: string, validTo: string) => [
    `transfer approval ${approvalNo} is valid from ${validFrom} to ${validTo}, not at ${occurredAt}`,
    { field: 'transferApprovalNo', approvalNo, occurredAt, validFrom, validTo },
  ],
) {}

/** The approval names another receiver, or not every waste code of the manifest. */
export class TransferApprovalNotCovering extends domainError(
  'rule',
  'transfer-approval-not-covering',
  (approvalNo: string, reason: 'receiver' | 'wasteCode', value: string) => [
    reason === 'receiver'
      ? `transfer approval ${approvalNo} does not approve transfers to ${value}`
      : `transfer approval ${approvalNo} does not cover waste code ${value}`,
    { field: reason === 'receiver' ? 'receiverUscc' : 'lines', approvalNo, reason, value },
  ],
) {}

/** More than the approved mass left: at issue (the manifest's mass), at receipt (the accepted mass). */
export class TransferApprovalExceeded extends domainError(
  'rule',
  'transfer-approval-exceeded',
  (
    approvalNo: string,
    at: 'issue' | 'receipt',
    approvedGrams: number,
    drawnGrams: number,
    requestedGrams: number,
  ) => [
    `transfer approval ${approvalNo}: ${requestedGrams / 1000} kg is more than the ${Math.max(0, approvedGrams - drawnGrams) / 1000} kg left of the ${approvedGrams / 1000} kg approved`,
    {
      field: at === 'issue' ? 'transferApprovalNo' : 'lines',
      approvalNo,
      at,
      approvedKg: approvedGrams / 1000,
      drawnKg: drawnGrams / 1000,
      requestedKg: requestedGrams / 1000,
      remainingKg: Math.max(0, approvedGrams - drawnGrams) / 1000,
    },
  ],
) {}

/** An approval named on a manifest that needs none (not hazardous, or within one province). */
export class TransferApprovalNotApplicable extends domainError(
  'rule',
  'transfer-approval-not-applicable',
  (approvalNo: string) => [
    `manifest needs no cross-province approval (not hazardous waste to another province): ${approvalNo} is not recorded on it`,
    { field: 'transferApprovalNo', approvalNo },
  ],
) {}

/** No approval of that number is recorded: to an auditor only (others get the read side's one 403). */
export class TransferApprovalNotFound extends domainError(
  'not-found',
  'transfer-approval-not-found',
  (approvalNo: string) => [`no transfer approval ${approvalNo} is recorded`, { approvalNo }],
) {}
