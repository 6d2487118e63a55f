import { CATEGORY_NAMES, SUBTYPE_NAMES, type WasteCategory, type WasteSubtype } from '@wasteflow/domain';
import type { LedgerBookEntry, LedgerBookTableNo } from '@wasteflow/projections';

/**
 * The five tables of HJ 1259-2022 (附录 A) as sheets: their Chinese column headers in the standard's order,
 * then two columns of ours (固体废物类别, 细类: wasteflow keeps every category, not hazardous waste alone),
 * then hidden columns that tie every figure to the ledger: the exact grams, the event id and type, the ledger
 * position. Columns the standard has and the ledger does not know yet (the storage facility, the
 * 出库部门经办人) are present and empty (README "Known gaps"); a person is printed from its reference at
 * read time (已删除 after erasure). The import reads the same columns back.
 */
export interface BookContext {
  readonly partyName: (uscc: string | null) => string;
  /** A person reference resolved now: the name, 已删除 after erasure, null when unknown (ADR 14). */
  readonly personName: (personId: string | null) => string | null;
}

export interface BookColumn {
  readonly key: string;
  readonly header: string;
  readonly width: number;
  readonly hidden?: boolean;
  /** A number cell (tonnes with three decimals, or whole grams). */
  readonly numFmt?: string;
  readonly value: (entry: LedgerBookEntry, context: BookContext) => string | number | null;
}

export interface BookTable {
  readonly no: LedgerBookTableNo;
  /** The sheet's name (at most 31 characters, no []:*?/\). */
  readonly sheet: string;
  readonly title: string;
  readonly columns: readonly BookColumn[];
}

