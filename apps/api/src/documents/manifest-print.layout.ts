import { textWidth, wrapText } from './cjk-font';
import type { Page, Shape } from './drawing';
import { A4_MM, formatKg, qrModules } from './label.layout';

/** One line of the manifest as printed (part 1, with the receipt's mass in part 3's column). */
export interface ManifestPrintLine {
  readonly traceCode: string;
  readonly wasteName?: string;
  readonly wasteCode?: string;
  readonly hazards?: string;
  readonly physicalForm?: string;
  readonly packaging?: string;
  readonly shippedKg: number;
  readonly receivedKg?: number;
}

export interface ManifestPrintParty {
  readonly name?: string;
  readonly uscc: string;
  readonly address?: string;
  readonly handler?: string;
  readonly phone?: string;
  readonly emergencyPhone?: string;
}

/** A leg after the first (多式联运): the next carrier, its vehicle, where and when it took the waste over. */
export interface ManifestPrintLeg {
  readonly leg: number;
  readonly name?: string;
  readonly uscc: string;
  readonly vehiclePlate: string;
  /** 交接地点 */
  readonly place?: string;
  /** 交接时间: the start of this leg. */
  readonly startedAt?: string;
  /** The end of this leg: the next hand-over, or the receipt. */
  readonly endedAt?: string;
  /** The leg's crew, recorded at the hand-over (ManifestHandedOver v2); 已删除 after an erasure. */
  readonly licenceNo?: string;
  readonly vehicleType?: string;
  readonly driver?: string;
  readonly driverPhone?: string;
  readonly escort?: string;
  readonly escortPhone?: string;
}

/** Everything the 转移联单 prints; undefined fields print as blank lines to fill in by hand. */
export interface ManifestPrint {
  readonly manifestNo: string;
  readonly status: string;
  readonly plannedAt?: string;
  readonly shipper: ManifestPrintParty;
  /** 交付时间: the pickup. */
  readonly handedOverAt?: string;
  readonly lines: readonly ManifestPrintLine[];
  readonly totalKg: number;
  readonly carrier: ManifestPrintParty & {
    readonly licenceNo?: string;
    readonly driver?: string;
    readonly driverPhone?: string;
    readonly escort?: string;
    readonly escortPhone?: string;
    readonly vehicleType?: string;
    readonly vehiclePlate?: string;
    readonly from?: string;
    readonly to?: string;
    readonly startedAt?: string;
    readonly endedAt?: string;
  };
  /** Every leg after the first (多式联运), in order; the first is `carrier`. */
  readonly legs?: readonly ManifestPrintLeg[];
  readonly receiver: ManifestPrintParty & {
    readonly permitNo?: string;
    readonly receivedAt?: string;
    readonly plannedOperation?: string;
    /** 是 / 否 after the receipt; undefined before. */
    readonly significantDiscrepancy?: string;
    readonly receivedKg?: number;
  };
  /** The link the QR code carries. */
  readonly url: string;
  /** The ledger position the print was read at. */
  readonly position: string;
}

const INK = '#000000';
const GREY = '#e8e8e8';
const SIZE = 3;
const LINE = 6.2;
const LEFT = 12;
const RIGHT = 198;

interface Cursor {
  y: number;
}

function section(shapes: Shape[], cursor: Cursor, title: string): void {
  shapes.push({
    kind: 'rect',
    x: LEFT,
    y: cursor.y,
    w: RIGHT - LEFT,
    h: 7,
    fill: GREY,
    stroke: INK,
    lineWidth: 0.3,
  });
  shapes.push({ kind: 'text', x: LEFT + 2, y: cursor.y + 5, size: 3.6, text: title, weight: 'bold' });
  cursor.y += 7;
}

/** A row of label/value cells across the width (two or three to a row); blank values get a line. */
function fieldRow(shapes: Shape[], cursor: Cursor, cells: readonly [string, string | undefined][]): void {
  const width = (RIGHT - LEFT) / cells.length;
  shapes.push({ kind: 'rect', x: LEFT, y: cursor.y, w: RIGHT - LEFT, h: LINE, stroke: INK, lineWidth: 0.2 });
  cells.forEach(([label, value], i) => {
    const x = LEFT + i * width;
    if (i > 0)
      shapes.push({
        kind: 'line',
        x1: x,
        y1: cursor.y,
        x2: x,
        y2: cursor.y + LINE,
        stroke: INK,
        lineWidth: 0.2,
      });
    const text = `${label}：`;
    shapes.push({ kind: 'text', x: x + 1.5, y: cursor.y + 4.3, size: SIZE, text, weight: 'bold' });
    const vx = x + 1.5 + textWidth(text, SIZE, 'bold');
    if (value === undefined || value === '') {
      shapes.push({
        kind: 'line',
        x1: vx,
        y1: cursor.y + 5,
        x2: x + width - 2,
        y2: cursor.y + 5,
        stroke: INK,
        lineWidth: 0.15,
      });
    } else {
      const [first] = wrapText(value, SIZE, { first: x + width - 2 - vx, rest: x + width - 2 - vx }, 1);
      shapes.push({ kind: 'text', x: vx, y: cursor.y + 4.3, size: SIZE, text: first ?? '' });
    }
  });
  cursor.y += LINE;
}

