import { hash } from 'node:crypto';
import { canonicalJson } from '@wasteflow/event-store';

/** What identifies a write request for idempotency: the same key must come with the same request. */
export interface RequestIdentity {
  /** Method and route template, e.g. `POST /v1/batches/{code}/split`. */
  readonly route: string;
  /** Path parameters in canonical form (a trace code upper-cased …). */
  readonly params: Readonly<Record<string, string>>;
  /** The JSON body as sent (parsed). */
  readonly body: unknown;
}

/**
 * Hex SHA-256 of the RFC 8785 canonical JSON of `{ route, params, body }`: insensitive to key order and
 * whitespace, sensitive to every value. A bulk item hashes exactly like the single request it stands for
 * (its path parameters taken out of its body), so a retry may switch between the two.
 */
export function requestHash(identity: RequestIdentity): string {
  const text = canonicalJson({ route: identity.route, params: identity.params, body: identity.body ?? null });
  return hash('sha256', text ?? 'null', 'hex');
}
