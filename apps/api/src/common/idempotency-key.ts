import { InvalidRequest } from '../problems/invalid-request.exception';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * An Idempotency-Key: 1–200 printable ASCII characters (a UUID is the usual choice), not only spaces.
 * `field` names the header, or the bulk item's `commands[i].idempotencyKey`.
 */
export function parseIdempotencyKey(value: unknown, field: string = IDEMPOTENCY_KEY_HEADER): string {
  if (Array.isArray(value))
    throw InvalidRequest.field(field, 'idempotency-key-invalid', `${field} must be given once`);
  if (value === undefined || value === null || value === '')
    throw InvalidRequest.field(field, 'idempotency-key-required', `${field} is required on every write`);
  if (typeof value !== 'string')
    throw InvalidRequest.field(field, 'idempotency-key-invalid', `${field} must be a string`);
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw InvalidRequest.field(
      field,
      'idempotency-key-invalid',
      `${field} has at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    );
  if (!PRINTABLE.test(value) || value.trim() === '')
    throw InvalidRequest.field(field, 'idempotency-key-invalid', `${field} must be printable ASCII`);
  return value;
}
