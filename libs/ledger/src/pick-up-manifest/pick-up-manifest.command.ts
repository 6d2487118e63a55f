import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decidePickUpManifest,
  kgToGrams,
  manifestStream,
  parseManifestNumber,
  parsePersonDetails,
} from '@wasteflow/domain';
import type { PersonToRecord } from '../people/people-records';
import { custodyWrites } from '../manifest-custody/custody-step';
import { manifestModel } from '../streams/stream-models';
import { actorUsccOf, kg, writeOf } from '../use-case/plan-helpers';
import { LedgerCommand, optional, type UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';

export interface PickUpManifestInput {
  /** Path parameter. */
  readonly manifestNo: string;
  readonly vehiclePlate: string;
  readonly occurredAt: string;
  /** The whole load as weighed at pickup. */
  readonly weighedKg?: number | null;
  /** Lines weighed at pickup (weighing at both ends, DESIGN §2). */
  readonly lines?: readonly { readonly traceCode: string; readonly weighedKg: number }[] | null;
  /** The driver and the escort (personal data: kept in erasable records, the events name them by id). */
  readonly driver?: { readonly name: string; readonly phone?: string | null } | null;
  readonly escort?: { readonly name: string; readonly phone?: string | null } | null;
  readonly vehicleType?: string | null;
  readonly transportLicenceNo?: string | null;
}

export type PickUpManifestResult = {
  manifestNo: string;
  status: 'picked_up';
  vehiclePlate: string;
  shippedKg: number;
  weighedKg?: number;
  traceCodes: string[];
  /** Every line with its weighing, when weighed, and whether it differs from the shipped mass beyond the tolerance. */
  lines: { traceCode: string; weighedKg?: number; discrepancy: boolean }[];
  /** The weighed load differs from the shipped mass beyond the tolerance. */
  discrepancy: boolean;
  tolerance: number;
  /** References to the people's records (never their names: the answer is kept for retries). */
  driverPersonId?: string;
  escortPersonId?: string;
  vehicleType?: string;
  transportLicenceNo?: string;
};

/**
 * POST /v1/manifests/{no}/pickup (the carrier named on it): ManifestPickedUp, and in the same commit the
 * batch side the process manager would derive (BatchShipped on every batch, `custodyEventsFor`): the
 * answer and its positions are consistent at once; the process manager then finds nothing left to do.
 */
export const pickUpManifest: UseCase<PickUpManifestInput, PickUpManifestResult> = {
  type: 'pick-up-manifest',
  action: 'pick up manifests',
  allowed: ['party'],
  async plan(input, context, unitOfWork) {
    const actorUscc = actorUsccOf(context.principal);
    const { manifestNo } = parseManifestNumber(input.manifestNo, 'manifestNo');
    const manifest = await unitOfWork.load(manifestStream(manifestNo), manifestModel);
    const weighedKg = optional(input.weighedKg);
    const lines = optional(input.lines);
    const people: PersonToRecord[] = [];
    const person = (role: 'driver' | 'escort'): string | undefined => {
      const given = optional(input[role]);
      if (given === undefined) return undefined;
      const personId = context.personId(role);
      people.push({ personId, ...parsePersonDetails(given, role) });
      return personId;
    };
    const driverPersonId = person('driver');
    const escortPersonId = person('escort');
    const vehicleType = optional(input.vehicleType);
    const transportLicenceNo = optional(input.transportLicenceNo);
    const events = decidePickUpManifest(
      {
        actorUscc,
        manifestNo,
        vehiclePlate: input.vehiclePlate,
        ...(weighedKg === undefined ? {} : { weighedGrams: kgToGrams(weighedKg, 'weighedKg') }),
        ...(lines === undefined
          ? {}
          : {
              lines: lines.map((l, i) => ({
                traceCode: l.traceCode,
                weighedGrams: kgToGrams(l.weighedKg, `lines[${i}].weighedKg`),
              })),
            }),
        ...(driverPersonId === undefined ? {} : { driverPersonId }),
        ...(escortPersonId === undefined ? {} : { escortPersonId }),
        ...(vehicleType === undefined ? {} : { vehicleType }),
        ...(transportLicenceNo === undefined ? {} : { transportLicenceNo }),
        occurredAt: input.occurredAt,
        recordedAt: context.recordedAt,
      },
      manifest.state,
      context.options,
    );
    const [picked] = events;
    if (picked.type !== 'ManifestPickedUp') throw new Error('unexpected decision');
    const custody = await custodyWrites(unitOfWork, picked);
    const d = picked.data;
    return {
      writes: [writeOf(manifestStream(manifestNo), events), ...custody.writes],
      people,
      result: {
        manifestNo,
        status: 'picked_up',
        vehiclePlate: d.vehiclePlate,
        shippedKg: kg(d.shippedGrams),
        ...(d.weighedGrams === undefined ? {} : { weighedKg: kg(d.weighedGrams) }),
        traceCodes: [...d.traceCodes],
        lines: d.lines.map((l) => ({
          traceCode: l.traceCode,
          ...(l.weighedGrams === undefined ? {} : { weighedKg: kg(l.weighedGrams) }),
          discrepancy: l.discrepancy,
        })),
        discrepancy: d.discrepancy,
        tolerance: d.tolerance,
        ...(d.driverPersonId === undefined ? {} : { driverPersonId: d.driverPersonId }),
        ...(d.escortPersonId === undefined ? {} : { escortPersonId: d.escortPersonId }),
        ...(d.vehicleType === undefined ? {} : { vehicleType: d.vehicleType }),
        ...(d.transportLicenceNo === undefined ? {} : { transportLicenceNo: d.transportLicenceNo }),
      },
    };
  },
};

export class PickUpManifestCommand extends LedgerCommand<PickUpManifestInput, PickUpManifestResult> {}

@CommandHandler(PickUpManifestCommand)
export class PickUpManifestHandler implements ICommandHandler<PickUpManifestCommand> {
  constructor(private readonly runner: UseCaseRunner) {}

  execute(command: PickUpManifestCommand) {
    return this.runner.run(pickUpManifest, command.envelope, command.input);
  }
}
