import { acknowledgeAlertWrite } from '../acknowledge-alert/acknowledge-alert.write';
import { cancelManifestWrite } from '../cancel-manifest/cancel-manifest.write';
import { closeAlertWrite } from '../close-alert/close-alert.write';
import { consolidateBatchesWrite } from '../consolidate-batches/consolidate-batches.write';
import { requestMassCorrectionWrite } from '../request-mass-correction/request-mass-correction.write';
import { approveMassCorrectionWrite } from '../approve-mass-correction/approve-mass-correction.write';
import { rejectMassCorrectionWrite } from '../reject-mass-correction/reject-mass-correction.write';
import { generateWasteWrite } from '../generate-waste/generate-waste.write';
import { grantPermitWrite } from '../grant-permit/grant-permit.write';
import { handOverManifestWrite } from '../hand-over-manifest/hand-over-manifest.write';
import { issueManifestWrite } from '../issue-manifest/issue-manifest.write';
import { issueTokenWrite } from '../issue-token/issue-token.write';
import { pickUpManifestWrite } from '../pick-up-manifest/pick-up-manifest.write';
import { receiveManifestWrite } from '../receive-manifest/receive-manifest.write';
import { registerFacilityWrite } from '../register-facility/register-facility.write';
import { registerPartyWrite } from '../register-party/register-party.write';
import { revokePermitWrite } from '../revoke-permit/revoke-permit.write';
import { revokeTokenWrite } from '../revoke-token/revoke-token.write';
import { splitBatchWrite } from '../split-batch/split-batch.write';
import { grantTransferApprovalWrite } from '../transfer-approvals/grant-transfer-approval.write';
import { treatWasteWrite } from '../treat-waste/treat-waste.write';
import { bulkItemDtoOf } from './bulk-item';
import { writeController } from './write-controller';
import type { WriteDefinition } from './write-definition';
import type { Type } from '@nestjs/common';
import type { UseCaseType } from '@wasteflow/ledger';

/**
 * Every write use case of the api, by its ledger name (typed over the ledger's use cases: one missing,
 * or one the ledger does not know, fails the build), in the order of DESIGN's table. Its route, path
 * parameters, body DTO, response DTO and OpenAPI text are its definition
 * (`<use-case>/<use-case>.write.ts`); the routes, POST /v1/commands and the docs read them here.
 */
export const WRITES: { readonly [T in UseCaseType]: WriteDefinition<T> } = {
  'register-party': registerPartyWrite,
  'grant-permit': grantPermitWrite,
  'register-facility': registerFacilityWrite,
  'revoke-permit': revokePermitWrite,
  'issue-token': issueTokenWrite,
  'revoke-token': revokeTokenWrite,
  'generate-waste': generateWasteWrite,
  'split-batch': splitBatchWrite,
  'consolidate-batches': consolidateBatchesWrite,
  'issue-manifest': issueManifestWrite,
  'pick-up-manifest': pickUpManifestWrite,
  'hand-over-manifest': handOverManifestWrite,
  'receive-manifest': receiveManifestWrite,
  'cancel-manifest': cancelManifestWrite,
  'treat-waste': treatWasteWrite,
  'request-mass-correction': requestMassCorrectionWrite,
  'approve-mass-correction': approveMassCorrectionWrite,
  'reject-mass-correction': rejectMassCorrectionWrite,
  'acknowledge-alert': acknowledgeAlertWrite,
  'close-alert': closeAlertWrite,
  'grant-transfer-approval': grantTransferApprovalWrite,
};

export const WRITE_DEFINITIONS: readonly WriteDefinition[] = Object.values(WRITES);

/** The controller of every write route, generated from its definition. */
export const WRITE_ROUTE_CONTROLLERS: readonly Type<unknown>[] = WRITE_DEFINITIONS.map((definition) =>
  writeController(definition),
);

/** The use cases POST /v1/commands offers (`type`), in the registry's order. */
export const BULK_TYPES: readonly UseCaseType[] = WRITE_DEFINITIONS.filter((d) => d.bulk).map((d) => d.type);

/** The DTO of an item's body, for each use case POST /v1/commands offers (writes/bulk-item.ts). */
export const BULK_ITEM_DTOS: ReadonlyMap<UseCaseType, Type<object>> = new Map(
  WRITE_DEFINITIONS.filter((d) => d.bulk).map((d) => [d.type, bulkItemDtoOf(d)]),
);
