/**
 * The error model of the domain. Every error is a named class extending `DomainError` with
 *  - `rule`: a stable kebab-case identifier (part of the API contract: problem documents carry it),
 *  - `kind`: what it is, and so how the HTTP layer answers it —
 *      refusals of a request: invalid → 400, not-found → 404, forbidden → 403, conflict → 409, rule → 422;
 *      `fault`: not the client's doing — the recorded history or the configuration is broken (an unknown
 *      event type, a version without upcaster, an event that does not apply, a hash that does not match,
 *      a bad catalogue). A fault is answered 500 without its details, logged loudly and counted.
 *  - `details`: plain JSON-safe facts; `details.field` names the input field at fault when there is one.
 *
 * Errors are declared in one catalogue per part of the domain, beside the rules that raise them
 * (`values/value.errors.ts`, `catalogue/catalogue.errors.ts`, `party/party.errors.ts`,
 * `batch/batch.errors.ts`, `manifest/manifest.errors.ts`, `alert/alert.errors.ts`,
 * `transfer/transfer-approval.errors.ts`,
 * `events/event.errors.ts`), each in one statement:
 *
 *   export class BatchDepleted extends domainError('rule', 'batch-depleted', (traceCode: string) => [
 *     `batch ${traceCode} holds no mass`, { traceCode },
 *   ]) {}
 *
 * `errors.ts` is their index (DOMAIN_ERRORS), read by the docs and the coverage test.
 */
export type RefusalKind = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'rule';
export type DomainErrorKind = RefusalKind | 'fault';

export type DetailValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly DetailValue[]
  | { readonly [key: string]: DetailValue };

export type ErrorDetails = { readonly [key: string]: DetailValue };

interface DomainErrorInit {
  readonly name: string;
  readonly rule: string;
  readonly kind: DomainErrorKind;
  readonly message: string;
  readonly details?: ErrorDetails;
}

export abstract class DomainError extends Error {
  readonly rule: string;
  readonly kind: DomainErrorKind;
  readonly details: ErrorDetails;

  protected constructor(init: DomainErrorInit) {
    super(init.message);
    this.name = init.name;
    this.rule = init.rule;
    this.kind = init.kind;
    this.details = init.details ?? {};
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A broken history or configuration, not a refusal: 500, logged, counted, never explained to the client. */
export function isFault(error: unknown): error is DomainError & { readonly kind: 'fault' } {
  return error instanceof DomainError && error.kind === 'fault';
}

/** A refusal of the request (4xx): the client's input or the state does not allow it. */
export function isRefusal(error: unknown): error is DomainError & { readonly kind: RefusalKind } {
  return error instanceof DomainError && error.kind !== 'fault';
}

/** An error's message and details, from its constructor's arguments. */
export type Describe<A extends unknown[]> = (
  ...args: A
) => readonly [message: string, details?: ErrorDetails];

/** The class of one named error: what the index and the docs read without building one. */
export interface DomainErrorClass {
  readonly name: string;
  readonly rule: string;
  readonly kind: DomainErrorKind;
  readonly prototype: DomainError;
}

/**
 * The base class of one named error: `class X extends domainError(kind, rule, describe) {}`. The class
 * name is the error's `name`; its constructor takes `describe`'s parameters.
 */
export function domainError<A extends unknown[]>(kind: DomainErrorKind, rule: string, describe: Describe<A>) {
  return class extends DomainError {
    static readonly rule = rule;
    static readonly kind = kind;

    constructor(...args: A) {
      const [message, details] = describe(...args);
      super({ name: new.target.name, rule, kind, message, details });
    }
  };
}

/** `${field}: ${reason}` with the field, the value and the reason as details: the common shape of an invalid value. */
export const fieldReason = (field: string, value: DetailValue, reason: string) =>
  [`${field}: ${reason}`, { field, value, reason }] as const;

/** fieldReason of a typed-in value (an id, a number), the value kept to its first 100 characters in the details. */
export const clippedFieldReason = (reason: string) => (field: string, value: string) =>
  fieldReason(field, value.length > 100 ? `${value.slice(0, 100)}…` : value, reason);

/** `${field}: ${rule}` with the field and the value as details: an invalid value whose rule is always the same. */
export const fieldBreaks = (rule: string) => (field: string, value: DetailValue) =>
  [`${field}: ${rule}`, { field, value }] as const;
