import type { DecideOptions } from '@wasteflow/domain';
import type { JsonObject } from '@wasteflow/event-store';
import type { Principal, PrincipalKind } from '../access/principal';
import type { Decision } from '../writing/ledger-writer';
import type { UnitOfWork } from '../writing/unit-of-work';

/** Who asks and under which key: what every write carries besides its input. */
export interface CommandEnvelope {
  readonly principal: Principal;
  /** The client's Idempotency-Key (validated at the edge). */
  readonly idempotencyKey: string;
  /** SHA-256 of the canonical request (route template, path parameters, body): see `requestHash`. */
  readonly requestHash: string;
  readonly correlationId: string;
  /**
   * 256 bits from a CSPRNG (hex), drawn at the edge for this command: the source of the random part of
   * the trace codes it issues (`freshEntropy`). Never derived from anything the client sent.
   */
  readonly entropy?: string;
}

/** What a use case's plan gets besides its input and the streams. */
export interface PlanContext {
  readonly principal: Principal;
  /** ISO 8601 (UTC) of the server's clock when the command was received: the domain's `recordedAt`. */
  readonly recordedAt: string;
  readonly options: DecideOptions;
  /**
   * The random part of a new trace code for `purpose`, from the command's CSPRNG entropy: the same for
   * every retry of this command's plan, unpredictable to the client.
   */
  randomPart(purpose: string): string;
  /**
   * The id of a person this command names in `role` (`driver`, `escort`, `contact`): from the command's
   * entropy, the same for every retry of the plan (ADR 14).
   */
  personId(role: string): string;
}

/**
 * One use case of the write side: who may run it at all (token kinds; the domain decides the rest) and its
 * plan — load the streams, build the domain command, call the domain's decide, return the writes and the
 * answer. A plan holds no business rule: refusals are the domain's errors. Its name (`generate-waste`, the
 * `type` of POST /v1/commands) is its key in the registry (USE_CASE_FACTORIES), written there only.
 */
export interface UseCase<I, R extends JsonObject> {
  /** What it does, for messages ("record generated waste"). */
  readonly action: string;
  readonly allowed: readonly PrincipalKind[];
  plan(input: I, context: PlanContext, unitOfWork: UnitOfWork): Promise<Decision<R>>;
}

/** `undefined` for `null` (optional JSON fields may come as null). */
export function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}
