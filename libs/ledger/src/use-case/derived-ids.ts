import { hash } from 'node:crypto';
import { encodeCrockford, TRACE_RANDOM_LENGTH } from '@wasteflow/domain';
import { actorOf, type Principal } from '../access/principal';

/**
 * The random part of a new trace code (40 bits, 8 Crockford symbols), derived from the actor, the
 * Idempotency-Key and the purpose: a retry of the same request composes the same code, two requests
 * practically never collide (and a collision is refused by the domain as BatchAlreadyExists, never merged).
 */
export function derivedRandomPart(principal: Principal, idempotencyKey: string, purpose: string): string {
  const digest = hash('sha256', `${actorOf(principal)}\n${idempotencyKey}\n${purpose}`, 'hex');
  // the first 5 bytes, big-endian (40 bits: exact in a double)
  return encodeCrockford(Number.parseInt(digest.slice(0, 10), 16), TRACE_RANDOM_LENGTH);
}
