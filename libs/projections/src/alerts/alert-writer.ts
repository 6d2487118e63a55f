import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';
import type { WasteCategory } from '@wasteflow/domain';
import type { RowAccess } from '../runner/row-access';
import { delimited } from '../query/read-scope';
import { instantMs } from '../time-memo';
import { alertParties, alerts, type AlertKind } from './alerts.tables';

/** What the alert rules (*.alerts.ts) share: the writer of alert rows and the small helpers they all use. */

export interface AlertParty {
  readonly uscc: string;
  readonly role: string;
}

export function ms(instant: string): bigint {
  return BigInt(instantMs(instant, 'instant'));
}

/** The three parties of a manifest, shipper first. */
export function manifestParties(d: {
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
}): AlertParty[] {
  return [
    { uscc: d.shipperUscc, role: 'shipper' },
    { uscc: d.carrierUscc, role: 'carrier' },
    { uscc: d.receiverUscc, role: 'receiver' },
  ];
}

/** For a deadline counted in working days: what to say when the count ran through years the calendar lacks. */
export function calendarGap(uncoveredYears: readonly number[]): JsonObject {
  return uncoveredYears.length > 0
    ? {
        uncoveredYears: [...uncoveredYears],
        calendarNote: `the working-day calendar does not cover ${uncoveredYears.join(', ')}: weekends only were counted there`,
      }
    : {};
}

export function categoryOfComposition(composition: readonly { category: WasteCategory }[]): string[] {
  return [...new Set(composition.map((s) => s.category))];
}

export function recordedAtOf(recorded: RecordedEvent): string {
  const fromMetadata = recorded.metadata.recordedAt;
  return typeof fromMetadata === 'string' ? fromMetadata : recorded.recordedAt.toISOString();
}

/** Raises and settles alerts for one recorded event. */
export class AlertWriter {
  constructor(
    readonly rows: RowAccess,
    private readonly recorded: RecordedEvent,
  ) {}

  async districtOf(uscc: string): Promise<string> {
    return (await this.rows.get(alertParties, { uscc }))?.districtCode ?? '';
  }

  async raise(a: {
    id: string;
    kind: AlertKind;
    manifestNo?: string;
    traceCode?: string;
    parties: readonly AlertParty[];
    categories: readonly string[];
    raisedAt: string;
    raisedAtMs?: bigint;
    details: JsonObject;
  }): Promise<void> {
    const parties: JsonObject[] = [];
    for (const p of a.parties)
      parties.push({ uscc: p.uscc, role: p.role, districtCode: await this.districtOf(p.uscc) });
    const districts = [
      ...new Set(parties.map((p) => p.districtCode as string).filter((d) => d !== '')),
    ].sort();
    this.rows.put(alerts, {
      id: a.id,
      kind: a.kind,
      manifestNo: a.manifestNo ?? null,
      traceCode: a.traceCode ?? null,
      district: (parties[0]?.districtCode as string | undefined) ?? '',
      districts: delimited(districts),
      parties: delimited([...new Set(a.parties.map((p) => p.uscc))].sort()),
      categories: delimited([...new Set(a.categories)].sort()),
      raisedAt: a.raisedAt,
      raisedAtMs: a.raisedAtMs ?? ms(a.raisedAt),
      resolvedAt: null,
      resolvedAtMs: null,
      details: { ...a.details, parties },
      raisedBy: this.recorded.position,
    });
  }

  /**
   * Settles an alert with a deadline by the event that ends its condition at `at`: kept as resolved when
   * the deadline had passed by then, removed when it had not (it never held).
   */
  async settle(id: string, at: string, extra: JsonObject): Promise<void> {
    const alert = await this.rows.get(alerts, { id });
    if (!alert || alert.resolvedAt !== null) return;
    const atMs = ms(at);
    if (atMs >= alert.raisedAtMs) {
      this.rows.put(alerts, {
        ...alert,
        resolvedAt: at,
        resolvedAtMs: atMs,
        details: { ...(alert.details as JsonObject), ...extra },
      });
    } else {
      this.rows.delete(alerts, { id });
    }
  }
}
