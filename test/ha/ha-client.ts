import { AT, HW08_CODE } from '../support/fixtures';

/** The admin token both ha suites start their apis with. */
export const ADMIN = 'test-admin-token-for-ha-suite-only-0123456789';

const REQUEST_TIMEOUT_MS = 30_000;

/** A POST with a bearer token and an Idempotency-Key, given up after 30 s (a TimeoutError): the body parsed. */
export async function post(
  base: string,
  path: string,
  token: string,
  body: unknown,
  key: string,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** The generation the load sends: 1 kg of HW08, so the inventory's heldKg counts the batches. */
export function batchBody(): Record<string, unknown> {
  return { category: 'hazardous', wasteCode: HW08_CODE, massKg: 1, occurredAt: AT.generated };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 200 ms until it holds; after `timeoutMs` fails naming `what`. */
export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(200);
  }
}
