import { randomUUID } from 'node:crypto';
import {
  decideAcknowledgeAlert,
  decideCancelManifest,
  decideCloseAlert,
  decideConsolidateBatches,
  decideGrantPermit,
  decideGrantTransferApproval,
  decideRegisterParty,
  decideSplitBatch,
  decideTreatWaste,
  streamOf,
  type AlertFacts,
  type DomainEvent,
  type GrantPermitCommand,
  type GrantTransferApprovalCommand,
} from '@wasteflow/domain';
import {
  DEFAULT_OPTIONS,
  anApprovedCorrection,
  childRandomPartsFor,
  World,
  baseWorld,
  generate,
  generateWasteCommand,
  grantPermitCommand,
  registerPartyCommand,
  issue,
  issueManifestCommand,
  manifestNo as composeManifestNo,
  pickUp,
  pickUpCommand,
  handOver,
  handOverCommand,
  aRegisteredCarrier,
  randomPart,
  receive,
  receiveCommand,
  CARRIER,
  GENERATOR,
  RECEIVER,
} from '@wasteflow/domain/testing';
import type { EventStore, JsonObject } from '@wasteflow/event-store';

/**
 * Test support for the read-model suites: movements decided by the domain's own decide functions over an
 * in-memory World (with the manifest custody events the process manager would write), then appended to a
 * real event store in the order they were decided, with the metadata the ledger writes (actor, times).
 *
 * Parties of `baseWorld()`: GENERATOR (Xihu 330106), OTHER_GENERATOR (Binjiang 330108), CARRIER (Gongshu),
 * RECEIVER (Xiaoshan 330109; permit HW08 + 841-001-01 for D10, R9, store), COLLECTOR (Yuhang 330110;
 * collect/store HW08, HW49).
 */
export interface LoggedEvent {
  readonly event: DomainEvent;
  readonly recordedAt: string;
  readonly actor: string;
}

