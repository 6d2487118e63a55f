/** 401: no token, or one that is unknown, malformed or revoked. */
export class Unauthenticated extends Error {
  readonly status = 401;
  readonly rule = 'unauthenticated';
  constructor() {
    super('a valid bearer token is required (Authorization: Bearer <token>)');
    this.name = 'Unauthenticated';
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