const COLUMNS: readonly { readonly title: string; readonly width: number }[] = [
  { title: '序号', width: 9 },
  { title: '废物名称', width: 38 },
  { title: '废物代码', width: 21 },
  { title: '危险特性', width: 22 },
  { title: '形态', width: 13 },
  { title: '包装方式及数量', width: 27 },
  { title: '转移量', width: 28 },
  { title: '接收量', width: 28 },
];

function lineTable(shapes: Shape[], cursor: Cursor, lines: readonly ManifestPrintLine[], from: number): void {
  const row = (cells: readonly (string | undefined)[], bold: boolean) => {
    let x = LEFT;
    shapes.push({
      kind: 'rect',
      x: LEFT,
      y: cursor.y,
      w: RIGHT - LEFT,
      h: LINE,
      stroke: INK,
      lineWidth: 0.2,
    });
    cells.forEach((cell, i) => {
      const width = COLUMNS[i].width;
      if (i > 0)
        shapes.push({
          kind: 'line',
          x1: x,
          y1: cursor.y,
          x2: x,
          y2: cursor.y + LINE,
          stroke: INK,
          lineWidth: 0.2,
        });
      if (cell) {
        const size = SIZE * 0.92;
        const [first] = wrapText(
          cell,
          size,
          { first: width - 2, rest: width - 2 },
          1,
          bold ? 'bold' : 'regular',
        );
        shapes.push({
          kind: 'text',
          x: x + 1,
          y: cursor.y + 4.3,
          size,
          text: first ?? '',
          weight: bold ? 'bold' : 'regular',
        });
      }
      x += width;
    });
    cursor.y += LINE;
  };
  row(
    COLUMNS.map((c) => c.title),
    true,
  );
  lines.forEach((line, i) =>
    row(
      [
        String(from + i + 1),
        line.wasteName,
        line.wasteCode,
        line.hazards,
        line.physicalForm,
        line.packaging,
        formatKg(line.shippedKg),
        line.receivedKg === undefined ? undefined : formatKg(line.receivedKg),
      ],
      false,
    ),
  );
}

/** Lines on the first sheet; the rest continue on sheets of their own. */
const FIRST_PAGE_LINES = 10;
const NEXT_PAGE_LINES = 36;
/** Later legs printed on the first sheet (6 rows each); any more continue on sheets of their own. */
const FIRST_PAGE_LEGS = 1;
const NEXT_PAGE_LEGS = 7;

