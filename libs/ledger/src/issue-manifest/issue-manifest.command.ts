import {
  batchStream,
  composeManifestNumber,
  decideIssueManifest,
  kgToGrams,
  manifestNumberScope,
  manifestStream,
  normaliseTraceCode,
  parseTransferApprovalNo,
  parseUscc,
  transferApprovalStream,
  partyStream,
  type BatchState,
  type PartyState,
} from '@wasteflow/domain';
import { batchModel, manifestModel, partyModel, transferApprovalModel } from '../streams/stream-models';
import { batchWrites, kg, writeOf } from '../use-case/plan-helpers';
import { optional } from '../use-case/use-case';
import { partyUseCase } from '../use-case/actor-use-cases';
import type { UnitOfWork } from '../writing/unit-of-work';

export interface IssueManifestInput {
  readonly lines: readonly { readonly traceCode: string; readonly massKg?: number | null }[];
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly plannedAt: string;
  /** When the manifest was issued; defaults to the time of recording. */
  readonly occurredAt?: string | null;
  /** A paper manifest back-filled after an outage (纸质联单补录). */
  readonly paper?: boolean | null;
  /** The cross-province transfer approval (跨省转移审批) hazardous waste to another province moves under. */
  readonly transferApprovalNo?: string | null;
}

export type IssueManifestResult = {
  manifestNo: string;
  shipperUscc: string;
  carrierUscc: string;
  receiverUscc: string;
  plannedAt: string;
  lines: { traceCode: string; massKg: number }[];
  totalKg: number;
  transferApprovalNo?: string;
};

/** Stored name of the manifest serial counter's events (stream `$manifest-serial-<YYYY><PPCC>`). */
export const MANIFEST_SERIAL_ALLOCATED = 'ManifestSerialAllocated';

/**
 * The serial counter of one (year, city): its revision r says r + 1 numbers were allocated, so the next
 * serial is r + 2 (1 for a new counter). It is written in the same commit as the manifest with the
 * revision it was read at: two concurrent issues in one city conflict, and the loser retries with the
 * next serial — two manifests never share a number. History, not bookkeeping (docs/adr/0008): readers see
 * it like any stream (projections ignore its events by type); the name is kept for the existing counters.
 */
export function manifestSerialStream(year: number, cityCode: string): string {
  return `$manifest-serial-${String(year).padStart(4, '0')}${cityCode}`;
}

async function loadParty(unitOfWork: UnitOfWork, uscc: string): Promise<PartyState> {
  return (await unitOfWork.load(partyStream(uscc), partyModel)).state;
}

/**
 * POST /v1/manifests (the shipper, custodian of every line): allocates the number, ManifestIssued in
 * `manifest-<no>` and BatchConsigned on every batch (the lock: a batch on an open manifest cannot be
 * shipped twice), all in one commit.
 */
export const issueManifest = partyUseCase<IssueManifestInput, IssueManifestResult>(
  'issue manifests',
  async (actorUscc, input, context, unitOfWork) => {
    const carrierUscc = parseUscc(input.carrierUscc, 'carrierUscc');
    const receiverUscc = parseUscc(input.receiverUscc, 'receiverUscc');
    const lines = input.lines.map((line, i) => {
      const massKg = optional(line.massKg);
      return {
        traceCode: normaliseTraceCode(line.traceCode, `lines[${i}].traceCode`),
        ...(massKg === undefined ? {} : { massGrams: kgToGrams(massKg, `lines[${i}].massKg`) }),
      };
    });
    const shipper = await loadParty(unitOfWork, actorUscc);
    const carrier = await loadParty(unitOfWork, carrierUscc);
    const receiver = await loadParty(unitOfWork, receiverUscc);
    const batches = new Map<string, BatchState>();
    for (const line of lines) {
      if (!batches.has(line.traceCode))
        batches.set(line.traceCode, (await unitOfWork.load(batchStream(line.traceCode), batchModel)).state);
    }
    const scope = manifestNumberScope({ actorUscc, recordedAt: context.recordedAt }, shipper);
    const counterStream = manifestSerialStream(scope.year, scope.cityCode);
    const counter = await unitOfWork.loadHead(counterStream);
    const serial = counter.revision === 'no_stream' ? 1 : Number(counter.revision) + 2;
    const manifestNo = composeManifestNumber(scope.year, scope.districtCode, serial);
    const manifest = await unitOfWork.loadCreated(manifestStream(manifestNo), manifestModel);
    // read, not written: the receipt draws on it (and its revision serialises the draws)
    const transferApprovalNo = optional(input.transferApprovalNo);
    const approvalNo =
      transferApprovalNo === undefined
        ? undefined
        : parseTransferApprovalNo(transferApprovalNo, 'transferApprovalNo');
    const transferApproval =
      approvalNo === undefined
        ? undefined
        : (await unitOfWork.load(transferApprovalStream(approvalNo), transferApprovalModel)).state;
    const decision = decideIssueManifest(
      {
        actorUscc,
        manifestNo,
        carrierUscc,
        receiverUscc,
        plannedAt: input.plannedAt,
        lines,
        occurredAt: optional(input.occurredAt) ?? context.recordedAt,
        recordedAt: context.recordedAt,
        ...(optional(input.paper) === undefined ? {} : { paper: optional(input.paper) }),
        ...(approvalNo === undefined ? {} : { transferApprovalNo: approvalNo }),
      },
      {
        manifest: manifest.state,
        shipper,
        carrier,
        receiver,
        batches,
        ...(transferApproval === undefined ? {} : { transferApproval }),
      },
      context.options,
    );
    const [issued] = decision.manifest;
    if (issued.type !== 'ManifestIssued') throw new Error('unexpected decision');
    const d = issued.data;
    return {
      writes: [
        writeOf(manifestStream(manifestNo), decision.manifest),
        ...batchWrites(unitOfWork, decision.batches),
        {
          stream: counterStream,
          events: [
            {
              type: MANIFEST_SERIAL_ALLOCATED,
              schemaVersion: 1,
              data: { manifestNo, year: scope.year, cityCode: scope.cityCode, serial },
            },
          ],
          occurredAt: d.occurredAt,
          contended: true,
        },
      ],
      result: {
        manifestNo,
        shipperUscc: d.shipperUscc,
        carrierUscc: d.carrierUscc,
        receiverUscc: d.receiverUscc,
        plannedAt: d.plannedAt,
        lines: d.lines.map((l) => ({ traceCode: l.traceCode, massKg: kg(l.massGrams) })),
        totalKg: kg(d.totalGrams),
        ...(d.transferApprovalNo === undefined ? {} : { transferApprovalNo: d.transferApprovalNo }),
      },
    };
  },
);
