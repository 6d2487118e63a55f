import { createHash, randomUUID } from 'node:crypto';
import {
  assertNever,
  composeManifestNumber,
  composeUscc,
  custodyEventsFor,
  decideCancelManifest,
  decideConsolidateBatches,
  decideApproveMassCorrection,
  decideRequestMassCorrection,
  decideGenerateWaste,
  decideGrantPermit,
  decideIssueManifest,
  decidePickUpManifest,
  decideReceiveManifest,
  decideRegisterFacility,
  decideRegisterParty,
  decideSplitBatch,
  decideTreatWaste,
  encodeCrockford,
  evolveBatch,
  evolveManifest,
  evolveParty,
  initialBatchState,
  initialManifestState,
  initialPartyState,
  isBatchEvent,
  isManifestEvent,
  isPartyEvent,
  parseHwCatalogueCsv,
  singleEdition,
  streamOf,
  type BatchState,
  type BatchStreamEvents,
  type DecideOptions,
  type DomainEvent,
  type ExistingBatch,
  traceCodesOf,
  type ManifestState,
  type PartyRole,
  type PartyState,
  type WasteCategory,
} from '@wasteflow/domain';
import { HW_FIXTURE_CSV, HW_FIXTURE_EDITION, childRandomPartsFor, fixedRandomPart } from '@wasteflow/domain/testing';
import type { EventToAppend, JsonObject } from '@wasteflow/event-store';

/**
 * A realistic ledger history for the read-side benchmarks, decided by the domain's own pure decide
 * functions (and the manifest process manager's `custodyEventsFor`) over a mutable in-memory world — the
 * domain's `World` copies its maps on every apply, which is quadratic at a million events.
 *
 * Fourteen months (2025-01 … 2026-02) of Hangzhou: 13 districts, ~8 generators each spread over the five
 * categories (hazardous with six HW codes, every subtype of the others), 4 collectors, 3 carriers and 5
 * receivers with permits. Batches are generated, sometimes split or corrected, shipped on manifests of 1–3
 * lines (some cancelled and re-issued, some delayed past the 5-working-day deadline, receipts with losses,
 * discrepancies, partial and full rejections), hazardous ones often through a collector that consolidates
 * them, then stored and treated (utilised, landfilled, incinerated, co-processed) by the receivers, a few of
 * them kept in storage more than a year, 1 % of the treatments entered late. Deterministic for a seed and a
 * size (ids and hashes aside): the daily rate adapts so the history ends near `events`.
 *
 * Events go out through `sink` one command at a time (the command's events, then the process manager's), as
 * the ledger appends them, with the ledger's metadata (actor, correlation, times, hash chain).
 */
// v4: generators treat their agricultural waste on site under a registered own facility (issue 10 row 5)
// v5: a correction is requested by the custodian and approved by the district's regulator
// (two-party corrections, issue 10 row 4, ADR 0018): three events where v4 wrote one MassCorrected
export const HISTORY_GENERATOR_VERSION = 5;

export interface HistoryEvent {
  readonly stream: string;
  readonly event: EventToAppend;
}

/** Figures of the generated history, from the generator's own fold: what a rebuild must reproduce. */
export interface HistoryFacts {
  readonly version: number;
  readonly seed: number;
  readonly events: number;
  readonly eventsByType: Record<string, number>;
  readonly batches: number;
  readonly manifests: number;
  readonly parties: number;
  /** Grams by category: generated (with corrections), and treated by mode, over the whole history. */
  readonly gramsByCategory: Record<string, Record<string, number>>;
  /** Final state of a sample of batches (every 97th), for spot checks of the trace view. */
  readonly sampleBatches: readonly {
    traceCode: string;
    status: string;
    heldGrams: number;
    custodianUscc: string;
    category: string;
  }[];
  /** Trace codes of batches with a long history (most steps), for trace query benchmarks. */
  readonly busyBatches: readonly string[];
  /** Months covered, first and last (CST). */
  readonly firstMonth: string;
  readonly lastMonth: string;
}

export const HANGZHOU_DISTRICTS = [
  '330102',
  '330105',
  '330106',
  '330108',
  '330109',
  '330110',
  '330111',
  '330112',
  '330113',
  '330114',
  '330122',
  '330127',
  '330182',
] as const;

