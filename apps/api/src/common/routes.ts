import type { UseCaseType } from '@wasteflow/ledger';

/**
 * The route of each write, for the request hash (method + template) and for POST /v1/commands: `params`
 * maps each path parameter to the bulk body field that carries it (`split-batch` items give `traceCode`).
 */
export const WRITE_ROUTES: Record<
  UseCaseType,
  { readonly route: string; readonly params: Readonly<Record<string, string>> }
> = {
  'register-party': { route: 'POST /v1/parties', params: {} },
  'grant-permit': { route: 'POST /v1/parties/{uscc}/permits', params: { uscc: 'uscc' } },
  'revoke-permit': {
    route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
    params: { uscc: 'uscc', permitNo: 'permitNo' },
  },
  'issue-token': { route: 'POST /v1/tokens', params: {} },
  'generate-waste': { route: 'POST /v1/batches', params: {} },
  'split-batch': { route: 'POST /v1/batches/{code}/split', params: { code: 'traceCode' } },
  'consolidate-batches': { route: 'POST /v1/consolidations', params: {} },
  'issue-manifest': { route: 'POST /v1/manifests', params: {} },
  'pick-up-manifest': { route: 'POST /v1/manifests/{no}/pickup', params: { no: 'manifestNo' } },
  'hand-over-manifest': { route: 'POST /v1/manifests/{no}/handover', params: { no: 'manifestNo' } },
  'receive-manifest': { route: 'POST /v1/manifests/{no}/receipt', params: { no: 'manifestNo' } },
  'cancel-manifest': { route: 'POST /v1/manifests/{no}/cancel', params: { no: 'manifestNo' } },
  'treat-waste': { route: 'POST /v1/batches/{code}/treatments', params: { code: 'traceCode' } },
  'correct-mass': { route: 'POST /v1/batches/{code}/corrections', params: { code: 'traceCode' } },
};
