import { decideGenerateWaste, type GenerateWasteCommand } from '../batch/generate-waste.decide';
import type { DecideOptions } from '../decide-options';
import {
  decideIssueManifest,
  type IssueManifestCommand,
  type IssueManifestState,
} from '../manifest/issue-manifest.decide';
import { decidePickUpManifest, type PickUpManifestCommand } from '../manifest/pick-up-manifest.decide';
import { decideCancelManifest, type CancelManifestCommand } from '../manifest/cancel-manifest.decide';
import { decideHandOverManifest, type HandOverManifestCommand } from '../manifest/hand-over-manifest.decide';
import { decideReceiveManifest, type ReceiveManifestCommand } from '../manifest/receive-manifest.decide';
import { decidePermitCapacity } from '../party/permit-capacity';
import { decideTransferApprovalDraw } from '../transfer/transfer-approval.rules';
import {
  CARRIER,
  COLLECTOR,
  GENERATOR,
  OTHER_GENERATOR,
  BINJIANG,
  RECEIVER,
  cancelCommand,
  fixtureEditions,
  generateWasteCommand,
  issueManifestCommand,
  pickUpCommand,
  randomPart,
  receiveCommand,
} from './fixtures';
import {
  aRegisteredCarrier,
  aRegisteredCollector,
  aRegisteredGenerator,
  aRegisteredReceiver,
} from './given-events';
import { World } from './world';

/**
 * Scenario steps over a World, through the real decide functions and the process manager's
 * `custodyEventsFor` (applied by `World.applyManifest`).
 */
export const DEFAULT_OPTIONS: DecideOptions = { catalogues: fixtureEditions() };

/** GENERATOR (Xihu), OTHER_GENERATOR (Binjiang), CARRIER, RECEIVER (permit HW08 + 841-001-01: D10, R9, store), COLLECTOR (collect/store HW08, HW49). */
export function baseWorld(): World {
  return World.of([
    ...aRegisteredGenerator(GENERATOR),
    ...aRegisteredGenerator(OTHER_GENERATOR, BINJIANG),
    ...aRegisteredCarrier(CARRIER),
    ...aRegisteredReceiver({ uscc: RECEIVER }),
    ...aRegisteredCollector(COLLECTOR),
  ]);
}

export function generate(
  world: World,
  o: Partial<GenerateWasteCommand> = {},
): { world: World; traceCode: string } {
  const command = generateWasteCommand(o);
  const events = decideGenerateWaste(command, { generator: world.party(command.actorUscc) }, DEFAULT_OPTIONS);
  return { world: world.apply(events), traceCode: events[0].data.traceCode };
}

/**
 * One batch (generateWasteCommand's defaults, `batch` overriding them) of `world` (default the base world) on
 * manifest 1 from GENERATOR to RECEIVER, issued at 11:00.
 */
export function oneBatchIssued(
  world: World = baseWorld(),
  batch: Partial<GenerateWasteCommand> = {},
): { world: World; code: string } {
  const g = generate(world, batch);
  return { world: issue(g.world, issueManifestCommand([{ traceCode: g.traceCode }])), code: g.traceCode };
}

/**
 * Two batches of GENERATOR in `world` (default the base world): `a` (random part 1) and `b` (random part 2),
 * generateWasteCommand's defaults overridden by `first` and `second`.
 */
export function twoBatches(
  first: Partial<GenerateWasteCommand> = {},
  second: Partial<GenerateWasteCommand> = {},
  world: World = baseWorld(),
): { world: World; a: string; b: string } {
  const g1 = generate(world, { randomPart: randomPart(1), ...first });
  const g2 = generate(g1.world, { randomPart: randomPart(2), ...second });
  return { world: g2.world, a: g1.traceCode, b: g2.traceCode };
}

/** twoBatches on manifest 1 from GENERATOR to RECEIVER, issued at 11:00. */
export function twoBatchesIssued(
  first: Partial<GenerateWasteCommand> = {},
  second: Partial<GenerateWasteCommand> = {},
): { world: World; a: string; b: string } {
  const { world, a, b } = twoBatches(first, second);
  return { world: issue(world, issueManifestCommand([{ traceCode: a }, { traceCode: b }])), a, b };
}

/** oneBatchIssued, picked up by CARRIER at 13:00 with 浙A12345: in transit. */
export function oneBatchInTransit(world: World = baseWorld()): { world: World; code: string } {
  const { world: w, code } = oneBatchIssued(world);
  return { world: pickUp(w, pickUpCommand()), code };
}

