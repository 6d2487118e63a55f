import type { Type } from '@nestjs/common';
import type { UseCaseType } from '@wasteflow/ledger';
import { AcknowledgeAlertController } from '../acknowledge-alert/acknowledge-alert.controller';
import { CancelManifestController } from '../cancel-manifest/cancel-manifest.controller';
import { CancelManifestItemDto } from '../cancel-manifest/cancel-manifest.dto';
import { CloseAlertController } from '../close-alert/close-alert.controller';
import { ConsolidateBatchesController } from '../consolidate-batches/consolidate-batches.controller';
import { ConsolidateBatchesDto } from '../consolidate-batches/consolidate-batches.dto';
import { CorrectMassController } from '../correct-mass/correct-mass.controller';
import { CorrectMassItemDto } from '../correct-mass/correct-mass.dto';
import { generateWasteWrite } from '../generate-waste/generate-waste.write';
import { GrantPermitController } from '../grant-permit/grant-permit.controller';
import { GrantPermitItemDto } from '../grant-permit/grant-permit.dto';
import { HandOverManifestController } from '../hand-over-manifest/hand-over-manifest.controller';
import { HandOverManifestItemDto } from '../hand-over-manifest/hand-over-manifest.dto';
import { IssueManifestController } from '../issue-manifest/issue-manifest.controller';
import { IssueManifestDto } from '../issue-manifest/issue-manifest.dto';
import { IssueTokenController } from '../issue-token/issue-token.controller';
import { IssueTokenDto } from '../issue-token/issue-token.dto';
import { RevokeTokenController } from '../issue-token/revoke-token.controller';
import { PickUpManifestController } from '../pick-up-manifest/pick-up-manifest.controller';
import { PickUpManifestItemDto } from '../pick-up-manifest/pick-up-manifest.dto';
import { ReceiveManifestController } from '../receive-manifest/receive-manifest.controller';
import { ReceiveManifestItemDto } from '../receive-manifest/receive-manifest.dto';
import { registerFacilityWrite } from '../register-facility/register-facility.write';
import { RegisterPartyController } from '../register-party/register-party.controller';
import { RegisterPartyDto } from '../register-party/register-party.dto';
import { RevokePermitController } from '../revoke-permit/revoke-permit.controller';
import { RevokePermitItemDto } from '../revoke-permit/revoke-permit.dto';
import { splitBatchWrite } from '../split-batch/split-batch.write';
import { GrantTransferApprovalController } from '../transfer-approvals/transfer-approvals.controller';
import { TreatWasteController } from '../treat-waste/treat-waste.controller';
import { TreatWasteItemDto } from '../treat-waste/treat-waste.dto';
import { isControllerWrite, type WriteDefinition, type WriteEntry } from './write-definition';
import { writeController } from './write-controller';

/**
 * Every write use case of the api, by its ledger name (typed over the ledger's use cases: one missing,
 * or one the ledger does not know, fails the build), in the order of DESIGN's table. Its route, path
 * parameters, body and bulk item DTOs, response DTO and OpenAPI text are its definition
 * (`<use-case>/<use-case>.write.ts`); the routes, POST /v1/commands and the docs read them here. An
 * entry with a `controller` is a use case still served by its own controller (the form before).
 */