const HAZARDOUS_CODES = ['900-249-08', '900-214-08', '900-041-49', '336-064-17', '900-402-06', '772-003-18'];
const SUBTYPES: Record<Exclude<WasteCategory, 'hazardous'>, readonly string[]> = {
  industrial: ['tailings', 'fly_ash', 'slag', 'coal_gangue', 'desulfurisation_gypsum', 'smelting_residue', 'sludge', 'other'],
  household: ['recyclable', 'household_hazardous', 'perishable', 'other'],
  agricultural: ['straw', 'manure', 'film', 'pesticide_packaging', 'animal_medical'],
  construction: ['muck', 'mud', 'engineering', 'demolition', 'decoration'],
};
const CATEGORIES: readonly WasteCategory[] = ['hazardous', 'industrial', 'household', 'agricultural', 'construction'];
/** Share of batches by category (hazardous most, as the regulator's first concern). */
const CATEGORY_WEIGHTS = [0.4, 0.2, 0.15, 0.1, 0.15];

/** Treatment operations by category, with their weights. */
const OPERATIONS: Record<WasteCategory, readonly (readonly [string, number])[]> = {
  hazardous: [
    ['R9', 0.35],
    ['D10', 0.35],
    ['D1', 0.05],
    ['C1', 0.15],
    ['D9', 0.1],
  ],
  industrial: [
    ['C2', 0.55],
    ['R5', 0.15],
    ['D1', 0.3],
  ],
  household: [
    ['R15', 0.4],
    ['D10', 0.45],
    ['D1', 0.15],
  ],
  agricultural: [
    ['R15', 0.9],
    ['D10', 0.1],
  ],
  construction: [
    ['C2', 0.88],
    ['D1', 0.12],
  ],
};

const START_MS = Date.parse('2025-01-01T00:00:00+08:00');
const DAYS = 424; // 2025-01-01 … 2026-02-28
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PLATES = ['浙A12345', '浙A88K21', '浙AD2025', '浙A3F7Q9', '浙B5M210', '浙A7T663'];

const cst = (ms: number): string => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;

/** A small linear congruential generator: deterministic, no dependency. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Party {
  readonly uscc: string;
  readonly district: string;
  readonly roles: readonly PartyRole[];
}

/** Where a batch goes next, and when. */
type Task =
  | { readonly kind: 'dispatch'; readonly at: number; readonly traceCode: string }
  | { readonly kind: 'treat'; readonly at: number; readonly traceCode: string; readonly parts: number }
  | { readonly kind: 'correct'; readonly at: number; readonly traceCode: string }
  | { readonly kind: 'receive'; readonly at: number; readonly manifestNo: string; readonly receiver: string };

export interface HistoryOptions {
  /** About this many events (the history stops at the first command reaching it). */
  readonly events: number;
  readonly seed?: number;
}

/**
 * Decides the history and hands each command's events to `sink` (in ledger order). Returns the facts the
 * benchmarks validate against.
 */
