/** 414: the request target is longer than WASTEFLOW_MAX_URL_LENGTH (the answer never repeats it). */
export class UrlTooLong extends Error {
  readonly status = 414;
  readonly rule = 'uri-too-long';
  constructor(maxLength: number) {
    super(`the request target is longer than ${maxLength} characters`);
    this.name = 'UrlTooLong';
  }
}

/** 405: the path exists, with other methods (RFC 9110 §15.5.6: the answer lists them in `Allow`). */
export class MethodNotAllowed extends Error {
  readonly status = 405;
  readonly rule = 'method-not-allowed';
  readonly headers: Readonly<Record<string, string>>;
  readonly details: { readonly allow: readonly string[] };
  constructor(method: string, allow: readonly string[]) {
    super(`${method} is not allowed on this path; use ${allow.join(', ')}`);
    this.name = 'MethodNotAllowed';
    this.headers = { allow: allow.join(', ') };
    this.details = { allow };
  }
}
