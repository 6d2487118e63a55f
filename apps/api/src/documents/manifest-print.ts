import { Inject, Injectable } from '@nestjs/common';
import {
  coversWasteCode,
  CST_OFFSET_MS,
  provinceOf,
  parseInstant,
  findCatalogueEntry,
  type HwCatalogueEditions,
  type RegisteredParty,
} from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import { PeopleRecords, printedName, printedPhone, type Principal } from '@wasteflow/ledger';
import { PickupFactsReader, type CrewFacts } from '../people/pickup-facts';
import { ManifestQuery, type ManifestView } from '@wasteflow/projections';
import { assertCanRead, PartyRegistry } from '@wasteflow/integration';
import type { ApiConfig } from '../config/api-config';
import { API_CONFIG } from '../storage/storage.module';
import { HAZARD_NAMES, parseHazards } from './hazard-pictograms';
import { HW_CATALOGUES } from '../catalogue/catalogue.token';
import { LabelFactsReader, PHYSICAL_FORM_NAMES } from './label-facts';
import type { ManifestPrint, ManifestPrintLine } from './manifest-print.layout';

const STATUS_NAMES: Record<string, string> = {
  issued: '已签发，待起运',
  picked_up: '运输中',
  received: '已接收',
  cancelled: '已取消',
};

