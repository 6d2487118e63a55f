import { Inject, Injectable } from '@nestjs/common';
import {
  batchStream,
  CATEGORY_NAMES,
  cstDate,
  decodeEvent,
  hwCategoryOfCode,
  parseInstant,
  type BatchEvent,
  findCatalogueEntry,
  type HwCatalogueEditions,
  type PhysicalForm,
  type WasteCategory,
  type WasteGeneratedData,
} from '@wasteflow/domain';
import { EVENT_STORE, StreamNotFound, type EventStore } from '@wasteflow/event-store';
import { TraceQuery, type TraceView } from '@wasteflow/projections';
import { PeopleRecords, printedContact, type Principal } from '@wasteflow/ledger';
import { assertCanRead, PartyRegistry } from '@wasteflow/integration';
import { API_CONFIG } from '../storage/storage.module';
import { HW_CATALOGUES } from '../catalogue/catalogue.token';
import type { ApiConfig } from '../config/api-config';
import { publicTraceUrl } from '../read-side/trace.controller';
import { parseHazards, type HazardCharacteristic } from './hazard-pictograms';
import { LABEL_SIZE_OF_VOLUME, type LabelFacts, type LabelSize } from './label.layout';

/** How far a label follows a batch's parents to its generation (splits of splits …). */
const MAX_ANCESTRY = 32;

/** The creation of a batch and, when it can be found, the WasteGenerated its mass came from. */
export interface Creation {
  readonly created: BatchEvent;
  readonly generated?: WasteGeneratedData;
}

/** The 数字识别码 of HJ 1276-2022: unit code (18) + waste code (8 digits) + date (YYYYMMDD) + serial (4). */
export function digitalIdentificationCode(
  uscc: string,
  wasteCode: string,
  day: string,
  serial: number,
): string {
  return `${uscc}${wasteCode.replace(/-/g, '')}${day.replace(/-/g, '')}${String(serial).padStart(4, '0')}`;
}

function cstDay(instant: string): string {
  return cstDate(parseInstant(instant, 'occurredAt'));
}

/**
 * Gathers what a label prints about a batch, from its trace view (access, masses, custody) and the events
 * of its stream and its ancestors' (the facts recorded at generation), the party registry (the unit) and
 * the catalogue (name and hazard characteristics when the events do not carry them).
 */
