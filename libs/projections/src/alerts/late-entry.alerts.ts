import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';
import {
  COMMAND_EVENT_TYPES,
  entryOf,
  MANIFEST_EVENT_TYPES,
  type DomainEvent,
  type ManifestPickedUpData,
  workingDaysAfter,
} from '@wasteflow/domain';
import type { RowAccess } from '../runner/row-access';
import type { RowOf } from '../runner/table';
import { undelimited } from '../query/read-scope';
import { instantMs } from '../time-memo';
import type { ReferenceData } from '../reference/reference-data';
import {
  calendarGap,
  categoryOfComposition,
  manifestParties,
  recordedAtOf,
  type AlertParty,
  type AlertWriter,
} from './alert-writer';
import { alertManifests, type AlertKind } from './alerts.tables';

/**
 * The alerts of when a fact was recorded: `late_entry` (a command's event recorded more than 72 h after it
 * occurred; a paper manifest's pickup entered after the 10th working day), and `after_revocation` (a record
 * relying on a permit that lapsed before it was recorded, always beside a late entry).
 */

/** A paper manifest is to be entered within this many working days of its pickup (DESIGN §2). */
export const PAPER_BACKFILL_WORKING_DAYS = 10;

/** The events a command writes itself (the custody events derived from them are not late entries again). */
export const COMMAND_EVENTS = new Set<string>(
  COMMAND_EVENT_TYPES.filter((type) => entryOf(type).aggregate !== 'party'),
);

/** Events on an existing manifest. */
export const MANIFEST_EVENTS = new Set<string>(MANIFEST_EVENT_TYPES.filter((type) => !entryOf(type).creates));

interface LateEntry {
  readonly manifestNo?: string;
  readonly traceCode?: string;
  readonly actor: AlertParty;
  readonly others?: AlertParty[];
  readonly categories: string[];
}

interface ManifestParties {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
}

/** A late step of a batch: its trace code, who acted in which role, the categories it concerns. */
function batchStep(traceCode: string, uscc: string, role: string, categories: string[]): LateEntry {
  return { traceCode, actor: { uscc, role }, categories };
}

/** A late step of a manifest concerns its three parties, the actor (shipper, carrier or receiver) first. */
function manifestStep(
  d: ManifestParties,
  role: 'shipper' | 'carrier' | 'receiver',
  categories: string[],
): LateEntry {
  const parties = manifestParties(d);
  return {
    manifestNo: d.manifestNo,
    actor: parties.find((p) => p.role === role) as AlertParty,
    others: parties.filter((p) => p.role !== role),
    categories,
  };
}

/** The subject, the acting party and the categories of a command's event, for a late-entry alert. */
async function lateEntryOf(rows: RowAccess, event: DomainEvent): Promise<LateEntry | undefined> {
  const manifestCategories = async (manifestNo: string) =>
    undelimited((await rows.get(alertManifests, { manifestNo }))?.categories ?? null);
  switch (event.type) {
    case 'WasteGenerated': {
      const d = event.data;
      return batchStep(d.traceCode, d.generatorUscc, 'generator', [d.category]);
    }
    case 'BatchSplit': {
      const d = event.data;
      return batchStep(
        d.traceCode,
        d.actorUscc,
        'custodian',
        categoryOfComposition(d.children.flatMap((c) => c.composition)),
      );
    }
    case 'BatchesConsolidated':
      return batchStep(event.data.traceCode, event.data.custodianUscc, 'custodian', [event.data.category]);
    case 'WasteUtilised':
    case 'WasteDisposed': {
      const d = event.data;
      return batchStep(d.traceCode, d.custodianUscc, 'receiver', categoryOfComposition(d.composition));
    }
    case 'MassCorrected': {
      const d = event.data;
      return batchStep(d.traceCode, d.actorUscc, 'custodian', categoryOfComposition(d.composition));
    }
    case 'ManifestIssued':
      return manifestStep(event.data, 'shipper', [...new Set(event.data.lines.map((l) => l.category))]);
    case 'ManifestPickedUp':
      return manifestStep(event.data, 'carrier', await manifestCategories(event.data.manifestNo));
    case 'ManifestHandedOver': {
      // 多式联运: a late hand-over concerns both carriers, the shipper and the receiver
      const d = event.data;
      return {
        manifestNo: d.manifestNo,
        actor: { uscc: d.fromCarrierUscc, role: 'carrier' },
        others: [
          { uscc: d.carrierUscc, role: 'carrier' },
          ...manifestParties(d).filter((p) => p.role !== 'carrier'),
        ],
        categories: await manifestCategories(d.manifestNo),
      };
    }
    case 'ManifestReceived':
      return manifestStep(event.data, 'receiver', await manifestCategories(event.data.manifestNo));
    case 'ManifestCancelled': {
      const manifest = await rows.get(alertManifests, { manifestNo: event.data.manifestNo });
      const shipper = { uscc: event.data.shipperUscc, role: 'shipper' };
      const categories = undelimited(manifest?.categories ?? null);
      return manifest
        ? { ...manifestStep(manifest, 'shipper', categories), actor: shipper }
        : { manifestNo: event.data.manifestNo, actor: shipper, others: [], categories };
    }
    default:
      return undefined;
  }
}

