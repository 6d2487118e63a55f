import type { AppendResult } from '../event-store.port';

/**
 * What an append answers for one write, from where its last event stands (`replayed`: every event was
 * already stored by an identical earlier append): every adapter's success and idempotent-retry paths.
 */
export function appendResult(
  write: { readonly stream: string; readonly events: readonly { readonly id: string }[] },
  last: { readonly revision: bigint; readonly position: bigint },
  replayed: boolean,
): AppendResult {
  return {
    stream: write.stream,
    revision: last.revision,
    position: last.position,
    eventIds: write.events.map((event) => event.id),
    replayed,
  };
}
