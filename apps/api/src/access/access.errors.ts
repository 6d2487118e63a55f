import { DomainError } from '@wasteflow/domain';

/** 401: no token, or one that is unknown, malformed or revoked. */
export class Unauthenticated extends Error {
  readonly status = 401;
  readonly rule = 'unauthenticated';
  constructor() {
    super('a valid bearer token is required (Authorization: Bearer <token>)');
    this.name = 'Unauthenticated';
  }
}

/** 403 decided at the edge (the token's kind may not call the route); the domain has its own forbidden errors. */
export class Forbidden extends DomainError {
  constructor(message: string, details: Record<string, string | readonly string[]> = {}) {
    super({ name: 'Forbidden', rule: 'forbidden', kind: 'forbidden', message, details });
  }
}