/** `YYYY-MM-DD HH:mm` in China Standard Time. */
export function cstMinute(instant: string | null | undefined): string | undefined {
  if (!instant) return undefined;
  const at = new Date(parseInstant(instant, 'at') + CST_OFFSET_MS).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 16)}`;
}

/** The receiver's permit that covers every hazardous code of the manifest (not revoked), else its first. */
function permitFor(receiver: RegisteredParty | undefined, codes: readonly string[]): string | undefined {
  if (!receiver) return undefined;
  const live = receiver.permits.filter((p) => p.revokedAt === undefined);
  const covering = live.find((p) => codes.every((code) => coversWasteCode(p, code)));
  return (covering ?? live[0])?.permitNo;
}

/** A hand-over leg's crew as part 2 prints it (names resolved now, 已删除 after erasure). */
function legCrew(crew: CrewFacts | undefined) {
  return {
    licenceNo: crew?.transportLicenceNo,
    vehicleType: crew?.vehicleType,
    driver: printedName(crew?.driver),
    driverPhone: printedPhone(crew?.driver),
    escort: printedName(crew?.escort),
    escortPhone: printedPhone(crew?.escort),
  };
}

/**
 * What the 联单 print shows, from the manifest view (parties, lines, pickup, receipt, verdict), the batches'
 * generation facts (name, hazards, form, packaging) and the party registry (the receiver's permit).
 */
@Injectable()
export class ManifestPrintReader {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HW_CATALOGUES) private readonly catalogues: HwCatalogueEditions | undefined,
    private readonly manifests: ManifestQuery,
    private readonly parties: PartyRegistry,
    private readonly batches: LabelFactsReader,
    private readonly pickups: PickupFactsReader,
    private readonly people: PeopleRecords,
  ) {}

  async print(principal: Principal, manifestNo: string): Promise<ManifestPrint> {
    const { view, access } = await this.manifests.find(manifestNo, this.clock.now());
    assertCanRead(principal, access, `manifest ${manifestNo}`);
    return this.printOf(view);
  }

  private async printOf(view: ManifestView): Promise<ManifestPrint> {
    const lines: ManifestPrintLine[] = [];
    for (const line of view.lines) {
      const { generated } = await this.batches.creationOf(line.traceCode);
      const entry = line.wasteCode
        ? findCatalogueEntry(this.catalogues, line.wasteCode, generated?.catalogueEdition)
        : undefined;
      const hazards = generated?.hazards ?? (entry ? parseHazards(entry.hazard) : undefined);
      const packaging =
        generated?.packagingType || generated?.packageCount
          ? `${generated.packagingType ?? ''}${generated.packageCount ? ` × ${generated.packageCount}` : ''}`.trim()
          : undefined;
      lines.push({
        traceCode: line.traceCode,
        wasteName: generated?.description ?? (entry?.name || undefined),
        wasteCode: line.wasteCode,
        hazards: hazards?.map((h) => HAZARD_NAMES[h]).join('、') || undefined,
        physicalForm: generated?.physicalForm ? PHYSICAL_FORM_NAMES[generated.physicalForm] : undefined,
        packaging,
        shippedKg: line.shippedKg,
        receivedKg: line.receivedKg,
      });
    }
    const [shipper, carrier, receiver] = await Promise.all([
      this.parties.find(view.shipper.uscc),
      this.parties.find(view.carrier.uscc),
      this.parties.find(view.receiver.uscc),
    ]);
    // the crews of the pickup and of each hand-over, their people resolved now (ADR 14)
    // and the receiver's handler the receipt named (ManifestReceived v5): part 3's 经办人
    const { pickup, receiptHandler, transferApprovalNo } = await this.pickups.peopleOf(view.manifestNo);
    // 多式联运: leg 1 is the named carrier's (part 2's block); each later leg ends at the next hand-over or the receipt
    const laterLegs = view.legs.slice(1);
    const legs = laterLegs.map((leg, i) => ({
      leg: leg.leg,
      name: leg.carrier.name ?? undefined,
      uscc: leg.carrier.uscc,
      vehiclePlate: leg.vehiclePlate,
      place: leg.place,
      startedAt: cstMinute(leg.startedAt),
      endedAt: cstMinute(laterLegs[i + 1]?.startedAt ?? view.receivedAt),
      ...legCrew(pickup.legs?.[String(leg.leg)]),
    }));
    // people resolved now (ADR 14): a name and phone while the record has its key, 已删除 after erasure
    const contacts = await this.people.resolve([shipper?.contactPersonId, receiver?.contactPersonId]);
    const shipperContact = shipper?.contactPersonId ? contacts.get(shipper.contactPersonId) : undefined;
    // part 3's 经办人: the person who handled the receipt, else (none named, or not yet received) the contact
    const receiverContact =
      receiptHandler ?? (receiver?.contactPersonId ? contacts.get(receiver.contactPersonId) : undefined);
    const codes = view.lines.flatMap((l) => (l.wasteCode ? [l.wasteCode] : []));
    const received = view.receivedAt !== null;
    const receivedKg = received
      ? Math.round(view.lines.reduce((sum, l) => sum + (l.receivedKg ?? 0), 0) * 1000) / 1000
      : undefined;
    return {
      manifestNo: view.manifestNo,
      status: STATUS_NAMES[view.status] ?? view.status,
      plannedAt: cstMinute(view.plannedAt),
      transferApprovalNo,
      crossesProvince:
        shipper !== undefined &&
        receiver !== undefined &&
        provinceOf(shipper.districtCode) !== provinceOf(receiver.districtCode),
      shipper: {
        uscc: view.shipper.uscc,
        name: view.shipper.name ?? undefined,
        address: shipper?.address,
        handler: printedName(shipperContact),
        phone: printedPhone(shipperContact),
        emergencyPhone: shipper?.emergencyPhone,
      },
      handedOverAt: cstMinute(view.pickedUpAt),
      lines,
      totalKg: view.totalKg,
      carrier: {
        uscc: view.carrier.uscc,
        name: view.carrier.name ?? undefined,
        address: carrier?.address,
        licenceNo: pickup.transportLicenceNo,
        vehicleType: pickup.vehicleType,
        driver: printedName(pickup.driver),
        driverPhone: printedPhone(pickup.driver),
        escort: printedName(pickup.escort),
        escortPhone: printedPhone(pickup.escort),
        vehiclePlate: view.vehiclePlate ?? undefined,
        from: view.shipper.name ?? view.shipper.uscc,
        to: laterLegs[0]?.place ?? view.receiver.name ?? view.receiver.uscc,
        startedAt: cstMinute(view.pickedUpAt),
        endedAt: cstMinute(laterLegs[0]?.startedAt ?? view.receivedAt),
      },
      legs,
      receiver: {
        uscc: view.receiver.uscc,
        name: view.receiver.name ?? undefined,
        address: receiver?.address,
        handler: printedName(receiverContact),
        phone: printedPhone(receiverContact),
        permitNo: permitFor(receiver, codes),
        receivedAt: cstMinute(view.receivedAt),
        significantDiscrepancy: received ? (view.discrepancy ? '是' : '否') : undefined,
        receivedKg,
      },
      url: `${this.config.publicUrl}/v1/manifests/${view.manifestNo}`,
      position: view.position,
    };
  }
}
