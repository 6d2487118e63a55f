/**
 * Errors of the command side that are not rules of the domain. The HTTP layer maps them by `status`.
 */
export abstract class LedgerError extends Error {
  abstract readonly status: number;
  abstract readonly rule: string;
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** The same Idempotency-Key was sent earlier with a different request. */
export class IdempotencyKeyReused extends LedgerError {
  readonly status = 422;
  readonly rule = 'idempotency-key-reused';
  constructor(key: string) {
    super(`Idempotency-Key ${JSON.stringify(key)} was already used for a different request`, {
      field: 'Idempotency-Key',
    });
  }
}

/**
 * The same Idempotency-Key was used by a request that was applied, but its record (and so its first
 * answer) is no longer kept: the retention period has passed. The event ids derived from the key refuse
 * to store its events again; nothing is appended.
 */
export class IdempotencyRecordExpired extends LedgerError {
  readonly status = 409;
  readonly rule = 'idempotency-record-expired';
  constructor(key: string) {
    super(
      `Idempotency-Key ${JSON.stringify(key)} was used by a request applied earlier whose answer is no longer kept (older than the retention period); nothing was appended`,
      { field: 'Idempotency-Key' },
    );
  }
}

/** Concurrent writers kept changing the streams this command depends on; the client may retry. */
export class ConcurrencyExhausted extends LedgerError {
  readonly status = 409;
  readonly rule = 'concurrency-retries-exhausted';
  constructor(attempts: number, streams: readonly string[]) {
    super(`the streams changed under ${attempts} attempts; retry the request`, { attempts, streams });
  }
}

/** The token's kind may not run this command at all (a party token registering parties …). */
export class KindNotAllowed extends LedgerError {
  readonly status = 403;
  readonly rule = 'forbidden';
  constructor(kind: string, command: string, allowed: readonly string[]) {
    super(`a ${kind} token may not ${command}`, { command, allowed: [...allowed] });
  }
}

/**
 * The store keeps no records beside its log (KurrentDB): a command that names a person
 * cannot keep the person out of the log, so it is refused (ADR 14); nothing is appended.
 */
export class PersonalDataUnsupported extends LedgerError {
  readonly status = 422;
  readonly rule = 'personal-data-unsupported';
  constructor(store: string) {
    super(`this deployment's ${store} store keeps no personal data records: name no person in a command`, {
      store,
    });
  }
}