/** `2025-03-03T09:00` → `2025-03-03T09:00:00+08:00` (CST). */
export function cst(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}+08:00`;
}

/** Recorded a minute after it occurred, unless told otherwise. */
function timesOf(occurredAt: string, recordedAt?: string): { occurredAt: string; recordedAt: string } {
  return { occurredAt, recordedAt: recordedAt ?? new Date(Date.parse(occurredAt) + 60_000).toISOString() };
}

export class LedgerWorld {
  world: World = baseWorld();
  readonly log: LoggedEvent[] = this.world.log.map((event) => ({
    event,
    recordedAt: new Date(Date.parse('2025-01-01T08:00:00+08:00')).toISOString(),
    actor: 'admin:test',
  }));
  private appended = 0;
  private codes = 0;
  private manifests = 0;

  private record(next: World, recordedAt: string, actor: string): void {
    for (const event of next.log.slice(this.world.log.length)) this.log.push({ event, recordedAt, actor });
    this.world = next;
  }

  grantPermit(o: Partial<GrantPermitCommand>): void {
    const command = grantPermitCommand(o);
    const events = decideGrantPermit(command, this.world.party(command.uscc), DEFAULT_OPTIONS);
    this.record(this.world.apply(events), command.recordedAt, 'regulator:test');
  }

  /** A receiver registered in `districtCode` (another province, for transfers) with the fixture permit. */
  registerReceiver(uscc: string, districtCode: string): void {
    const registered = decideRegisterParty(
      registerPartyCommand({ uscc, roles: ['receiver'], districtCode, name: `处置单位 ${uscc.slice(-4)}` }),
      this.world.party(uscc),
    );
    const at = this.world.apply(registered);
    const command = grantPermitCommand({ uscc, permitNo: `${districtCode}0001` });
    const permit = decideGrantPermit(command, at.party(uscc), DEFAULT_OPTIONS);
    this.record(at.apply(permit), command.recordedAt, 'admin:test');
  }

  /** A cross-province transfer approval (跨省转移审批) granted by a provincial regulator. */
  grantTransferApproval(command: GrantTransferApprovalCommand): void {
    const events = decideGrantTransferApproval(
      command,
      {
        approval: this.world.transferApproval(command.approvalNo),
        shipper: this.world.party(command.shipperUscc),
        receiver: this.world.party(command.receiverUscc),
      },
      DEFAULT_OPTIONS,
    );
    this.record(this.world.apply(events), command.recordedAt, `regulator:${command.regulator.tokenId}`);
  }

  generate(o: {
    at: string;
    recordedAt?: string;
    actor?: string;
    category?: string;
    subtype?: string;
    wasteCode?: string;
    grams: number;
  }): string {
    const command = generateWasteCommand({
      actorUscc: o.actor ?? GENERATOR,
      category: o.category ?? 'hazardous',
      subtype: o.subtype,
      wasteCode: o.wasteCode ?? ((o.category ?? 'hazardous') === 'hazardous' ? '900-249-08' : undefined),
      massGrams: o.grams,
      randomPart: randomPart(++this.codes),
      ...timesOf(o.at, o.recordedAt),
    });
    const { world, traceCode } = generate(this.world, command);
    this.record(world, command.recordedAt, `party:${command.actorUscc}`);
    return traceCode;
  }

  split(traceCode: string, partsGrams: number[], at: string, actor = this.custodianOf(traceCode)): string[] {
    const times = timesOf(at);
    const result = decideSplitBatch(
      {
        traceCode,
        actorUscc: actor,
        partsGrams,
        childRandomParts: childRandomPartsFor(traceCode, partsGrams.length, times.occurredAt),
        ...times,
      },
      this.world.batch(traceCode),
      DEFAULT_OPTIONS,
    );
    this.record(this.world.applyBatches(result), times.recordedAt, `party:${actor}`);
    return result.slice(1).map((s) => s.traceCode);
  }

  consolidate(
    lines: { traceCode: string; grams: number }[],
    at: string,
    actor = this.custodianOf(lines[0].traceCode),
  ): string {
    const times = timesOf(at);
    const result = decideConsolidateBatches(
      {
        actorUscc: actor,
        randomPart: randomPart(++this.codes),
        lines: lines.map((l) => ({ traceCode: l.traceCode, massGrams: l.grams })),
        ...times,
      },
      {
        consolidator: this.world.party(actor),
        inputs: new Map(lines.map((l) => [l.traceCode, this.world.batch(l.traceCode)])),
      },
      DEFAULT_OPTIONS,
    );
    this.record(this.world.applyBatches(result), times.recordedAt, `party:${actor}`);
    const created = result.find((s) => s.isNew);
    if (!created) throw new Error('no consolidated batch');
    return created.traceCode;
  }

  /** Issues a manifest of whole batches (at `at`) and has the carrier pick it up (at `pickedUpAt`, default +1 h). */
  ship(
    traceCodes: string[],
    o: {
      at: string;
      pickedUpAt?: string;
      recordedAt?: string;
      shipper?: string;
      receiver?: string;
      carrier?: string;
      pickUp?: boolean;
      /** A paper manifest back-filled (纸质联单补录), its pickup recorded at `recordedAt` too. */
      paper?: boolean;
      /** The cross-province transfer approval it moves under. */
      transferApprovalNo?: string;
    },
  ): string {
    const shipper = o.shipper ?? this.custodianOf(traceCodes[0]);
    const manifestNo = composeManifestNo(++this.manifests, '330106', Number(o.at.slice(0, 4)));
    const issued = issueManifestCommand(
      traceCodes.map((traceCode) => ({ traceCode })),
      {
        manifestNo,
        actorUscc: shipper,
        carrierUscc: o.carrier ?? CARRIER,
        receiverUscc: o.receiver ?? RECEIVER,
        plannedAt: o.at,
        ...timesOf(o.at, o.recordedAt),
        ...(o.paper ? { paper: true } : {}),
        ...(o.transferApprovalNo ? { transferApprovalNo: o.transferApprovalNo } : {}),
      },
    );
    this.record(issue(this.world, issued), issued.recordedAt, `party:${shipper}`);
    if (o.pickUp !== false)
      this.pickUp(
        manifestNo,
        o.pickedUpAt ?? new Date(Date.parse(o.at) + 3_600_000).toISOString(),
        o.paper ? o.recordedAt : undefined,
      );
    return manifestNo;
  }

  pickUp(manifestNo: string, at: string, recordedAt?: string): void {
    const carrier = this.manifestOf(manifestNo).carrierUscc;
    const command = pickUpCommand({ manifestNo, actorUscc: carrier, ...timesOf(at, recordedAt) });
    this.record(pickUp(this.world, command), command.recordedAt, `party:${carrier}`);
  }

  /** Registers another carrier (for the next leg of a manifest, 多式联运). */
  registerCarrier(uscc: string, districtCode?: string): void {
    this.record(
      this.world.apply(aRegisteredCarrier(uscc, districtCode)),
      timesOf(cst('2025-01-01T08:00')).recordedAt,
      'admin:test',
    );
  }

  /** The carrier holding the manifest hands it over to `nextCarrier` at `at` (多式联运). */
  handOver(
    manifestNo: string,
    at: string,
    o: { nextCarrier: string; vehiclePlate?: string; place?: string; recordedAt?: string },
  ): void {
    const carrier = this.manifestOf(manifestNo).carrierUscc;
    const command = handOverCommand({
      manifestNo,
      actorUscc: carrier,
      nextCarrierUscc: o.nextCarrier,
      ...(o.vehiclePlate ? { vehiclePlate: o.vehiclePlate } : {}),
      ...(o.place ? { place: o.place } : {}),
      ...timesOf(at, o.recordedAt),
    });
    this.record(handOver(this.world, command), command.recordedAt, `party:${carrier}`);
  }

  /** Receives every line: `lines` gives received/accepted grams per trace code; lines not named are received in full. */
  receive(
    manifestNo: string,
    at: string,
    lines: Record<string, { received?: number; accepted?: number; reason?: string }> = {},
    recordedAt?: string,
  ): void {
    const manifest = this.manifestOf(manifestNo);
    const receiver = manifest.receiverUscc;
    const command = receiveCommand(
      manifest.lines.map((line) => {
        const given = lines[line.traceCode] ?? {};
        const received = given.received ?? line.massGrams;
        const accepted = given.accepted ?? received;
        return {
          traceCode: line.traceCode,
          receivedGrams: received,
          acceptedGrams: accepted,
          ...(accepted < received ? { reason: given.reason ?? '成分与联单不符' } : {}),
        };
      }),
      { manifestNo, actorUscc: receiver, ...timesOf(at, recordedAt) },
    );
    this.record(receive(this.world, command), command.recordedAt, `party:${receiver}`);
  }

  cancel(manifestNo: string, at: string): void {
    const manifest = this.manifestOf(manifestNo);
    const times = timesOf(at);
    const result = decideCancelManifest(
      { manifestNo, actorUscc: manifest.shipperUscc, reason: '车辆故障', ...times },
      { manifest: this.world.manifest(manifestNo) },
      DEFAULT_OPTIONS,
    );
    this.record(
      this.world.apply(result.manifest).applyBatches(result.batches),
      times.recordedAt,
      `party:${manifest.shipperUscc}`,
    );
  }

  treat(traceCode: string, operation: string, grams: number, at: string, recordedAt?: string): void {
    const actor = this.custodianOf(traceCode);
    const times = timesOf(at, recordedAt);
    const events = decideTreatWaste(
      { traceCode, actorUscc: actor, operation, massGrams: grams, ...times },
      { batch: this.world.batch(traceCode), custodian: this.world.party(actor) },
      DEFAULT_OPTIONS,
    );
    this.record(this.world.apply(events), times.recordedAt, `party:${actor}`);
  }

  correct(traceCode: string, deltaGrams: number, at: string): void {
    const actor = this.custodianOf(traceCode);
    const times = timesOf(at);
    const events = anApprovedCorrection(
      this.world.batch(traceCode),
      { traceCode, actorUscc: actor, deltaGrams, reason: '复磅更正', ...times },
      DEFAULT_OPTIONS,
    );
    this.record(this.world.apply(events), times.recordedAt, `party:${actor}`);
  }

  /** A party named on the alert acknowledges it (the facts are what the alerts read model would give). */
  acknowledgeAlert(alert: AlertFacts, actorUscc: string, note: string, at: string): void {
    const times = timesOf(at);
    const events = decideAcknowledgeAlert(
      { alertId: alert.alertId, actorUscc, note, alert, ...times },
      this.world.alert(alert.alertId),
      DEFAULT_OPTIONS,
    );
    this.record(this.world.apply(events), times.recordedAt, `party:${actorUscc}`);
  }

  /** A regulator of `districts` × `categories` closes the alert. */
  closeAlert(
    alert: AlertFacts,
    regulator: { tokenId: string; districts: string[]; categories: string[] },
    finding: string,
    at: string,
  ): void {
    const times = timesOf(at);
    const events = decideCloseAlert(
      { alertId: alert.alertId, regulator, finding, alert, ...times },
      this.world.alert(alert.alertId),
      DEFAULT_OPTIONS,
    );
    this.record(this.world.apply(events), times.recordedAt, `regulator:${regulator.tokenId}`);
  }

  heldGrams(traceCode: string): number {
    const b = this.world.batch(traceCode);
    return b.status === 'none' ? 0 : b.heldGrams;
  }

  custodianOf(traceCode: string): string {
    const b = this.world.batch(traceCode);
    if (b.status === 'none') throw new Error(`no batch ${traceCode}`);
    return b.custodianUscc;
  }

  private manifestOf(manifestNo: string) {
    const m = this.world.manifest(manifestNo);
    if (m.status === 'none') throw new Error(`no manifest ${manifestNo}`);
    return m;
  }

  /** Appends what was decided since the last flush, one event per append, in order; returns the head. */
  async flush(store: EventStore): Promise<bigint> {
    let head = await store.headPosition();
    for (const { event, recordedAt, actor } of this.log.slice(this.appended)) {
      const result = await store.append(
        streamOf(event),
        [
          {
            id: randomUUID(),
            type: event.type,
            schemaVersion: event.schemaVersion,
            data: event.data as unknown as JsonObject,
            metadata: { actor, occurredAt: event.data.occurredAt, recordedAt },
          },
        ],
        'any',
      );
      head = result.position;
    }
    this.appended = this.log.length;
    return head;
  }
}

export { CARRIER, GENERATOR, RECEIVER };
export { COLLECTOR, OTHER_GENERATOR } from '@wasteflow/domain/testing';