@Injectable()
export class LabelFactsReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(HW_CATALOGUES) private readonly catalogues: HwCatalogueEditions | undefined,
    private readonly trace: TraceQuery,
    private readonly parties: PartyRegistry,
    private readonly people: PeopleRecords,
  ) {}

  /** The label of a batch the principal may read (403 otherwise, 404 when there is no such batch). */
  async label(principal: Principal, traceCode: string, size?: LabelSize): Promise<LabelFacts> {
    const { view, access } = await this.trace.find(traceCode);
    assertCanRead(principal, access, `batch ${traceCode}`);
    return this.factsOf(view, size);
  }

  private async factsOf(view: TraceView, size: LabelSize | undefined): Promise<LabelFacts> {
    const creation = await this.creationOf(view.traceCode);
    const generated = creation.generated;
    // the entry of the edition the generation was judged by, else of the newest edition listing the code
    const entry = view.wasteCode
      ? findCatalogueEntry(this.catalogues, view.wasteCode, generated?.catalogueEdition)
      : undefined;
    const unitUscc = view.origin.generatorUscc;
    const unit = await this.parties.find(unitUscc);
    // the unit's contact (PartyRegistered v3), resolved now: HJ 1276 puts it on the container for whoever
    // handles it, so every reader of the batch gets it; 已删除 once the person was erased (ADR 14)
    const contactId = unit?.contactPersonId;
    const contact = contactId ? (await this.people.resolve([contactId])).get(contactId) : undefined;
    // recorded at generation (v2); for a batch recorded before, the loaded catalogue's column
    const hazards: readonly HazardCharacteristic[] | undefined =
      generated?.hazards ?? (entry ? parseHazards(entry.hazard) : undefined);
    const generatedOn = cstDay(view.origin.generatedAt);
    const serial = view.wasteCode ? await this.trace.generationSerial(view.traceCode) : undefined;
    const category = view.category as WasteCategory;
    return {
      traceCode: view.traceCode,
      header: CATEGORY_NAMES[category] ?? view.category,
      wasteName: generated?.description ?? (entry?.name || undefined),
      wasteCategory: view.wasteCode ? hwCategoryOfCode(view.wasteCode) : CATEGORY_NAMES[category],
      wasteCode: view.wasteCode ?? undefined,
      physicalForm: generated?.physicalForm ? PHYSICAL_FORM_NAMES[generated.physicalForm] : undefined,
      hazards,
      mainComponents: generated?.mainComponents,
      hazardousComponents: generated?.hazardousComponents,
      precautions: generated?.precautions,
      digitalId:
        view.wasteCode && serial !== undefined
          ? digitalIdentificationCode(unitUscc, view.wasteCode, generatedOn, serial)
          : undefined,
      unitName: unit?.name,
      contact: printedContact(contact),
      generatedOn,
      weightKg: view.heldKg,
      remarks: remarksOf(creation),
      traceUrl: publicTraceUrl(this.config.publicUrl, view.traceCode),
      size: size ?? (generated?.containerVolume ? LABEL_SIZE_OF_VOLUME[generated.containerVolume] : 100),
    };
  }

  /** The batch's creation event, and the WasteGenerated at the root of its ancestry (when one exists). */
  async creationOf(traceCode: string): Promise<Creation> {
    const created = await this.firstEvent(traceCode);
    let at = created;
    for (let depth = 0; depth < MAX_ANCESTRY; depth++) {
      switch (at.type) {
        case 'WasteGenerated':
          return { created, generated: at.data };
        case 'BatchSplitOff':
        case 'BatchReturnedFromRejection':
          at = await this.firstEvent(at.data.parentTraceCode);
          break;
        case 'BatchesConsolidated':
          // one category and one code for all inputs: the first input's generation stands for the kind
          if (at.data.inputs.length === 0) return { created };
          at = await this.firstEvent(at.data.inputs[0].traceCode);
          break;
        default:
          return { created };
      }
    }
    return { created };
  }

  private async firstEvent(traceCode: string): Promise<BatchEvent> {
    try {
      const [first] = await this.store.readStream(batchStream(traceCode), { limit: 1 });
      return decodeEvent(first) as BatchEvent;
    } catch (error) {
      if (error instanceof StreamNotFound)
        throw new Error(`batch ${traceCode} has no stream`, { cause: error });
      throw error;
    }
  }
}

/** 废物形态 as printed. */
export const PHYSICAL_FORM_NAMES: Readonly<Record<PhysicalForm, string>> = {
  solid: '固态',
  liquid: '液态',
  'semi-solid': '半固态',
  gas: '气态',
};

function remarksOf(creation: Creation): string | undefined {
  const g = creation.generated;
  const packaging =
    g?.packagingType || g?.packageCount
      ? `包装：${g.packagingType ?? ''}${g.packageCount ? ` × ${g.packageCount}` : ''}`
      : undefined;
  const facility = g?.facilityCode ? `产生设施：${g.facilityCode}` : undefined;
  const origin = creation.created.type === 'WasteGenerated' ? undefined : creationRemark(creation.created);
  const parts = [packaging, facility, origin].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join('；') : undefined;
}

function creationRemark(created: BatchEvent): string {
  switch (created.type) {
    case 'BatchSplitOff':
      return `分装自 ${created.data.parentTraceCode}`;
    case 'BatchReturnedFromRejection':
      return `退回自 ${created.data.parentTraceCode}（联单 ${created.data.manifestNo}）`;
    case 'BatchesConsolidated':
      return `合并自 ${created.data.inputs.map((i) => i.traceCode).join('、')}`;
    default:
      return '';
  }
}
