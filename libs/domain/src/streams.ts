/** Stream names: one stream per aggregate instance. */
export const partyStream = (uscc: string): string => `party-${uscc}`;
export const batchStream = (traceCode: string): string => `batch-${traceCode}`;
export const manifestStream = (manifestNo: string): string => `manifest-${manifestNo}`;
/** The lifecycle of a derived alert (ADR 0015): what people did about it. */
export const alertStream = (alertId: string): string => `alert-${alertId}`;
/** A cross-province transfer approval (跨省转移审批), keyed by its number. */
export const transferApprovalStream = (approvalNo: string): string => `transfer-approval-${approvalNo}`;

export const STREAM_PREFIXES = {
  party: 'party-',
  batch: 'batch-',
  manifest: 'manifest-',
  alert: 'alert-',
  transferApproval: 'transfer-approval-',
} as const;

export type AggregateKind = keyof typeof STREAM_PREFIXES;

export const AGGREGATE_KINDS: readonly AggregateKind[] = [
  'party',
  'batch',
  'manifest',
  'alert',
  'transferApproval',
];

/** The stream of an aggregate instance. */
export function streamName(kind: AggregateKind, id: string): string {
  return `${STREAM_PREFIXES[kind]}${id}`;
}

/** The aggregate kind and id of a stream name, or undefined when it is not a domain stream. */
export function parseStream(stream: string): { kind: AggregateKind; id: string } | undefined {
  for (const kind of AGGREGATE_KINDS) {
    if (stream.startsWith(STREAM_PREFIXES[kind]))
      return { kind, id: stream.slice(STREAM_PREFIXES[kind].length) };
  }
  return undefined;
}
