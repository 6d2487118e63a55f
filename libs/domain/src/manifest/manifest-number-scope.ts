import { requireRegistered } from '../batch/batch.rules';
import type { PartyState } from '../party/party.state';
import { cityOf } from '../values/district';
import { cstParts, parseInstant } from '../values/time';
import { parseUscc } from '../values/uscc';

/**
 * Where a manifest number is allocated (危险废物转移管理办法 Art. 15): the serial counts per year and per
 * city, the year being the China Standard Time year of the recording and the city the shipper's (the
 * waste leaves from there). The command side keeps one counter per scope and composes the number with
 * `composeManifestNumber(year, districtCode, serial)`; `decideIssueManifest` checks it again.
 */
export interface ManifestNumberScope {
  readonly year: number;
  /** The shipper's district (its first 4 digits are the city of the number). */
  readonly districtCode: string;
  /** 4 digits: province + city. */
  readonly cityCode: string;
}

export function manifestNumberScope(
  command: { readonly actorUscc: string; readonly recordedAt: string },
  shipper: PartyState,
): ManifestNumberScope {
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const party = requireRegistered(shipper, actorUscc, 'actorUscc');
  const { year } = cstParts(parseInstant(command.recordedAt, 'recordedAt'));
  return { year, districtCode: party.districtCode, cityCode: cityOf(party.districtCode) };
}