/** One later leg of part 2 (多式联运): who took the waste over, with which vehicle, where and when. */
function legRows(shapes: Shape[], cursor: Cursor, leg: ManifestPrintLeg): void {
  fieldRow(shapes, cursor, [
    [`第 ${leg.leg} 程承运人`, leg.name],
    ['统一社会信用代码', leg.uscc],
  ]);
  fieldRow(shapes, cursor, [['道路运输经营许可证号', leg.licenceNo]]);
  fieldRow(shapes, cursor, [
    ['运输工具', leg.vehicleType],
    ['车牌号', leg.vehiclePlate],
    ['交接地点', leg.place],
  ]);
  fieldRow(shapes, cursor, [
    ['驾驶员', leg.driver],
    ['联系电话', leg.driverPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['押运员', leg.escort],
    ['联系电话', leg.escortPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['交接时间', leg.startedAt],
    ['到达时间', leg.endedAt],
  ]);
}

/**
 * The 危险废物转移联单 (the form of the 2021 危险废物转移管理办法) on A4: the number and a QR code; part 1
 * the shipper and the lines; part 2 the carrier; part 3 the receiver and the discrepancy verdict.
 */
export function manifestPages(print: ManifestPrint): Page[] {
  const shapes: Shape[] = [];
  const cursor: Cursor = { y: 10 };
  shapes.push({
    kind: 'text',
    x: 105,
    y: 20,
    size: 7,
    text: '危险废物转移联单',
    weight: 'bold',
    align: 'center',
  });
  shapes.push({
    kind: 'text',
    x: 105,
    y: 26,
    size: 2.8,
    text: '（《危险废物转移管理办法》2021 年）',
    align: 'center',
  });
  shapes.push({
    kind: 'text',
    x: LEFT,
    y: 35,
    size: 3.4,
    text: `联单编号：${print.manifestNo}`,
    weight: 'bold',
  });
  shapes.push({ kind: 'text', x: LEFT, y: 40.5, size: 3, text: `状态：${print.status}` });
  shapes.push({ kind: 'qr', x: RIGHT - 26, y: 8, size: 26, modules: qrModules(print.url) });
  cursor.y = 44;

  section(shapes, cursor, '第一部分  移出人填写');
  fieldRow(shapes, cursor, [
    ['单位名称', print.shipper.name],
    ['统一社会信用代码', print.shipper.uscc],
  ]);
  fieldRow(shapes, cursor, [['单位地址', print.shipper.address]]);
  fieldRow(shapes, cursor, [
    ['经办人', print.shipper.handler],
    ['联系电话', print.shipper.phone],
    ['应急联系电话', print.shipper.emergencyPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['计划转移时间', print.plannedAt],
    ['交付时间', print.handedOverAt],
  ]);
  const first = print.lines.slice(0, FIRST_PAGE_LINES);
  lineTable(shapes, cursor, first, 0);
  const more = print.lines.length - first.length;
  fieldRow(shapes, cursor, [
    ['合计转移量', formatKg(print.totalKg)],
    ['废物种类', `${print.lines.length} 项${more > 0 ? `（续页 ${more} 项）` : ''}`],
  ]);
  cursor.y += 3;

  section(shapes, cursor, '第二部分  承运人填写');
  fieldRow(shapes, cursor, [
    ['单位名称', print.carrier.name],
    ['统一社会信用代码', print.carrier.uscc],
  ]);
  fieldRow(shapes, cursor, [['道路运输经营许可证号', print.carrier.licenceNo]]);
  fieldRow(shapes, cursor, [
    ['运输工具', print.carrier.vehicleType],
    ['车牌号', print.carrier.vehiclePlate],
  ]);
  fieldRow(shapes, cursor, [
    ['驾驶员', print.carrier.driver],
    ['联系电话', print.carrier.driverPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['押运员', print.carrier.escort],
    ['联系电话', print.carrier.escortPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['运输起点', print.carrier.from],
    ['起运时间', print.carrier.startedAt],
  ]);
  fieldRow(shapes, cursor, [
    ['运输终点', print.carrier.to],
    ['到达时间', print.carrier.endedAt],
  ]);
  const legs = print.legs ?? [];
  for (const leg of legs.slice(0, FIRST_PAGE_LEGS)) legRows(shapes, cursor, leg);
  if (legs.length > FIRST_PAGE_LEGS)
    fieldRow(shapes, cursor, [
      ['联运', `共 ${legs.length + 1} 程（续页 ${legs.length - FIRST_PAGE_LEGS} 程）`],
    ]);
  cursor.y += 3;

  section(shapes, cursor, '第三部分  接受人填写');
  fieldRow(shapes, cursor, [
    ['单位名称', print.receiver.name],
    ['统一社会信用代码', print.receiver.uscc],
  ]);
  fieldRow(shapes, cursor, [
    ['危险废物经营许可证编号', print.receiver.permitNo],
    ['接收时间', print.receiver.receivedAt],
  ]);
  fieldRow(shapes, cursor, [
    ['拟利用处置方式', print.receiver.plannedOperation],
    ['是否存在重大差异', print.receiver.significantDiscrepancy],
  ]);
  fieldRow(shapes, cursor, [
    ['接收量', print.receiver.receivedKg === undefined ? undefined : formatKg(print.receiver.receivedKg)],
    ['经办人', print.receiver.handler],
  ]);
  shapes.push({
    kind: 'text',
    x: LEFT,
    y: A4_MM.height - 10,
    size: 2.4,
    text: `由 wasteflow 账本打印（账本位置 ${print.position}）；空白栏由经办人手工填写。`,
    color: '#444444',
  });
  const pages: Page[] = [{ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes }];
  for (let from = FIRST_PAGE_LINES; from < print.lines.length; from += NEXT_PAGE_LINES) {
    const next: Shape[] = [];
    const c: Cursor = { y: 12 };
    next.push({
      kind: 'text',
      x: LEFT,
      y: 10,
      size: 3.4,
      text: `联单编号：${print.manifestNo}（续页）`,
      weight: 'bold',
    });
    c.y = 14;
    lineTable(next, c, print.lines.slice(from, from + NEXT_PAGE_LINES), from);
    pages.push({ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes: next });
  }
  for (let from = FIRST_PAGE_LEGS; from < legs.length; from += NEXT_PAGE_LEGS) {
    const next: Shape[] = [];
    const c: Cursor = { y: 14 };
    next.push({
      kind: 'text',
      x: LEFT,
      y: 10,
      size: 3.4,
      text: `联单编号：${print.manifestNo}（续页：第二部分 承运人）`,
      weight: 'bold',
    });
    for (const leg of legs.slice(from, from + NEXT_PAGE_LEGS)) legRows(next, c, leg);
    pages.push({ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes: next });
  }
  return pages;
}
