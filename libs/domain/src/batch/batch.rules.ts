import {
  BatchDepleted,
  BatchInTransit,
  BatchNotFound,
  BatchOnOpenManifest,
  NotCustodian,
  PartyNotFound,
} from '../errors';
import type { PartyState, RegisteredParty } from '../party/party.state';
import { requireNotBefore } from '../values/time';
import type { BatchState, ExistingBatch } from './batch.state';

export function requireBatch(
  state: BatchState | undefined,
  traceCode: string,
  field = 'traceCode',
): ExistingBatch {
  if (state === undefined || state.status === 'none') throw new BatchNotFound(traceCode, field);
  return state;
}

/**
 * The batch `actorUscc` holds. Held by another party or not there at all is the same refusal
 * (NotCustodian, without the custodian): a write never tells a stranger whether a code exists or who holds
 * it. Every act of a custodian on its batch starts here.
 */
export function requireHeldBatch(
  state: BatchState | undefined,
  traceCode: string,
  actorUscc: string,
  field = 'traceCode',
): ExistingBatch {
  if (state === undefined || state.status === 'none' || state.custodianUscc !== actorUscc)
    throw new NotCustodian(traceCode, actorUscc, field);
  return state;
}

/** Not on an open manifest (consigned) nor in transit: the batch is free to be acted on. */
export function requireNotOnManifest(batch: ExistingBatch): void {
  if (batch.manifest?.stage === 'consigned')
    throw new BatchOnOpenManifest(batch.traceCode, batch.manifest.manifestNo);
  if (batch.manifest?.stage === 'in_transit')
    throw new BatchInTransit(batch.traceCode, batch.manifest.manifestNo);
}

export function requireHeldMass(batch: ExistingBatch): void {
  if (batch.heldGrams === 0) throw new BatchDepleted(batch.traceCode);
}

/** The custodian's acts cannot be dated before it came to hold the batch. */
export function requireAfterCustody(batch: ExistingBatch, occurredAt: string, occurredAtMs: number): void {
  requireNotBefore(occurredAt, occurredAtMs, batch.custodySince, `custody of ${batch.traceCode}`);
}

/** The free, non-empty batch the actor holds: custodian, not on a manifest, with mass. */
export function requireActionableBatch(
  state: BatchState | undefined,
  traceCode: string,
  actorUscc: string,
  field = 'traceCode',
): ExistingBatch {
  const batch = requireHeldBatch(state, traceCode, actorUscc, field);
  requireNotOnManifest(batch);
  requireHeldMass(batch);
  return batch;
}

export function requireRegistered(
  party: PartyState | undefined,
  uscc: string,
  field?: string,
): RegisteredParty {
  if (party === undefined || party.status !== 'registered' || party.uscc !== uscc)
    throw new PartyNotFound(uscc, field);
  return party;
}