/** A step of a paper manifest: judged by the 10-working-day rule at pickup, not by the 72 hours. */
async function isPaperStep(rows: RowAccess, event: DomainEvent): Promise<boolean> {
  if (event.type === 'ManifestIssued') return event.data.paper === true;
  if (!MANIFEST_EVENTS.has(event.type) || !('manifestNo' in event.data)) return false;
  return Boolean((await rows.get(alertManifests, { manifestNo: event.data.manifestNo }))?.paper);
}

/**
 * The late entry of a command's event marked `late` (unless a paper manifest's step: the 10-working-day rule
 * at pickup judges those, not the 72 hours) and, when it relied on a permit that had lapsed by the time it
 * was recorded, its after-revocation alert. Runs before the rest: it reads the manifest row that a receipt
 * or a cancel removes.
 */
export async function raiseLateEntries(
  w: AlertWriter,
  rows: RowAccess,
  recorded: RecordedEvent,
  event: DomainEvent,
): Promise<void> {
  if (!COMMAND_EVENTS.has(event.type) || !event.data.late) return;
  const late = await lateEntryOf(rows, event);
  if (!late) return;
  const recordedAt = recordedAtOf(recorded);
  const raise = (id: string, kind: AlertKind, details: JsonObject) =>
    w.raise({
      id,
      kind,
      manifestNo: late.manifestNo,
      traceCode: late.traceCode,
      parties: [late.actor, ...(late.others ?? [])],
      categories: late.categories,
      raisedAt: recordedAt,
      details: { eventType: event.type, occurredAt: event.data.occurredAt, recordedAt, ...details },
    });
  const delayMs = instantMs(recordedAt, 'recordedAt') - instantMs(event.data.occurredAt, 'occurredAt');
  if (!(await isPaperStep(rows, event)))
    await raise(`late_entry:${recorded.id}`, 'late_entry', {
      delayHours: Math.floor(delayMs / 36_000) / 100,
    });
  // permits judged twice: a record relying on a permit that lapsed before it was recorded
  const lapse = 'permitLapse' in event.data ? event.data.permitLapse : undefined;
  if (lapse !== undefined)
    await raise(`after_revocation:${recorded.id}`, 'after_revocation', {
      permitNo: lapse.permitNo,
      how: lapse.how,
      lapsedAt: lapse.lapsedAt,
    });
}

/**
 * 纸质联单补录: the pickup of a paper manifest entered after the end of the 10th working day (official
 * calendar) after it happened is a late entry, whatever the 72-hour rule said.
 */
export async function raisePaperLateEntry(
  w: AlertWriter,
  recorded: RecordedEvent,
  d: ManifestPickedUpData,
  manifest: Readonly<RowOf<typeof alertManifests>>,
  reference: ReferenceData,
): Promise<void> {
  const recordedAt = recordedAtOf(recorded);
  const { dueAt, uncoveredYears } = workingDaysAfter(
    d.occurredAt,
    PAPER_BACKFILL_WORKING_DAYS,
    reference.calendar,
  );
  if (instantMs(recordedAt, 'recordedAt') < instantMs(dueAt, 'dueAt')) return;
  await w.raise({
    id: `late_entry:paper:${d.manifestNo}`,
    kind: 'late_entry',
    manifestNo: d.manifestNo,
    parties: [
      { uscc: d.carrierUscc, role: 'carrier' },
      { uscc: d.shipperUscc, role: 'shipper' },
      { uscc: d.receiverUscc, role: 'receiver' },
    ],
    categories: undelimited(manifest.categories),
    raisedAt: recordedAt,
    details: {
      eventType: 'ManifestPickedUp',
      paper: true,
      rule: 'paper back-fill: to be entered within 10 working days of the pickup',
      occurredAt: d.occurredAt,
      recordedAt,
      workingDays: PAPER_BACKFILL_WORKING_DAYS,
      dueAt,
      ...calendarGap(uncoveredYears),
    },
  });
}
