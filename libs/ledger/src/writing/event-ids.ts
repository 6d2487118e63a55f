import { hash } from 'node:crypto';
import { actorOf, type Principal } from '../access/principal';

/** Fixed namespace for the name-based (v5) event ids derived from idempotency keys and causing events. */
export const WASTEFLOW_ID_NAMESPACE = '6f1d2c4e-8a0b-5c7d-9e3f-2a4b6c8d0e1f';

const NAMESPACE_BYTES = Buffer.from(WASTEFLOW_ID_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * RFC 9562 name-based UUID, version 5 (SHA-1 of the namespace and the UTF-8 name), as `uuid`'s v5 computes
 * it, with node's crypto (the writer derives one per event: this is on the bulk path).
 */
export function uuidv5(name: string, namespace: string = WASTEFLOW_ID_NAMESPACE): string {
  const ns =
    namespace === WASTEFLOW_ID_NAMESPACE ? NAMESPACE_BYTES : Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hex = hash('sha1', Buffer.concat([ns, Buffer.from(name, 'utf8')]), 'hex');
  // version 5 in the high nibble of byte 6, variant 10 in the two high bits of byte 8
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * UUIDv5 of (actor, Idempotency-Key, stream, index): a retry of the request produces the same ids, so the
 * store refuses to store its events twice even once the key's record has expired.
 */
export function eventId(
  context: { readonly principal: Principal; readonly idempotencyKey: string },
  stream: string,
  index: number,
): string {
  return uuidv5(
    `${actorOf(context.principal)}\n${context.idempotencyKey}\n${stream}\n${index}`,
    WASTEFLOW_ID_NAMESPACE,
  );
}

/** UUIDv5 of (causing event id, stream, index): the process manager's ids. */
export function derivedEventId(causationId: string, stream: string, index: number): string {
  return uuidv5(`${causationId}\n${stream}\n${index}`, WASTEFLOW_ID_NAMESPACE);
}
