import { PARTIES, RECEIVER_PERMIT, type Builders } from './fixtures';

/**
 * Values for the path parameters of the OpenAPI document's routes (`{code}`, `{no}`, `{uscc}`, `{permitNo}`,
 * `{stream}`) that name things of the seeded world: a batch of 5 kg consigned on a manifest just issued, the
 * receiver and its permit, the batch's stream. For the suites that walk every route of /docs-json.
 */
export async function pathValuesOf(build: Builders): Promise<Record<string, string>> {
  const { traceCode, manifestNo } = await build.consigned(5);
  return {
    code: traceCode,
    no: manifestNo,
    uscc: PARTIES.receiver.uscc,
    permitNo: RECEIVER_PERMIT.permitNo,
    stream: `batch-${traceCode}`,
  };
}

/** `path` with each `{name}` left in it replaced by its value, URL-encoded (`x1` for a name without one). */
export function concretePath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x1'));
}
