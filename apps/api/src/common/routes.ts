/**
 * The route of each write still served by its own controller, for its request hash (method + template).
 * The registry (writes/write-registry.ts) holds every route; this goes when the last controller does.
 */
export const WRITE_ROUTES = {
  'register-party': { route: 'POST /v1/parties', params: {} },
  'grant-permit': { route: 'POST /v1/parties/{uscc}/permits', params: { uscc: 'uscc' } },
  'revoke-permit': {
    route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
    params: { uscc: 'uscc', permitNo: 'permitNo' },
  },
  'issue-token': { route: 'POST /v1/tokens', params: {} },
  'consolidate-batches': { route: 'POST /v1/consolidations', params: {} },
  'issue-manifest': { route: 'POST /v1/manifests', params: {} },
  'pick-up-manifest': { route: 'POST /v1/manifests/{no}/pickup', params: { no: 'manifestNo' } },
  'hand-over-manifest': { route: 'POST /v1/manifests/{no}/handover', params: { no: 'manifestNo' } },
  'receive-manifest': { route: 'POST /v1/manifests/{no}/receipt', params: { no: 'manifestNo' } },
  'cancel-manifest': { route: 'POST /v1/manifests/{no}/cancel', params: { no: 'manifestNo' } },
  'treat-waste': { route: 'POST /v1/batches/{code}/treatments', params: { code: 'traceCode' } },
  'correct-mass': { route: 'POST /v1/batches/{code}/corrections', params: { code: 'traceCode' } },
} as const;
