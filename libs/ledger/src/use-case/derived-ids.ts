import { createHmac, randomBytes } from 'node:crypto';
import { encodeCrockford, TRACE_RANDOM_LENGTH } from '@wasteflow/domain';
import { actorOf, type Principal } from '../access/principal';

/**
 * New entropy for one command: 256 bits from the operating system's CSPRNG. The edge draws it once per
 * request (per bulk item) and puts it in the command's envelope, so every retry of the plan inside the
 * write loop composes the same ids; a repeated request is answered from its idempotency record (which
 * keeps the first answer, the trace code with it) and never plans again.
 */
export function freshEntropy(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The ledger's key for the random parts of its trace codes: HMAC-SHA256 of its bootstrap secret (the
 * admin token — drawn from the CSPRNG on the first start, or the operator's ≥ 32 characters — shared by
 * every instance of one deployment) under a label of its own, so the admin token itself is never the key.
 */
export function traceCodeKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('wasteflow: trace code random parts, v1').digest();
}

/**
 * The entropy of one command as the edge draws it: HMAC(traceCodeKey, actor ‖ Idempotency-Key). Only the
 * ledger knows the key, so no client can compute a code from its USCC and key (issue 10 row 11: they were
 * SHA-256(actor, key)); the same request always gets the same entropy, so a retry composes the same code
 * even after its idempotency record was purged (ADR 8: it is then refused as BatchAlreadyExists, never
 * applied twice).
 */
export function commandEntropy(key: Buffer, principal: Principal, idempotencyKey: string): string {
  return createHmac('sha256', key)
    .update(`${actorOf(principal)}\n${idempotencyKey}`)
    .digest('hex');
}

/**
 * The random part of a new trace code (40 bits, 8 Crockford symbols) for `purpose`, from the command's
 * entropy (HMAC-SHA256 keyed with it). Nothing a client knows — its USCC, its Idempotency-Key — lets it
 * compute a code (issue 10 row 11: they were SHA-256(actor, key) and so could be recomputed); two commands
 * practically never collide, and a collision is refused by the domain as BatchAlreadyExists, never merged.
 */
export function randomPartFrom(entropy: string, purpose: string): string {
  const digest = createHmac('sha256', Buffer.from(entropy, 'hex')).update(purpose).digest('hex');
  // the first 5 bytes, big-endian (40 bits: exact in a double)
  return encodeCrockford(Number.parseInt(digest.slice(0, 10), 16), TRACE_RANDOM_LENGTH);
}