export async function generateHistory(
  options: HistoryOptions,
  sink: (events: readonly HistoryEvent[]) => void | Promise<void>,
): Promise<HistoryFacts> {
  const seed = options.seed ?? 20250101;
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    let r = random() * items.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1][0];
  };
  const decide: DecideOptions = { catalogues: singleEdition(parseHwCatalogueCsv(HW_FIXTURE_EDITION, HW_FIXTURE_CSV)) };

  const parties = new Map<string, PartyState>();
  const batches = new Map<string, BatchState>();
  const manifests = new Map<string, ManifestState>();
  const lastHash = new Map<string, string | null>();
  const eventsByType: Record<string, number> = {};
  const gramsByCategory: Record<string, Record<string, number>> = {};
  const stepsOf = new Map<string, number>();
  let emitted = 0;
  let codes = 0;
  let serial = 0;
  let batchCount = 0;
  let manifestCount = 0;

  const apply = (event: DomainEvent): void => {
    if (isPartyEvent(event)) {
      parties.set(event.data.uscc, evolveParty(parties.get(event.data.uscc) ?? initialPartyState, event));
    } else if (isManifestEvent(event)) {
      manifests.set(
        event.data.manifestNo,
        evolveManifest(manifests.get(event.data.manifestNo) ?? initialManifestState, event),
      );
    } else if (isBatchEvent(event)) {
      const code = event.data.traceCode;
      const before = batches.get(code) ?? initialBatchState;
      if (before.status === 'none') batchCount += 1;
      batches.set(code, evolveBatch(before, event));
      stepsOf.set(code, (stepsOf.get(code) ?? 0) + 1);
    }
  };

  const tally = (event: DomainEvent): void => {
    eventsByType[event.type] = (eventsByType[event.type] ?? 0) + 1;
    const add = (category: string, measure: string, grams: number) => {
      const c = (gramsByCategory[category] ??= {});
      c[measure] = (c[measure] ?? 0) + grams;
    };
    switch (event.type) {
      case 'WasteGenerated':
        for (const s of event.data.composition) add(s.category, 'generated', s.grams);
        return;
      case 'WasteUtilised':
      case 'WasteDisposed':
        for (const s of event.data.composition) add(s.category, event.data.mode, s.grams);
        return;
      case 'MassCorrected':
        for (const s of event.data.composition)
          add(s.category, 'generated', event.data.deltaGrams < 0 ? -s.grams : s.grams);
        return;
      case 'BatchLostInTransit':
        for (const s of event.data.composition) add(s.category, 'lost', s.grams);
        return;
      default:
        return;
    }
  };

  /** One command's commit: its events (already applied), sealed per stream as the ledger does. */
  const commit = async (
    events: readonly DomainEvent[],
    actor: string,
    recordedAt: string,
    cause?: string,
  ): Promise<void> => {
    const correlationId = cause ?? randomUUID();
    const out: HistoryEvent[] = [];
    const byStream = new Map<string, EventToAppend[]>();
    for (const event of events) {
      tally(event);
      const stream = streamOf(event);
      const list = byStream.get(stream) ?? [];
      list.push({
        id: randomUUID(),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data as unknown as JsonObject,
        metadata: {
          actor,
          correlationId,
          causationId: correlationId,
          occurredAt: (event.data as { occurredAt?: string }).occurredAt ?? recordedAt,
          recordedAt,
          schemaVersion: event.schemaVersion,
        },
      });
      byStream.set(stream, list);
    }
    for (const [stream, list] of byStream) {
      // The ledger's hash chain (prevHash, hash), with a cheaper hash than its canonical-JSON SHA-256:
      // the metadata has the same shape and size, but `wasteflow verify` would not accept these hashes.
      let prevHash = lastHash.get(stream) ?? null;
      for (const event of list) {
        const hash = createHash('sha256')
          .update(event.id)
          .update(prevHash ?? '')
          .digest('hex');
        const sealed = { ...event, metadata: { ...event.metadata, prevHash, hash } };
        prevHash = hash;
        out.push({ stream, event: sealed });
      }
      lastHash.set(stream, prevHash);
    }
    emitted += out.length;
    await sink(out);
  };

  /** Applies a command's events and commits them; then the process manager's custody events, if any. */
  const act = async (events: readonly DomainEvent[], actor: string, recordedAt: string): Promise<DomainEvent[]> => {
    for (const event of events) apply(event);
    const correlationId = randomUUID();
    await commit(events, actor, recordedAt, correlationId);
    const derived: DomainEvent[] = [];
    for (const event of events) {
      if (!isManifestEvent(event)) continue;
      for (const traceCode of traceCodesOf(event)) {
        const streams: BatchStreamEvents[] = custodyEventsFor(event, batches.get(traceCode) ?? initialBatchState, traceCode);
        for (const s of streams)
          for (const e of s.events) {
            apply(e);
            derived.push(e);
          }
      }
    }
    if (derived.length > 0) await commit(derived, 'system:manifest-custody', recordedAt, correlationId);
    return derived;
  };

  const times = (ms: number, lateBy = 0) => ({
    occurredAt: cst(ms),
    recordedAt: new Date(ms + 60_000 + lateBy).toISOString(),
  });

  // ------------------------------------------------------------------ parties
  const generators: Party[] = [];
  const collectors: Party[] = [];
  const carriers: Party[] = [];
  const receivers: Party[] = [];
  const register = async (prefix: string, district: string, index: number, roles: PartyRole[], name: string) => {
    const uscc = composeUscc(`91${district}MA2${prefix}${String(index).padStart(5, '0')}`);
    const at = START_MS - 30 * DAY + index * 60_000;
    const events = decideRegisterParty(
      { uscc, name, roles, districtCode: district, ...times(at) },
      initialPartyState,
    );
    await act(events, 'admin:bench', times(at).recordedAt);
    return { uscc, district, roles };
  };
  let n = 0;
  for (const district of HANGZHOU_DISTRICTS)
    for (let i = 0; i < 8; i += 1)
      generators.push(await register('G', district, ++n, ['generator'], `杭州${district}产废单位${i + 1}`));
  for (const district of ['330110', '330113', '330182', '330105'])
    collectors.push(await register('C', district, ++n, ['collector', 'carrier'], `收集单位${district}`));
  for (const district of ['330105', '330109', '330114'])
    carriers.push(await register('T', district, ++n, ['carrier'], `运输单位${district}`));
  for (const district of ['330109', '330114', '330182', '330110', '330122'])
    receivers.push(await register('R', district, ++n, ['receiver'], `利用处置单位${district}`));
  const permit = async (p: Party, operations: string[], permitNo: string) => {
    const at = START_MS - 20 * DAY;
    const events = decideGrantPermit(
      {
        uscc: p.uscc,
        permitNo,
        hwCategories: ['HW06', 'HW08', 'HW17', 'HW18', 'HW49'],
        wasteCodes: [],
        operations,
        annualCapacityGrams: 900_000_000_000,
        validFrom: '2024-01-01',
        validTo: '2030-12-31',
        ...times(at),
      },
      parties.get(p.uscc) ?? initialPartyState,
      decide,
    );
    await act(events, 'regulator:bench', times(at).recordedAt);
  };
  let permits = 0;
  for (const r of receivers)
    await permit(r, ['R9', 'D10', 'D1', 'C1', 'D9', 'store'], `33010${String(++permits).padStart(5, '0')}`);
  for (const c of collectors) await permit(c, ['collect', 'store'], `33010${String(++permits).padStart(5, '0')}`);
  // agricultural waste utilised (or burnt) on site: a generator treats only with an own facility covering
  // the operation, registered by the regulator (DESIGN §2 "Who may treat"); no random draw, so the rest of
  // the history is the one version 3 drew
  let facilities = 0;
  for (const g of generators) {
    const at = START_MS - 20 * DAY + ++facilities * 60_000;
    const events = decideRegisterFacility(
      {
        uscc: g.uscc,
        facilityCode: `ZJ-${g.district}-F${String(facilities).padStart(4, '0')}`,
        operations: OPERATIONS.agricultural.map(([operation]) => operation),
        validFrom: '2024-01-01',
        validTo: '2030-12-31',
        regulator: { districts: ['3301'], categories: [...CATEGORIES], tokenId: 'regulator:bench' },
        ...times(at),
      },
      parties.get(g.uscc) ?? initialPartyState,
      decide,
    );
    await act(events, 'regulator:bench', times(at).recordedAt);
  }

  // ------------------------------------------------------------------ the agenda
  const agenda: Task[][] = Array.from({ length: DAYS + 800 }, () => []);
  const dayOf = (ms: number) => Math.floor((ms - START_MS) / DAY);
  const schedule = (task: Task) => {
    const day = Math.max(0, dayOf(task.at));
    (agenda[day] ??= []).push(task);
  };
  const collectorPools = new Map<string, string[]>(collectors.map((c) => [c.uscc, []]));
  const batchOf = (code: string): ExistingBatch | undefined => {
    const b = batches.get(code);
    return b && b.status !== 'none' ? b : undefined;
  };

  /** Issues a manifest; picks it up and receives it (or cancels it, or delays the receipt). */
  const ship = async (codes: string[], shipper: string, receiver: string, at: number): Promise<void> => {
    const lines = codes.filter((c) => {
      const b = batchOf(c);
      return b && b.status === 'held' && b.custodianUscc === shipper && b.heldGrams > 0;
    });
    if (lines.length === 0) return;
    const year = Number(cst(at).slice(0, 4));
    const manifestNo = composeManifestNumber(year, '330100', (serial = (serial % 999_999) + 1));
    const carrier = collectorPools.has(shipper) ? shipper : pick(carriers).uscc;
    const shipperParty = parties.get(shipper) ?? initialPartyState;
    const issued = decideIssueManifest(
      {
        manifestNo,
        actorUscc: shipper,
        carrierUscc: carrier,
        receiverUscc: receiver,
        plannedAt: cst(at + 2 * HOUR),
        lines: lines.map((traceCode) => ({ traceCode })),
        ...times(at),
      },
      {
        manifest: manifests.get(manifestNo) ?? initialManifestState,
        shipper: shipperParty,
        carrier: parties.get(carrier) ?? initialPartyState,
        receiver: parties.get(receiver) ?? initialPartyState,
        batches,
      },
      decide,
    );
    manifestCount += 1;
    await act([...issued.manifest, ...issued.batches.flatMap((s) => s.events)], `party:${shipper}`, times(at).recordedAt);
    if (random() < 0.03) {
      const cancelAt = at + 30 * 60_000;
      const cancelled = decideCancelManifest(
        { manifestNo, actorUscc: shipper, reason: pick(['车辆故障', '改期', '接收单位暂停接收']), ...times(cancelAt) },
        { manifest: manifests.get(manifestNo) ?? initialManifestState },
        decide,
      );
      await act(
        [...cancelled.manifest, ...cancelled.batches.flatMap((s) => s.events)],
        `party:${shipper}`,
        times(cancelAt).recordedAt,
      );
      for (const traceCode of lines) schedule({ kind: 'dispatch', at: at + DAY + 3 * HOUR, traceCode });
      return;
    }
    const pickedAt = at + HOUR + Math.floor(random() * 2 * HOUR);
    const picked = decidePickUpManifest(
      {
        manifestNo,
        actorUscc: carrier,
        vehiclePlate: pick(PLATES),
        ...times(pickedAt),
      },
      manifests.get(manifestNo) ?? initialManifestState,
      decide,
    );
    await act(picked, `party:${carrier}`, times(pickedAt).recordedAt);
    const delayed = random() < 0.02;
    schedule({
      kind: 'receive',
      at: delayed ? pickedAt + (8 + Math.floor(random() * 5)) * DAY : pickedAt + 3 * HOUR,
      manifestNo,
      receiver,
    });
  };

  const receive = async (manifestNo: string, receiver: string, at: number): Promise<void> => {
    const manifest = manifests.get(manifestNo);
    if (!manifest || manifest.status !== 'picked_up') return;
    const lines = manifest.lines.map((line) => {
      const roll = random();
      const receivedGrams =
        roll < 0.86 ? line.massGrams : roll < 0.94 ? Math.floor(line.massGrams * 0.98) : Math.floor(line.massGrams * 0.9);
      const accept = random();
      const acceptedGrams = accept < 0.93 ? receivedGrams : accept < 0.975 ? Math.floor(receivedGrams * 0.6) : 0;
      return {
        traceCode: line.traceCode,
        receivedGrams,
        acceptedGrams,
        ...(acceptedGrams < receivedGrams ? { reason: pick(['抽检不合格', '含水率超标', '成分与联单不符']) } : {}),
        // the code of a partly rejected line's child: deterministic, like every id of the demo history
        returnRandomPart: fixedRandomPart(`${manifestNo}|${line.traceCode}`),
      };
    });
    const received = decideReceiveManifest(
      { manifestNo, actorUscc: receiver, lines, ...times(at) },
      { manifest, receiver: parties.get(receiver) ?? initialPartyState },
      decide,
    );
    const derived = await act(received, `party:${receiver}`, times(at).recordedAt);
    // What the receiver now accepted goes to storage and treatment (at a collector: to its pool); what
    // went back to the shipper (a rejected part, a rejected batch) is dispatched again.
    for (const event of derived) {
      if (event.type === 'BatchReceived') {
        const b = batchOf(event.data.traceCode);
        if (b && b.heldGrams > 0) afterReceipt(b, receiver, at);
      } else if (event.type === 'BatchReturnedFromRejection' || event.type === 'BatchReturnedToShipper') {
        schedule({ kind: 'dispatch', at: at + 2 * DAY, traceCode: event.data.traceCode });
      }
    }
  };

  const afterReceipt = (b: ExistingBatch, holder: string, at: number): void => {
    const pool = collectorPools.get(holder);
    if (pool) {
      pool.push(b.traceCode);
      return;
    }
    const longStay = b.category === 'hazardous' && random() < 0.004;
    const days = longStay ? 370 + Math.floor(random() * 20) : 1 + Math.floor(random() * 30);
    schedule({ kind: 'treat', at: at + days * DAY + 2 * HOUR, traceCode: b.traceCode, parts: random() < 0.3 ? 2 : 1 });
  };

  const treat = async (task: Extract<Task, { kind: 'treat' }>): Promise<void> => {
    const b = batchOf(task.traceCode);
    if (!b || b.status !== 'held' || b.heldGrams === 0) return;
    const late = random() < 0.01 && task.at - 80 * HOUR > Date.parse(b.custodySince);
    const occurred = late ? task.at - 80 * HOUR : task.at;
    const massGrams = task.parts > 1 ? Math.max(1, Math.floor(b.heldGrams * (0.3 + random() * 0.4))) : b.heldGrams;
    const events = decideTreatWaste(
      {
        traceCode: b.traceCode,
        actorUscc: b.custodianUscc,
        operation: weighted(OPERATIONS[b.category]),
        massGrams,
        occurredAt: cst(occurred),
        recordedAt: new Date(task.at + 60_000).toISOString(),
      },
      { batch: b, custodian: parties.get(b.custodianUscc) ?? initialPartyState },
      decide,
    );
    await act(events, `party:${b.custodianUscc}`, new Date(task.at + 60_000).toISOString());
    if (task.parts > 1) schedule({ ...task, at: task.at + (1 + Math.floor(random() * 20)) * DAY, parts: 1 });
  };

  const dispatch = (traceCode: string, readyToday: Map<string, string[]>): void => {
    const b = batchOf(traceCode);
    if (!b || b.status !== 'held' || b.heldGrams === 0) return;
    const list = readyToday.get(b.custodianUscc) ?? [];
    list.push(traceCode);
    readyToday.set(b.custodianUscc, list);
  };

  const shipReady = async (readyToday: Map<string, string[]>, dayStart: number): Promise<void> => {
    let k = 0;
    for (const [shipper, codesOfShipper] of readyToday) {
      // split some first
      const lines: string[] = [];
      for (const code of codesOfShipper) {
        const b = batchOf(code);
        if (!b || b.status !== 'held' || b.heldGrams < 10) continue;
        if (b.creation === 'generated' && random() < 0.1) {
          const at = dayStart + 9 * HOUR + (k++ % 60) * 60_000;
          const parts = [Math.floor(b.heldGrams * (0.1 + random() * 0.3))];
          if (random() < 0.4) parts.push(Math.floor(b.heldGrams * (0.05 + random() * 0.15)));
          const result = decideSplitBatch({ traceCode: code, actorUscc: shipper, partsGrams: parts, childRandomParts: childRandomPartsFor(code, parts.length, times(at).occurredAt), ...times(at) }, b, decide);
          await act(result.flatMap((s) => s.events), `party:${shipper}`, times(at).recordedAt);
          for (const s of result) lines.push(s.traceCode);
          continue;
        }
        lines.push(code);
      }
      // agricultural waste is mostly utilised on site; the rest ships on manifests of up to three lines
      const onSite = lines.filter((c) => batchOf(c)?.category === 'agricultural' && random() < 0.5);
      for (const code of onSite)
        schedule({ kind: 'treat', at: dayStart + DAY + 10 * HOUR + (k++ % 60) * 60_000, traceCode: code, parts: 1 });
      const toShip = lines.filter((c) => !onSite.includes(c));
      const fromCollector = collectorPools.has(shipper);
      for (let i = 0; i < toShip.length; ) {
        const size = 1 + Math.floor(random() * 3);
        const group = toShip.slice(i, i + size);
        i += size;
        const first = batchOf(group[0]);
        if (!first) continue;
        const category = first.category;
        const sameCategory = group.filter((c) => batchOf(c)?.category === category);
        const viaCollector = !fromCollector && category === 'hazardous' && random() < 0.4;
        const receiver = viaCollector ? pick(collectors).uscc : pick(receivers).uscc;
        if (receiver === shipper) continue;
        await ship(sameCategory, shipper, receiver, dayStart + 10 * HOUR + (k++ % 300) * 60_000);
        for (const c of group.filter((c) => !sameCategory.includes(c)))
          schedule({ kind: 'dispatch', at: dayStart + DAY + 8 * HOUR, traceCode: c });
      }
    }
  };

  const consolidate = async (collector: string, at: number): Promise<void> => {
    const pool = collectorPools.get(collector) ?? [];
    collectorPools.set(collector, []);
    const byCode = new Map<string, ExistingBatch[]>();
    for (const code of pool) {
      const b = batchOf(code);
      if (!b || b.status !== 'held' || b.custodianUscc !== collector || b.heldGrams === 0) continue;
      const key = `${b.category}|${b.wasteCode ?? ''}`;
      const list = byCode.get(key) ?? [];
      list.push(b);
      byCode.set(key, list);
    }
    let k = 0;
    const ready = new Map<string, string[]>();
    for (const inputs of byCode.values()) {
      if (inputs.length === 1) {
        ready.set(collector, [...(ready.get(collector) ?? []), inputs[0].traceCode]);
        continue;
      }
      for (let i = 0; i < inputs.length; i += 6) {
        const chunk = inputs.slice(i, i + 6);
        if (chunk.length === 1) {
          ready.set(collector, [...(ready.get(collector) ?? []), chunk[0].traceCode]);
          continue;
        }
        const when = at + (k++ % 60) * 60_000;
        const result = decideConsolidateBatches(
          {
            actorUscc: collector,
            randomPart: encodeCrockford(++codes, 8),
            lines: chunk.map((b) => ({
              traceCode: b.traceCode,
              massGrams: random() < 0.85 ? b.heldGrams : Math.max(1, Math.floor(b.heldGrams * 0.7)),
            })),
            ...times(when),
          },
          {
            consolidator: parties.get(collector) ?? initialPartyState,
            inputs: new Map(chunk.map((b) => [b.traceCode, b as BatchState])),
          },
          decide,
        );
        await act(result.flatMap((s) => s.events), `party:${collector}`, times(when).recordedAt);
        const created = result.find((s) => s.isNew);
        if (created) ready.set(collector, [...(ready.get(collector) ?? []), created.traceCode]);
        // what was left of partly consolidated inputs waits for the next round
        for (const b of chunk) if ((batchOf(b.traceCode)?.heldGrams ?? 0) > 0) collectorPools.get(collector)?.push(b.traceCode);
      }
    }
    if (ready.size > 0) await shipReady(ready, at - 10 * HOUR + DAY);
  };

  const correct = async (traceCode: string, at: number): Promise<void> => {
    const b = batchOf(traceCode);
    if (!b || b.status !== 'held' || b.heldGrams < 1000) return;
    const delta = random() < 0.5 ? -Math.floor(b.heldGrams * 0.02) || -1 : Math.floor(b.heldGrams * 0.03) || 1;
    const requested = decideRequestMassCorrection(
      { traceCode, actorUscc: b.custodianUscc, deltaGrams: delta, reason: '复磅更正', ...times(at) },
      b,
      decide,
    );
    await act(requested, `party:${b.custodianUscc}`, times(at).recordedAt);
    // approved by the regulator of the batch's district (two-party corrections, ADR 0018) at once
    const after = batchOf(traceCode);
    const [made] = requested;
    if (!after || made.type !== 'MassCorrectionRequested') return;
    const approvedAt = times(at).recordedAt;
    const approved = decideApproveMassCorrection(
      {
        traceCode,
        requestId: made.data.requestId,
        decider: {
          kind: 'regulator',
          tokenId: 'bench-regulator',
          districts: [after.composition[0].districtCode],
          categories: [after.category],
        },
        occurredAt: approvedAt,
        recordedAt: approvedAt,
      },
      after,
      decide,
    );
    await act(approved, 'regulator:bench', approvedAt);
  };

  // ------------------------------------------------------------------ the days
  const generateOne = async (at: number): Promise<void> => {
    const generator = pick(generators);
    const category = weighted(CATEGORIES.map((c, i) => [c, CATEGORY_WEIGHTS[i]] as const));
    const massGrams =
      category === 'construction'
        ? 5_000_000 + Math.floor(random() * 40_000_000)
        : category === 'hazardous'
          ? 50_000 + Math.floor(random() * 3_000_000)
          : 200_000 + Math.floor(random() * 8_000_000);
    const events = decideGenerateWaste(
      {
        actorUscc: generator.uscc,
        category,
        ...(category === 'hazardous'
          ? { wasteCode: pick(HAZARDOUS_CODES) }
          : { subtype: pick(SUBTYPES[category]) }),
        massGrams,
        randomPart: encodeCrockford(++codes, 8),
        ...times(at),
      },
      { generator: parties.get(generator.uscc) ?? initialPartyState },
      decide,
    );
    await act(events, `party:${generator.uscc}`, times(at).recordedAt);
    const traceCode = events[0].data.traceCode;
    if (random() < 0.007) schedule({ kind: 'correct', at: at + DAY + 2 * HOUR, traceCode });
    schedule({ kind: 'dispatch', at: at + (1 + Math.floor(random() * 5)) * DAY, traceCode });
  };

  let batchesGenerated = 0;
  for (let day = 0; emitted < options.events; day += 1) {
    const dayStart = START_MS + day * DAY;
    if (day < DAYS) {
      // Adapt the daily rate so the history ends near the target when the 14 months do.
      const perBatch = batchesGenerated > 50 ? emitted / batchesGenerated : 8;
      const remainingDays = DAYS - day;
      const today = Math.max(1, Math.round((options.events - emitted) / remainingDays / perBatch));
      for (let i = 0; i < today && emitted < options.events; i += 1) {
        await generateOne(dayStart + 7 * HOUR + Math.floor((i / today) * 2 * HOUR));
        batchesGenerated += 1;
      }
    }
    if (day % 3 === 2)
      for (const c of collectors) if (emitted < options.events) await consolidate(c.uscc, dayStart + 14 * HOUR);
    // Tasks of the day, and those they schedule for later the same day (a receipt after a pickup).
    for (let round = 0; (agenda[day]?.length ?? 0) > 0 && round < 10 && emitted < options.events; round += 1) {
      const tasks = agenda[day].sort((a, b) => a.at - b.at);
      agenda[day] = [];
      const ready = new Map<string, string[]>();
      for (const task of tasks) {
        if (emitted >= options.events) break;
        switch (task.kind) {
          case 'dispatch': {
            const b = batchOf(task.traceCode);
            if (b && collectorPools.has(b.custodianUscc)) collectorPools.get(b.custodianUscc)?.push(b.traceCode);
            else dispatch(task.traceCode, ready);
            break;
          }
          case 'treat':
            await treat(task);
            break;
          case 'correct':
            await correct(task.traceCode, task.at);
            break;
          case 'receive':
            await receive(task.manifestNo, task.receiver, task.at);
            break;
          default:
            assertNever(task, 'task');
        }
      }
      if (emitted < options.events) await shipReady(ready, dayStart);
    }
    if (day > DAYS + 790) break;
  }

  const codesAll = [...batches.keys()];
  const sampleBatches = codesAll
    .filter((_, i) => i % 97 === 0)
    .map((traceCode) => {
      const b = batchOf(traceCode) as ExistingBatch;
      return {
        traceCode,
        status: b.status,
        heldGrams: b.heldGrams,
        custodianUscc: b.custodianUscc,
        category: b.category,
      };
    });
  const busyBatches = [...stepsOf.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 200)
    .map(([code]) => code);
  return {
    version: HISTORY_GENERATOR_VERSION,
    seed,
    events: emitted,
    eventsByType,
    batches: batchCount,
    manifests: manifestCount,
    parties: parties.size,
    gramsByCategory,
    sampleBatches,
    busyBatches,
    firstMonth: '2025-01',
    lastMonth: '2026-02',
  };
}
