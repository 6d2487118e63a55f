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

  /** The token's kind is not among those the route allows. */
  static kindNotAllowed(kind: string, allowed: readonly string[]): Forbidden {
    const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
    return new Forbidden(`${article} ${kind} token may not call this route`, { allowed });
  }
}

/** 429: the caller (a token, or a client address without one) spent its requests for the window. */
export class RateLimited extends Error {
  readonly status = 429;
  readonly rule = 'rate-limited';
  readonly headers: Readonly<Record<string, string>>;
  readonly details: { readonly limit: number; readonly retryAfterSeconds: number };
  constructor(who: 'token' | 'client', limit: number, retryAfterSeconds: number) {
    super(
      `this ${who === 'token' ? 'token' : 'client address'} made more than ${limit} requests in a minute; retry after ${retryAfterSeconds} s`,
    );
    this.name = 'RateLimited';
    this.headers = { 'retry-after': String(retryAfterSeconds) };
    this.details = { limit, retryAfterSeconds };
  }
}