/** What issuing `command` decides on in `world`: the manifest, its three parties, the batches, the approval it names. */
export function issueState(world: World, command: IssueManifestCommand): IssueManifestState {
  return {
    manifest: world.manifest(command.manifestNo),
    shipper: world.party(command.actorUscc),
    carrier: world.party(command.carrierUscc),
    receiver: world.party(command.receiverUscc),
    batches: world.batches,
    ...(command.transferApprovalNo === undefined
      ? {}
      : { transferApproval: world.transferApproval(command.transferApprovalNo) }),
  };
}

export function issue(world: World, command: IssueManifestCommand): World {
  const result = decideIssueManifest(command, issueState(world, command), DEFAULT_OPTIONS);
  return world.apply(result.manifest).applyBatches(result.batches);
}

/** The shipper cancels the manifest (by default manifest 1 at 12:00, 车辆故障), and its batches are released. */
export function cancel(world: World, command: CancelManifestCommand = cancelCommand()): World {
  const result = decideCancelManifest(
    command,
    { manifest: world.manifest(command.manifestNo) },
    DEFAULT_OPTIONS,
  );
  return world.apply(result.manifest).applyBatches(result.batches);
}

export function pickUp(world: World, command: PickUpManifestCommand): World {
  return world.applyManifest(
    decidePickUpManifest(command, world.manifest(command.manifestNo), DEFAULT_OPTIONS),
  );
}

/** The current carrier hands the manifest over to the next (多式联运), and the batches follow. */
export function handOver(world: World, command: HandOverManifestCommand): World {
  return world.applyManifest(
    decideHandOverManifest(
      command,
      { manifest: world.manifest(command.manifestNo), nextCarrier: world.party(command.nextCarrierUscc) },
      DEFAULT_OPTIONS,
    ),
  );
}

/** The receipt, and (as the ledger's use case does) the receiver's draw on its permits' annual capacity. */
export function receive(world: World, command: ReceiveManifestCommand): World {
  const state = { manifest: world.manifest(command.manifestNo), receiver: world.party(command.actorUscc) };
  const events = decideReceiveManifest(command, state, DEFAULT_OPTIONS);
  const drawn = events.flatMap((e) => (e.type === 'ManifestReceived' ? decidePermitCapacity(e, state) : []));
  const manifest = state.manifest;
  const approvalNo = manifest.status === 'none' ? undefined : manifest.transferApprovalNo;
  const approvalDrawn =
    approvalNo === undefined
      ? []
      : events.flatMap((e) =>
          e.type === 'ManifestReceived'
            ? decideTransferApprovalDraw(e, { manifest, approval: world.transferApproval(approvalNo) })
            : [],
        );
  return world.apply([...drawn, ...approvalDrawn]).applyManifest(events);
}

/** Issue (11:00), pick up (13:00) and receive in full (15:00) the whole batches, from their custodian to `receiverUscc`. */
export function deliver(
  world: World,
  traceCodes: readonly string[],
  o: {
    manifestNo?: string;
    shipperUscc?: string;
    receiverUscc?: string;
    carrierUscc?: string;
    day?: string;
  } = {},
): World {
  const manifestNo = o.manifestNo ?? issueManifestCommand([]).manifestNo;
  const day = o.day ?? '2025-03-03';
  const t = (hhmm: string) => {
    const occurredAt = `${day}T${hhmm}:00+08:00`;
    return { occurredAt, recordedAt: new Date(Date.parse(occurredAt) + 60_000).toISOString() };
  };
  const shipper = o.shipperUscc ?? GENERATOR;
  const carrier = o.carrierUscc ?? CARRIER;
  const receiverUscc = o.receiverUscc ?? RECEIVER;
  let w = issue(
    world,
    issueManifestCommand(
      traceCodes.map((traceCode) => ({ traceCode })),
      { manifestNo, actorUscc: shipper, carrierUscc: carrier, receiverUscc, ...t('11:00') },
    ),
  );
  w = pickUp(w, pickUpCommand({ manifestNo, actorUscc: carrier, ...t('13:00') }));
  const lines = traceCodes.map((traceCode) => {
    const b = w.batch(traceCode);
    const grams = b.status === 'none' ? 0 : b.heldGrams;
    return { traceCode, receivedGrams: grams, acceptedGrams: grams };
  });
  return receive(w, receiveCommand(lines, { manifestNo, actorUscc: receiverUscc, ...t('15:00') }));
}
