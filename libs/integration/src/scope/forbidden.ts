import { DomainError } from '@wasteflow/domain';

/**
 * 403 decided outside the domain: at the edge (the token's kind may not call the route) and by the read side's
 * scope rule (scope.ts); the domain has its own forbidden errors.
 */
export class Forbidden extends DomainError {
  constructor(message: string, details: Record<string, string | readonly string[]> = {}) {
    super({ name: 'Forbidden', rule: 'forbidden', kind: 'forbidden', message, details });
  }

  /** The token's kind is not among those the route allows. */
  static kindNotAllowed(kind: string, allowed: readonly string[]): Forbidden {
    const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
    return new Forbidden(`${article} ${kind} token may not call this route`, { allowed });
  }
}
