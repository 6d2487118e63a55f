import { type GenerateWasteCommand } from '../batch/generate-waste.decide';
import type { SplitBatchCommand } from '../batch/split-batch.decide';
import type { ConsolidateBatchesCommand } from '../batch/consolidate-batches.decide';
import type { TreatWasteCommand } from '../batch/treat-waste.decide';
import { type RequestMassCorrectionCommand } from '../batch/request-mass-correction.decide';
import {
  type ApproveMassCorrectionCommand,
  type RejectMassCorrectionCommand,
} from '../batch/decide-mass-correction.decide';
import { parseHwCatalogueCsv, type HwCatalogue } from '../catalogue/hw-catalogue';
import { HW_FIXTURE_CSV, HW_FIXTURE_EDITION } from '../catalogue/testing/hw-fixture';
import { hwCatalogueEditions, singleEdition, type HwCatalogueEditions } from '../catalogue/hw-editions';
import {
  HW_FIXTURE_NEXT_CSV,
  HW_FIXTURE_NEXT_EDITION,
  HW_FIXTURE_NEXT_IN_FORCE_FROM,
} from '../catalogue/testing/hw-fixture-next';
import type { IssueManifestCommand } from '../manifest/issue-manifest.decide';
import type { PickUpManifestCommand } from '../manifest/pick-up-manifest.decide';
import type { ReceiveManifestCommand } from '../manifest/receive-manifest.decide';
import type { HandOverManifestCommand } from '../manifest/hand-over-manifest.decide';
import type { CancelManifestCommand } from '../manifest/cancel-manifest.decide';
import { type RegisterPartyCommand } from '../party/register-party.decide';
import { type GrantPermitCommand } from '../party/grant-permit.decide';
import type { RevokePermitCommand } from '../party/revoke-permit.decide';
import { type RegisterFacilityCommand } from '../party/register-facility.decide';
import { composeManifestNumber } from '../values/manifest-number';
import { composeUscc } from '../values/uscc';
import { encodeCrockford } from '../values/crockford';

/**
 * Fixed builders: deterministic ids and times, never a clock or randomness. Overrides are shallow.
 * Time: Monday 3 March 2025 in Hangzhou; `at('09:00')` is that day, `at('2025-03-05T14:00')` any other.
 */
export const GENERATOR = composeUscc('91330106MA2GEN001');
export const OTHER_GENERATOR = composeUscc('91330108MA2GEN002');
export const CARRIER = composeUscc('91330105MA2CAR001');
/** A second carrier (多式联运: the next leg), in Ningbo. */
export const CARRIER_2 = composeUscc('91330203MA2CAR002');
export const RECEIVER = composeUscc('91330109MA2REC001');
export const COLLECTOR = composeUscc('91330110MA2CLT001');
export const STRANGER = composeUscc('91330102MA2XY0009');

export const XIHU = '330106';
export const BINJIANG = '330108';
export const XIAOSHAN = '330109';
export const YUHANG = '330110';
export const GONGSHU = '330105';
export const SHANGCHENG = '330102';

export const DAY0 = '2025-03-03';

/** `at('09:00')` → 2025-03-03T09:00:00+08:00; `at('2025-03-05T14:30')` → 2025-03-05T14:30:00+08:00. */
export function at(time: string): string {
  const full = time.includes('T') ? time : `${DAY0}T${time}`;
  return `${full.length === 16 ? `${full}:00` : full}+08:00`;
}

/** The server's recording time: `delayMs` (default 1 minute) after `occurredAt`, as UTC ISO. */
export function recordedAfter(occurredAt: string, delayMs = 60_000): string {
  return new Date(Date.parse(occurredAt) + delayMs).toISOString();
}

/** Times of a command happening at `time` and recorded a minute later. */
export function timed(time: string): { occurredAt: string; recordedAt: string } {
  const occurredAt = at(time);
  return { occurredAt, recordedAt: recordedAfter(occurredAt) };
}

/** Deterministic random parts: `randomPart(1)` → 0000000001 in base32 (8 symbols). */
export function randomPart(n: number): string {
  return encodeCrockford(n, 8);
}

/** Deterministic manifest numbers in Hangzhou: `manifestNo(1)` → 20253301000001. */
export function manifestNo(serial: number, districtCode = XIHU, year = 2025): string {
  return composeManifestNumber(year, districtCode, serial);
}