/** `occurredAt` as the standard's forms write it: China Standard Time, to the second. */
export function cstTime(instant: string): string {
  const ms = Date.parse(instant) + 8 * 3_600_000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Exact grams as tonnes rounded half up to three decimals (the kilogram), the unit the forms use. */
export function tonnes(grams: bigint): number {
  const kg = (grams + 500n) / 1000n;
  return Number(`${kg / 1000n}.${(kg % 1000n).toString().padStart(3, '0')}`);
}

/** The 废物类别 column: the HW category of a hazardous code (its last two digits), else the category's name. */
export function wasteClass(entry: { category: string; wasteCode: string | null }): string {
  if (entry.category === 'hazardous' && entry.wasteCode) return `HW${entry.wasteCode.slice(-2)}`;
  return CATEGORY_NAMES[entry.category as WasteCategory] ?? entry.category;
}

export const MOVEMENT_NAMES: Readonly<Record<string, string>> = {
  generated: '产生',
  received: '接收',
  returned: '退回',
  split: '拆分',
  consolidated: '合并',
  corrected: '更正',
  shipped: '转移',
  treated: '自行利用/处置',
};

export const MODE_NAMES: Readonly<Record<string, string>> = {
  utilisation: '利用',
  landfill: '填埋',
  incineration: '焚烧',
  other_disposal: '其他处置',
};

const TONNE = '0.000';
const text = (key: string, header: string, value: BookColumn['value'], width = 16): BookColumn => ({
  key,
  header,
  width,
  value,
});
const empty = (key: string, header: string): BookColumn => text(key, header, () => null, 12);
/** A person column: the act's handler (a reference, resolved at read time) on rows of these movements (or all). */
const person = (key: string, header: string, movements?: readonly string[]): BookColumn =>
  text(
    key,
    header,
    (e, c) =>
      movements === undefined || (e.movement !== null && movements.includes(e.movement))
        ? c.personName(e.handlerPersonId)
        : null,
    14,
  );

const code = (header: string) => text('traceCode', header, (e) => e.traceCode, 24);
const time = (header: string) => text('occurredAt', header, (e) => cstTime(e.occurredAt), 20);
const name = text('description', '废物名称', (e) => e.description, 20);
const wasteClassColumn = text('wasteClass', '废物类别', (e) => wasteClass(e), 12);
const wasteCode = text('wasteCode', '废物代码', (e) => e.wasteCode, 12);
const mass = (header: string): BookColumn => ({
  key: 'tonnes',
  header,
  width: 12,
  numFmt: TONNE,
  value: (e) => tonnes(e.grams),
});
const unit = text('unit', '计量单位', () => '吨', 8);
const container = [
  text('containerCode', '容器/包装编码', (e) => e.traceCode, 24),
  text('containerType', '容器/包装类型', (e) => e.packagingType, 12),
  text('containerCount', '容器/包装数量', (e) => e.packageCount, 12),
];
const ours = [
  text('category', '固体废物类别', (e) => CATEGORY_NAMES[e.category as WasteCategory] ?? e.category, 14),
  text(
    'subtype',
    '细类',
    (e) => (e.subtype ? (SUBTYPE_NAMES[e.subtype as WasteSubtype] ?? e.subtype) : null),
    12,
  ),
];
const hidden: BookColumn[] = [
  { key: 'grams', header: '质量（克）', width: 14, hidden: true, numFmt: '0', value: (e) => Number(e.grams) },
  { key: 'eventId', header: '事件编号', width: 38, hidden: true, value: (e) => e.eventId },
  { key: 'eventType', header: '事件类型', width: 22, hidden: true, value: (e) => e.eventType },
  { key: 'position', header: '账本位置', width: 14, hidden: true, value: (e) => e.position },
];
const movement = (header: string) =>
  text('movement', header, (e) => (e.movement ? (MOVEMENT_NAMES[e.movement] ?? e.movement) : null), 14);
const manifest = text('manifestNo', '转移联单编号', (e) => e.manifestNo, 18);
const mode = text('mode', '利用/处置方式类别', (e) => (e.mode ? (MODE_NAMES[e.mode] ?? e.mode) : null), 12);

/** A table as HJ 1259-2022 lists its columns, then ours (category, subtype), then the hidden ones. */
function standardTable(
  no: LedgerBookTableNo,
  sheet: string,
  title: string,
  standard: readonly BookColumn[],
): BookTable {
  return { no, sheet, title, columns: [...standard, ...ours, ...hidden] };
}

export const BOOK_TABLES: readonly BookTable[] = [
  standardTable(1, '表1 产生环节', '危险废物产生环节记录表', [
    code('产生批次编码'),
    time('产生时间'),
    name,
    wasteClassColumn,
    wasteCode,
    mass('产生量'),
    unit,
    ...container,
    text('facilityCode', '产生危险废物设施编码', (e) => e.facilityCode, 16),
    // the generation's handler (WasteGenerated v3)
    person('handler', '产生部门经办人', ['generated']),
    text('destination', '去向', () => '入库', 10),
  ]),
  standardTable(2, '表2 入库环节', '危险废物入库环节记录表', [
    code('入库批次编码'),
    time('入库时间'),
    ...container,
    name,
    wasteClassColumn,
    wasteCode,
    mass('入库量'),
    unit,
    empty('facilityCode', '贮存设施编码'),
    empty('facilityType', '贮存设施类型'),
    // a generation into the generator's own store: its handler carries it in (WasteGenerated v3)
    person('carrierHandler', '运送部门经办人', ['generated']),
    // a receipt: the receiver's handler takes it into the store (ManifestReceived v5)
    person('storeHandler', '贮存部门经办人', ['received']),
    text('linkedCodes', '产生批次编码', (e) => e.linkedCodes, 24),
    movement('来源'),
    manifest,
    text(
      'counterparty',
      '来源单位',
      (e, c) => (e.counterpartyUscc ? c.partyName(e.counterpartyUscc) : null),
      24,
    ),
  ]),
  standardTable(3, '表3 出库环节', '危险废物出库环节记录表', [
    code('出库批次编码'),
    time('出库时间'),
    ...container,
    name,
    wasteClassColumn,
    wasteCode,
    mass('出库量'),
    unit,
    empty('facilityCode', '贮存设施编码'),
    empty('facilityType', '贮存设施类型'),
    empty('storeHandler', '出库部门经办人'),
    // a pickup's driver (ManifestPickedUp v3), the one person the ledger records with a table-3 act
    person('carrierHandler', '运送部门经办人', ['shipped']),
    text('linkedCodes', '入库批次编码', (e) => e.linkedCodes, 24),
    movement('去向'),
    text(
      'note',
      '去向批次编码',
      (e) => (e.movement === 'split' || e.movement === 'consolidated' ? e.note : null),
      24,
    ),
    manifest,
    text('carrier', '运输单位', (e, c) => (e.carrierUscc ? c.partyName(e.carrierUscc) : null), 24),
    text('vehiclePlate', '车牌号', (e) => e.vehiclePlate, 12),
    text('operation', '利用/处置方式', (e) => e.operation, 10),
  ]),
  standardTable(4, '表4 自行利用处置', '危险废物自行利用/处置环节记录表', [
    code('自行利用/处置批次编码'),
    time('自行利用/处置时间'),
    ...container,
    name,
    wasteClassColumn,
    wasteCode,
    mass('自行利用/处置量'),
    unit,
    text('facilityCode', '自行利用/处置设施编码', (e) => e.facilityCode, 18),
    text('operation', '自行利用/处置方式', (e) => e.operation, 10),
    mode,
    empty('finishedAt', '自行利用/处置完毕时间'),
    // the treatment's handler (WasteUtilised / WasteDisposed v4)
    person('handler', '自行利用/处置部门经办人'),
    text('linkedCodes', '出库批次编码', (e) => e.linkedCodes, 24),
    text('permitNo', '许可证编号', (e) => e.permitNo, 18),
  ]),
  standardTable(5, '表5 委外利用处置', '危险废物委外利用/处置环节记录表', [
    code('出库批次编码'),
    time('利用/处置时间'),
    name,
    wasteClassColumn,
    wasteCode,
    mass('委外利用/处置量'),
    unit,
    text('operation', '利用/处置方式', (e) => e.operation, 10),
    mode,
    text('receiver', '接收单位', (e, c) => (e.counterpartyUscc ? c.partyName(e.counterpartyUscc) : null), 24),
    text('receiverUscc', '接收单位统一社会信用代码', (e) => e.counterpartyUscc, 22),
    text('permitNo', '危险废物经营许可证编号', (e) => e.permitNo, 18),
    manifest,
  ]),
];

export function bookTable(no: number): BookTable | undefined {
  return BOOK_TABLES.find((t) => t.no === no);
}
