/** RFC 9457 problem document, with field-level detail for invalid input. */
export interface FieldProblem {
  /** JSON path of the offending field (`lines[0].massKg`), or a header name. */
  readonly field: string;
  /** The rule it broke, stable and machine-readable (`max-decimal-places`, `isDefined`, …). */
  readonly rule: string;
  readonly message: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  /** The named rule (domain rule or request rule) that refused the request. */
  readonly rule: string;
  readonly errors?: readonly FieldProblem[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(rule: string): string {
  return `urn:wasteflow:problem:${rule}`;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** A problem document of `status` refused by `rule` (`instance`: the request path, left out when undefined). */
export function problemDocument(
  status: number,
  rule: string,
  detail: string,
  instance: string | undefined,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  const document: ProblemDocument = {
    type: problemType(rule),
    title: titleFor(status),
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    rule,
  };
  // An extension never replaces a member of the document itself (a refusal's details may well name a
  // `type` or a `status` of the thing refused).
  const own = document as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(extensions)) if (!RESERVED_MEMBERS.has(key)) own[key] = value;
  return document;
}

const RESERVED_MEMBERS: ReadonlySet<string> = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'rule',
]);