/** Manifest 1 as its events name it: its number and its parties (GENERATOR ships, CARRIER carries, RECEIVER receives). */
export const MANIFEST_1 = {
  manifestNo: manifestNo(1),
  shipperUscc: GENERATOR,
  carrierUscc: CARRIER,
  receiverUscc: RECEIVER,
} as const;

let fixtureCatalogueCache: HwCatalogue | undefined;
/** The fixture catalogue (a dozen rows of the 2021 edition). */
export function fixtureCatalogue(): HwCatalogue {
  fixtureCatalogueCache ??= parseHwCatalogueCsv(HW_FIXTURE_EDITION, HW_FIXTURE_CSV);
  return fixtureCatalogueCache;
}

/** The fixture catalogue as the only edition, in force at every date (the decide options of the builders). */
export function fixtureEditions(): HwCatalogueEditions {
  return singleEdition(fixtureCatalogue());
}

/**
 * Two editions at once (ADR 0019): the 2021 fixture from 2021-01-01, the next fixture from 2025-03-04
 * (`hw-fixture-next.ts`: one code removed, one added).
 */
export function twoFixtureEditions(): HwCatalogueEditions {
  return hwCatalogueEditions([
    { edition: HW_FIXTURE_EDITION, inForceFrom: '2021-01-01', catalogue: fixtureCatalogue() },
    {
      edition: HW_FIXTURE_NEXT_EDITION,
      inForceFrom: HW_FIXTURE_NEXT_IN_FORCE_FROM,
      catalogue: parseHwCatalogueCsv(HW_FIXTURE_NEXT_EDITION, HW_FIXTURE_NEXT_CSV),
    },
  ]);
}

// ------------------------------------------------------------------------------------------------
// commands
// ------------------------------------------------------------------------------------------------

export function registerPartyCommand(o: Partial<RegisterPartyCommand> = {}): RegisterPartyCommand {
  return {
    uscc: GENERATOR,
    name: '杭州示例制造有限公司',
    roles: ['generator'],
    districtCode: XIHU,
    ...timed('08:00'),
    ...o,
  };
}

export function grantPermitCommand(o: Partial<GrantPermitCommand> = {}): GrantPermitCommand {
  return {
    uscc: RECEIVER,
    permitNo: '3301000001',
    hwCategories: ['HW08'],
    wasteCodes: ['841-001-01'],
    operations: ['D10', 'R9', 'store'],
    annualCapacityGrams: 10_000_000_000,
    validFrom: '2025-01-01',
    validTo: '2027-12-31',
    ...timed('08:10'),
    ...o,
  };
}

/** The regulator of Hangzhou (all its districts), every category: registers facilities there. */
export const HANGZHOU_REGULATOR = {
  districts: ['3301'],
  categories: ['hazardous', 'industrial', 'household', 'agricultural', 'construction'],
  tokenId: 'tok_regulator_3301',
} as const;

/** GENERATOR's own utilisation facility (R5, C2), valid 2025–2027, registered by the Hangzhou regulator. */
export function registerFacilityCommand(o: Partial<RegisterFacilityCommand> = {}): RegisterFacilityCommand {
  return {
    uscc: GENERATOR,
    facilityCode: 'ZJ-330106-F001',
    operations: ['R5', 'C2'],
    validFrom: '2025-01-01',
    validTo: '2027-12-31',
    regulator: HANGZHOU_REGULATOR,
    ...timed('08:15'),
    ...o,
  };
}

export function revokePermitCommand(o: Partial<RevokePermitCommand> = {}): RevokePermitCommand {
  return { uscc: RECEIVER, permitNo: '3301000001', reason: '超范围经营', ...timed('08:20'), ...o };
}

export function generateWasteCommand(o: Partial<GenerateWasteCommand> = {}): GenerateWasteCommand {
  return {
    actorUscc: GENERATOR,
    category: 'hazardous',
    wasteCode: '900-249-08',
    massGrams: 1_000_000,
    randomPart: randomPart(1),
    ...timed('09:00'),
    ...o,
  };
}

export function splitCommand(traceCode: string, o: Partial<SplitBatchCommand> = {}): SplitBatchCommand {
  const base = { traceCode, actorUscc: GENERATOR, partsGrams: [300_000], ...timed('10:00'), ...o };
  return {
    ...base,
    childRandomParts:
      o.childRandomParts ?? childRandomPartsFor(traceCode, base.partsGrams.length, base.occurredAt),
  };
}

/** Fixed random parts for the `count` children of one split of `traceCode` at `occurredAt`. */
export function childRandomPartsFor(traceCode: string, count: number, occurredAt: string): string[] {
  return Array.from({ length: count }, (_, i) => fixedRandomPart(`${traceCode}|${occurredAt}|${i}`));
}