export const WRITES: { readonly [T in UseCaseType]: WriteEntry<T> } = {
  'register-party': {
    type: 'register-party',
    controller: RegisterPartyController,
    route: 'POST /v1/parties',
    bulk: RegisterPartyDto,
  },
  'grant-permit': {
    type: 'grant-permit',
    controller: GrantPermitController,
    route: 'POST /v1/parties/{uscc}/permits',
    params: [{ name: 'uscc', field: 'uscc' }],
    bulk: GrantPermitItemDto,
  },
  'register-facility': registerFacilityWrite,
  'revoke-permit': {
    type: 'revoke-permit',
    controller: RevokePermitController,
    route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
    params: [
      { name: 'uscc', field: 'uscc' },
      { name: 'permitNo', field: 'permitNo' },
    ],
    bulk: RevokePermitItemDto,
  },
  'issue-token': {
    type: 'issue-token',
    controller: IssueTokenController,
    route: 'POST /v1/tokens',
    bulk: IssueTokenDto,
  },
  'revoke-token': {
    type: 'revoke-token',
    controller: RevokeTokenController,
    route: 'POST /v1/tokens/{tokenId}/revoke',
    params: [{ name: 'tokenId', field: 'tokenId' }],
    bulk: false,
  },
  'generate-waste': generateWasteWrite,
  'split-batch': splitBatchWrite,
  'consolidate-batches': {
    type: 'consolidate-batches',
    controller: ConsolidateBatchesController,
    route: 'POST /v1/consolidations',
    bulk: ConsolidateBatchesDto,
  },
  'issue-manifest': {
    type: 'issue-manifest',
    controller: IssueManifestController,
    route: 'POST /v1/manifests',
    bulk: IssueManifestDto,
  },
  'pick-up-manifest': {
    type: 'pick-up-manifest',
    controller: PickUpManifestController,
    route: 'POST /v1/manifests/{no}/pickup',
    params: [{ name: 'no', field: 'manifestNo' }],
    bulk: PickUpManifestItemDto,
  },
  'hand-over-manifest': {
    type: 'hand-over-manifest',
    controller: HandOverManifestController,
    route: 'POST /v1/manifests/{no}/handover',
    params: [{ name: 'no', field: 'manifestNo' }],
    bulk: HandOverManifestItemDto,
  },
  'receive-manifest': {
    type: 'receive-manifest',
    controller: ReceiveManifestController,
    route: 'POST /v1/manifests/{no}/receipt',
    params: [{ name: 'no', field: 'manifestNo' }],
    bulk: ReceiveManifestItemDto,
  },
  'cancel-manifest': {
    type: 'cancel-manifest',
    controller: CancelManifestController,
    route: 'POST /v1/manifests/{no}/cancel',
    params: [{ name: 'no', field: 'manifestNo' }],
    bulk: CancelManifestItemDto,
  },
  'treat-waste': {
    type: 'treat-waste',
    controller: TreatWasteController,
    route: 'POST /v1/batches/{code}/treatments',
    params: [{ name: 'code', field: 'traceCode' }],
    bulk: TreatWasteItemDto,
  },
  'correct-mass': {
    type: 'correct-mass',
    controller: CorrectMassController,
    route: 'POST /v1/batches/{code}/corrections',
    params: [{ name: 'code', field: 'traceCode' }],
    bulk: CorrectMassItemDto,
  },
  'acknowledge-alert': {
    type: 'acknowledge-alert',
    controller: AcknowledgeAlertController,
    route: 'POST /v1/alerts/{alertId}/acknowledge',
    params: [{ name: 'alertId', field: 'alertId' }],
    bulk: false,
  },
  'close-alert': {
    type: 'close-alert',
    controller: CloseAlertController,
    route: 'POST /v1/alerts/{alertId}/close',
    params: [{ name: 'alertId', field: 'alertId' }],
    bulk: false,
  },
  'grant-transfer-approval': {
    type: 'grant-transfer-approval',
    controller: GrantTransferApprovalController,
    route: 'POST /v1/transfer-approvals',
    bulk: false,
  },
};

export const WRITE_ENTRIES: readonly WriteEntry[] = Object.values(WRITES);

/** The definitions in the registry form (served by generated controllers). */
export const WRITE_DEFINITIONS: readonly WriteDefinition[] = WRITE_ENTRIES.filter(
  (entry): entry is WriteDefinition => !isControllerWrite(entry),
);

/** The controllers of every write route: generated from a definition, or the use case's own. */
export const WRITE_ROUTE_CONTROLLERS: readonly Type<unknown>[] = WRITE_ENTRIES.map((entry) =>
  isControllerWrite(entry) ? entry.controller : writeController(entry),
);

/** The use cases POST /v1/commands offers (`type`), in the registry's order. */
export const BULK_TYPES: readonly UseCaseType[] = WRITE_ENTRIES.filter((entry) => entry.bulk !== false).map(
  (entry) => entry.type,
);
