import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { percentile } from '../harness/stats';

/** One prepared request of a load run: sent exactly once, by whichever connection is free. */
export interface RequestSpec {
  /** What the request does (`generate`, `issue`, `receive`, `bulk`): counted per kind for validation. */
  readonly kind: string;
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface LoadResult {
  readonly connections: number;
  /** Responses received. */
  readonly responses: number;
  /** From the start of the run to the last response (autocannon itself ends on its next 1-second tick). */
  readonly seconds: number;
  /** Responses per second over `seconds`. */
  readonly throughput: number;
  /** Exact percentiles of every response's latency as autocannon measured it (ms, hrtime). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** The same from autocannon's latency histogram (whole milliseconds: it truncates). */
  readonly histogramP50Ms: number;
  readonly histogramP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Requests handed to autocannon, by kind (each one sent exactly once). */
  readonly sentByKind: ReadonlyMap<string, number>;
  /** A few non-2xx answers, to say why a run failed. */
  readonly failures: readonly string[];
}

/**
 * Sends `specs` to `url` with autocannon, `connections` at a time, each request exactly once (autocannon's
 * `amount`, and one `setupRequest` pulling the next prepared request from a shared queue: each connection
 * asks for a request when it is free, so the mix is the order of `specs`). `onBody` sees every answer's
 * body (e.g. to check the items of a bulk answer); only set it when needed, autocannon then keeps bodies.
 */
export function runLoad(
  url: string,
  specs: readonly RequestSpec[],
  connections: number,
  onBody?: (status: number, body: string) => void,
): Promise<LoadResult> {
  if (specs.length < connections) throw new Error(`${specs.length} requests for ${connections} connections`);
  let next = 0;
  const sentByKind = new Map<string, number>();
  const latencies: number[] = [];
  const failures: string[] = [];
  const request: autocannon.Request = {
    setupRequest: (req: autocannon.Request) => {
      const spec = specs[next];
      next += 1;
      if (!spec) throw new Error('load: more requests asked for than prepared');
      sentByKind.set(spec.kind, (sentByKind.get(spec.kind) ?? 0) + 1);
      return { ...req, method: spec.method, path: spec.path, headers: { ...spec.headers }, body: spec.body };
    },
    onResponse: (status: number, body: string) => {
      if ((status < 200 || status > 299) && failures.length < 5) failures.push(`${status}: ${body.slice(0, 300)}`);
      onBody?.(status, body);
    },
  };
  return new Promise<LoadResult>((resolve, reject) => {
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon(
      {
        url,
        connections,
        amount: specs.length,
        pipelining: 1,
        // seconds without an answer before autocannon counts a timeout: a 1,000-item bulk request on the
        // starved shared machine has taken over 30 s (every timeout fails the run)
        timeout: 120,
        requests: [request],
      },
      (error, result) => {
        const seconds = (lastResponse - started) / 1000;
        if (error) {
          reject(error);
          return;
        }
        const responses = latencies.length;
        resolve({
          connections,
          responses,
          seconds,
          throughput: responses / seconds,
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, responses),
          maxMs: latencies.reduce((a, b) => Math.max(a, b), 0),
          histogramP50Ms: result.latency.p50,
          histogramP99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          sentByKind,
          failures,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      lastResponse = performance.now();
    });
  });
}