/**
 * A deterministic random part (8 Crockford symbols) for `seed` (FNV-1a, 40 bits): the builders' stand-in
 * for the edge's HMAC of the command's entropy, so two splits of one fixture differ, reruns never do.
 */
export function fixedRandomPart(seed: string): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of seed) h = BigInt.asUintN(64, (h ^ BigInt(ch.codePointAt(0) ?? 0)) * 0x100000001b3n);
  return encodeCrockford(Number(h % (1n << 40n)), 8);
}

export function consolidateCommand(
  traceCode: string | undefined,
  lines: ConsolidateBatchesCommand['lines'],
  o: Partial<ConsolidateBatchesCommand> = {},
): ConsolidateBatchesCommand {
  return { traceCode, actorUscc: GENERATOR, lines, ...timed('10:30'), ...o };
}

export function issueManifestCommand(
  lines: IssueManifestCommand['lines'],
  o: Partial<IssueManifestCommand> = {},
): IssueManifestCommand {
  return {
    manifestNo: manifestNo(1),
    actorUscc: GENERATOR,
    carrierUscc: CARRIER,
    receiverUscc: RECEIVER,
    plannedAt: at('13:00'),
    lines,
    ...timed('11:00'),
    ...o,
  };
}

export function pickUpCommand(o: Partial<PickUpManifestCommand> = {}): PickUpManifestCommand {
  return { manifestNo: manifestNo(1), actorUscc: CARRIER, vehiclePlate: '浙A12345', ...timed('13:00'), ...o };
}

/** CARRIER hands manifest 1 over to CARRIER_2 at 14:00 (after the 13:00 pickup). */
export function handOverCommand(o: Partial<HandOverManifestCommand> = {}): HandOverManifestCommand {
  return {
    manifestNo: manifestNo(1),
    actorUscc: CARRIER,
    nextCarrierUscc: CARRIER_2,
    vehiclePlate: '浙B67890',
    place: '宁波北仑港联运站',
    ...timed('14:00'),
    ...o,
  };
}

export function receiveCommand(
  lines: ReceiveManifestCommand['lines'],
  o: Partial<ReceiveManifestCommand> = {},
): ReceiveManifestCommand {
  const base = { manifestNo: manifestNo(1), actorUscc: RECEIVER, ...timed('15:00'), ...o };
  return {
    ...base,
    lines: lines.map((l) => ({
      ...l,
      returnRandomPart:
        l.returnRandomPart ?? fixedRandomPart(`${base.manifestNo}|${l.traceCode}|${base.occurredAt}`),
    })),
  };
}

export function cancelCommand(o: Partial<CancelManifestCommand> = {}): CancelManifestCommand {
  return { manifestNo: manifestNo(1), actorUscc: GENERATOR, reason: '车辆故障', ...timed('12:00'), ...o };
}

export function treatCommand(traceCode: string, o: Partial<TreatWasteCommand> = {}): TreatWasteCommand {
  return { traceCode, actorUscc: RECEIVER, operation: 'D10', massGrams: 500_000, ...timed('16:00'), ...o };
}

/** GENERATOR asks to remove 1 kg of its batch at 09:45 (a re-weighing). */
export function requestCorrectionCommand(
  traceCode: string,
  o: Partial<RequestMassCorrectionCommand> = {},
): RequestMassCorrectionCommand {
  return { traceCode, actorUscc: GENERATOR, deltaGrams: -1_000, reason: '复磅更正', ...timed('09:45'), ...o };
}

/** The Hangzhou regulator approves request cr-1 at 10:00 (decided at the time of recording). */
export function approveCorrectionCommand(
  traceCode: string,
  o: Partial<ApproveMassCorrectionCommand> = {},
): ApproveMassCorrectionCommand {
  return {
    traceCode,
    requestId: 'cr-1',
    decider: { kind: 'regulator', ...HANGZHOU_REGULATOR },
    occurredAt: '2025-03-03T02:00:00.000Z',
    recordedAt: '2025-03-03T02:00:00.000Z',
    ...o,
  };
}

/** The Hangzhou regulator rejects request cr-1 at 10:00. */
export function rejectCorrectionCommand(
  traceCode: string,
  o: Partial<RejectMassCorrectionCommand> = {},
): RejectMassCorrectionCommand {
  return { ...approveCorrectionCommand(traceCode), reason: '无复磅凭证', ...o };
}
