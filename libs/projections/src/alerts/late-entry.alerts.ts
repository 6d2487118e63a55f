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

/** The subject, the acting party and the categories of a command's event, for a late-entry alert. */
async function lateEntryOf(
  rows: RowAccess,
  event: DomainEvent,
): Promise<
  | {
      manifestNo?: string;
      traceCode?: string;
      actor: AlertParty;
      others?: AlertParty[];
      categories: string[];
    }
  | undefined
> {
  const manifestCategories = async (manifestNo: string) =>
    undelimited((await rows.get(alertManifests, { manifestNo }))?.categories ?? null);
  // a late step of a manifest concerns its three parties; the actor comes first
  const others = (d: { shipperUscc: string; carrierUscc: string; receiverUscc: string }, actor: string) =>
    manifestParties(d).filter((p) => p.role !== actor);
  switch (event.type) {
    case 'WasteGenerated':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.generatorUscc, role: 'generator' },
        categories: [event.data.category],
      };
    case 'BatchSplit':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.actorUscc, role: 'custodian' },
        categories: categoryOfComposition(event.data.children.flatMap((c) => c.composition)),
      };
    case 'BatchesConsolidated':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.custodianUscc, role: 'custodian' },
        categories: [event.data.category],
      };
    case 'WasteUtilised':
    case 'WasteDisposed':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.custodianUscc, role: 'receiver' },
        categories: categoryOfComposition(event.data.composition),
      };
    case 'MassCorrected':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.actorUscc, role: 'custodian' },
        categories: categoryOfComposition(event.data.composition),
      };
    case 'ManifestIssued':
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.shipperUscc, role: 'shipper' },
        others: others(event.data, 'shipper'),
        categories: [...new Set(event.data.lines.map((l) => l.category))],
      };
    case 'ManifestPickedUp':
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.carrierUscc, role: 'carrier' },
        others: others(event.data, 'carrier'),
        categories: await manifestCategories(event.data.manifestNo),
      };
    case 'ManifestHandedOver': {
      // 多式联运: a late hand-over concerns both carriers, the shipper and the receiver
      const d = event.data;
      return {
        manifestNo: d.manifestNo,
        actor: { uscc: d.fromCarrierUscc, role: 'carrier' },
        others: [
          { uscc: d.carrierUscc, role: 'carrier' },
          { uscc: d.shipperUscc, role: 'shipper' },
          { uscc: d.receiverUscc, role: 'receiver' },
        ],
        categories: await manifestCategories(d.manifestNo),
      };
    }
    case 'ManifestReceived':
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.receiverUscc, role: 'receiver' },
        others: others(event.data, 'receiver'),
        categories: await manifestCategories(event.data.manifestNo),
      };
    case 'ManifestCancelled': {
      const manifest = await rows.get(alertManifests, { manifestNo: event.data.manifestNo });
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.shipperUscc, role: 'shipper' },
        others: manifest ? others(manifest, 'shipper') : [],
        categories: undelimited(manifest?.categories ?? null),
      };
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
