/**
 * The route of a write still served by its own controller (correct-mass), for its request hash. Every
 * other route is in its definition (writes/write-registry.ts); this goes with the last such controller.
 */
export const WRITE_ROUTES = {
  'correct-mass': { route: 'POST /v1/batches/{code}/corrections', params: { code: 'traceCode' } },
} as const;
