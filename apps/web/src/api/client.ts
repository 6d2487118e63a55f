import { isProblemDocument, type ProblemDocument } from '../logic/problems';

/**
 * Every call the console makes is a public API call: the signed-in token as `Authorization: Bearer`,
 * exactly as curl would send it (ADR 6: the token lives in this tab's memory and sessionStorage, never
 * in a cookie). Writes carry an Idempotency-Key; reads after a write pass the write's position as
 * `minPosition`, so the page shows what the user just did.
 */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDocument) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiProblem';
  }
}

/** The request never got an answer (offline, reset): the same intent may be retried with its key. */
export class NetworkFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkFailure';
  }
}

let bearer: string | undefined;
let lastPosition: string | undefined;
let onUnauthenticated: () => void = () => undefined;

export function setBearer(token: string | undefined): void {
  bearer = token;
}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** The highest ledger position a write of this tab answered with (read-your-writes for the next reads). */
export function latestPosition(): string | undefined {
  return lastPosition;
}

function remember(position: string | null | undefined): void {
  if (!position || !/^\d+$/.test(position)) return;
  if (lastPosition === undefined || BigInt(position) > BigInt(lastPosition)) lastPosition = position;
}

interface Sent {
  body?: unknown;
  /** A file sent as it is (an import), with its own content type. */
  file?: { data: Blob; type: string };
  key?: string;
  token?: string;
  accept?: string;
}

/** One request with the tab's bearer; a refusal is thrown as the API's problem document. */
async function send(method: string, path: string, init: Sent): Promise<Response> {
  const headers: Record<string, string> = { Accept: init.accept ?? 'application/json' };
  const token = init.token ?? bearer;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.file) headers['Content-Type'] = init.file.type;
  if (init.key) headers['Idempotency-Key'] = init.key;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: init.file ? init.file.data : init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new NetworkFailure(error);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const problem = isProblemDocument(json) ? json : { status: response.status, detail: text.slice(0, 200) };
    if (response.status === 401 && token === bearer) onUnauthenticated();
    throw new ApiProblem(problem);
  }
  remember(response.headers.get('x-ledger-position'));
  return response;
}

async function call<T>(method: string, path: string, init: Sent = {}): Promise<T> {
  const response = await send(method, path, init);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new NetworkFailure(error);
  }
  try {
    return (text === '' ? undefined : JSON.parse(text)) as T;
  } catch {
    return undefined as T;
  }
}

/** A document the API renders (PDF, SVG, xlsx, csv): its bytes and the file name it offers. */
export interface ApiDocument {
  readonly blob: Blob;
  /** From Content-Disposition's filename, when the API gives one. */
  readonly filename: string | undefined;
}

/** A query string from the defined, non-empty values; `minPosition` added from the last write. */
export function query(params: Record<string, string | number | boolean | undefined | null>, readYourWrites = true): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const position = latestPosition();
  if (readYourWrites && position !== undefined && !search.has('minPosition')) search.set('minPosition', position);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const api = {
  get<T>(path: string, token?: string): Promise<T> {
    return call<T>('GET', path, token ? { token } : {});
  },
  /** A write: `key` is the intent's Idempotency-Key (logic/intent.ts). */
  post<T>(path: string, body: unknown, key: string): Promise<T> {
    return call<T>('POST', path, { body, key });
  },
  /** A change to configuration (PATCH /v1/webhooks/{id}): not a ledger write, no Idempotency-Key. */
  patch<T>(path: string, body: unknown): Promise<T> {
    return call<T>('PATCH', path, { body });
  },
  /** A removal (DELETE /v1/webhooks/{id}), answered 204. */
  async remove(path: string): Promise<void> {
    await call<unknown>('DELETE', path);
  },
  /** A file as the body (POST /v1/imports), answered with JSON. */
  upload<T>(path: string, data: Blob, type: string): Promise<T> {
    return call<T>('POST', path, { file: { data, type } });
  },
  /** A document read with the tab's token (a plain link would carry none). */
  async document(path: string): Promise<ApiDocument> {
    const response = await send('GET', path, { accept: '*/*' });
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1];
    try {
      return { blob: await response.blob(), filename };
    } catch (error) {
      throw new NetworkFailure(error);
    }
  },
};
