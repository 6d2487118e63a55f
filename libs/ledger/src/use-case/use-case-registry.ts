import { Inject, Injectable, Optional } from '@nestjs/common';
import type { JsonObject } from '@wasteflow/event-store';
import { acknowledgeAlert } from '../acknowledge-alert/acknowledge-alert.command';
import { ALERT_FACTS, NO_ALERT_FACTS, type AlertFactsReader } from '../alert-facts/alert-facts.port';
import { cancelManifest } from '../cancel-manifest/cancel-manifest.command';
import { closeAlert } from '../close-alert/close-alert.command';
import { consolidateBatches } from '../consolidate-batches/consolidate-batches.command';
import { approveMassCorrection } from '../approve-mass-correction/approve-mass-correction.command';
import { rejectMassCorrection } from '../reject-mass-correction/reject-mass-correction.command';
import { requestMassCorrection } from '../request-mass-correction/request-mass-correction.command';
import { generateWaste } from '../generate-waste/generate-waste.command';
import { grantPermit } from '../grant-permit/grant-permit.command';
import { grantTransferApproval } from '../grant-transfer-approval/grant-transfer-approval.command';
import { handOverManifest } from '../hand-over-manifest/hand-over-manifest.command';
import { issueManifest } from '../issue-manifest/issue-manifest.command';
import { issueToken } from '../issue-token/issue-token.command';
import { pickUpManifest } from '../pick-up-manifest/pick-up-manifest.command';
import { receiveManifest } from '../receive-manifest/receive-manifest.command';
import { registerFacility } from '../register-facility/register-facility.command';
import { registerParty } from '../register-party/register-party.command';
import { revokePermit } from '../revoke-permit/revoke-permit.command';
import { revokeToken } from '../revoke-token/revoke-token.command';
import { splitBatch } from '../split-batch/split-batch.command';
import { treatWaste } from '../treat-waste/treat-waste.command';
import type { UseCase } from './use-case';

/** What a use case may need from the application besides the streams (given by `UseCases`). */
export interface UseCaseDependencies {
  readonly alertFacts: AlertFactsReader;
}

/**
 * Every write use case of the ledger by its name (POST /v1/commands `type`, the api's write registry
 * apps/api/src/writes/write-registry.ts, the CLI). Most are plain objects; one that needs a port of the
 * application (the alert facts) is built from the dependencies. A new use case is one entry here: the
 * api's registry is typed over these names, so a use case without its HTTP definition fails the build.
 */
const USE_CASE_FACTORIES = {
  'register-party': () => registerParty,
  'grant-permit': () => grantPermit,
  'register-facility': () => registerFacility,
  'revoke-permit': () => revokePermit,
  'issue-token': () => issueToken,
  'revoke-token': () => revokeToken,
  'generate-waste': () => generateWaste,
  'split-batch': () => splitBatch,
  'consolidate-batches': () => consolidateBatches,
  'issue-manifest': () => issueManifest,
  'pick-up-manifest': () => pickUpManifest,
  'hand-over-manifest': () => handOverManifest,
  'receive-manifest': () => receiveManifest,
  'cancel-manifest': () => cancelManifest,
  'treat-waste': () => treatWaste,
  'request-mass-correction': () => requestMassCorrection,
  'approve-mass-correction': () => approveMassCorrection,
  'reject-mass-correction': () => rejectMassCorrection,
  'acknowledge-alert': (deps: UseCaseDependencies) => acknowledgeAlert(deps.alertFacts),
  'close-alert': (deps: UseCaseDependencies) => closeAlert(deps.alertFacts),
  'grant-transfer-approval': () => grantTransferApproval,
} as const;

export type UseCaseType = keyof typeof USE_CASE_FACTORIES;
export const USE_CASE_TYPES = Object.keys(USE_CASE_FACTORIES) as UseCaseType[];

/** The input and result types of a use case, by its name. */
export type UseCaseOf<T extends UseCaseType> = ReturnType<(typeof USE_CASE_FACTORIES)[T]>;
export type InputOf<T extends UseCaseType> = UseCaseOf<T> extends UseCase<infer I, JsonObject> ? I : never;

export function isUseCaseType(value: unknown): value is UseCaseType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(USE_CASE_FACTORIES, value);
}

/** Every use case built over the given dependencies. */
export function buildUseCases(deps: UseCaseDependencies): { readonly [T in UseCaseType]: UseCaseOf<T> } {
  const entries = USE_CASE_TYPES.map((type) => [type, USE_CASE_FACTORIES[type](deps)] as const);
  return Object.fromEntries(entries) as { readonly [T in UseCaseType]: UseCaseOf<T> };
}

/** Who may run each use case at all (token kinds), known without any dependency (for route decorators). */
export const USE_CASE_ACCESS: { readonly [T in UseCaseType]: UseCaseOf<T>['allowed'] } = (() => {
  const all = buildUseCases({ alertFacts: NO_ALERT_FACTS });
  return Object.fromEntries(USE_CASE_TYPES.map((type) => [type, all[type].allowed])) as {
    readonly [T in UseCaseType]: UseCaseOf<T>['allowed'];
  };
})();

/** The use cases of this application (the alert facts of its read side when it has them). */
@Injectable()
export class UseCases {
  private readonly all: { readonly [T in UseCaseType]: UseCaseOf<T> };

  constructor(@Optional() @Inject(ALERT_FACTS) facts?: AlertFactsReader) {
    this.all = buildUseCases({ alertFacts: facts ?? NO_ALERT_FACTS });
  }

  get<T extends UseCaseType>(type: T): UseCaseOf<T> {
    return this.all[type];
  }
}
