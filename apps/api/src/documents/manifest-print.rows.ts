import { textWidth, wrapText } from './cjk-font';
import type { Shape } from './drawing';
import { formatKg } from './label.layout';
import type { ManifestPrintLeg, ManifestPrintLine } from './manifest-print.model';

/** The cells of the 联单 form: a section bar, a row of label/value fields, the table of lines, a leg's rows. */
export const INK = '#000000';
const GREY = '#e8e8e8';
const SIZE = 3;
const LINE = 6.2;
export const LEFT = 12;
export const RIGHT = 198;

export interface Cursor {
  y: number;
}

export function section(shapes: Shape[], cursor: Cursor, title: string): void {
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

/** The box of one row of the form, across its width. */
function rowBox(shapes: Shape[], y: number): void {
  shapes.push({ kind: 'rect', x: LEFT, y, w: RIGHT - LEFT, h: LINE, stroke: INK, lineWidth: 0.2 });
}

/** The rule between two cells of a row, at the left edge `x` of the second. */
function cellRule(shapes: Shape[], x: number, y: number): void {
  shapes.push({ kind: 'line', x1: x, y1: y, x2: x, y2: y + LINE, stroke: INK, lineWidth: 0.2 });
}

/** A row of label/value cells across the width (two or three to a row); blank values get a line. */
export function fieldRow(
  shapes: Shape[],
  cursor: Cursor,
  cells: readonly [string, string | undefined][],
): void {
  const width = (RIGHT - LEFT) / cells.length;
  rowBox(shapes, cursor.y);
  cells.forEach(([label, value], i) => {
    const x = LEFT + i * width;
    if (i > 0) cellRule(shapes, x, cursor.y);
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

export function lineTable(
  shapes: Shape[],
  cursor: Cursor,
  lines: readonly ManifestPrintLine[],
  from: number,
): void {
  const row = (cells: readonly (string | undefined)[], bold: boolean) => {
    let x = LEFT;
    rowBox(shapes, cursor.y);
    cells.forEach((cell, i) => {
      const width = COLUMNS[i].width;
      if (i > 0) cellRule(shapes, x, cursor.y);
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
export const FIRST_PAGE_LINES = 10;
export const NEXT_PAGE_LINES = 36;
/** Later legs printed on the first sheet (6 rows each); any more continue on sheets of their own. */
export const FIRST_PAGE_LEGS = 1;
export const NEXT_PAGE_LEGS = 7;

/** One later leg of part 2 (多式联运): who took the waste over, with which vehicle, where and when. */
export function legRows(shapes: Shape[], cursor: Cursor, leg: ManifestPrintLeg): void {
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
