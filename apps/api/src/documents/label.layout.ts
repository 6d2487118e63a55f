import * as QRCode from 'qrcode';
import type { ContainerVolume } from '@wasteflow/domain';
import { textWidth, wrapText } from './cjk-font';
import type { Page, Shape } from './drawing';
import { HAZARD_NAMES, pictogram, type HazardCharacteristic } from './hazard-pictograms';

/** The three label sizes of HJ 1276-2022, by the volume of the container (≤ 50 L, ≤ 450 L, more). */
export const LABEL_SIZES_MM = [100, 150, 200] as const;
export type LabelSize = (typeof LABEL_SIZES_MM)[number];

/** The label size each container volume class recorded at generation takes. */
export const LABEL_SIZE_OF_VOLUME: Readonly<Record<ContainerVolume, LabelSize>> = {
  upTo50L: 100,
  upTo450L: 150,
  over450L: 200,
};

/** Everything a label prints; a field left undefined prints as a blank line to fill in by hand. */
export interface LabelFacts {
  readonly traceCode: string;
  /** The header: 危险废物 (HJ 1276-2022), or the category's name on a batch of other waste. */
  readonly header?: string;
  /** 废物名称: the name the generator gave, else the catalogue's. */
  readonly wasteName?: string;
  /** 废物类别: HWnn (or the category's name for other waste). */
  readonly wasteCategory?: string;
  /** 废物代码 NNN-NNN-NN. */
  readonly wasteCode?: string;
  /** 废物形态: 固态、液态、半固态、气态. */
  readonly physicalForm?: string;
  /** 危险特性; undefined when nobody knows them (no catalogue entry, none recorded). */
  readonly hazards?: readonly HazardCharacteristic[];
  readonly mainComponents?: string;
  readonly hazardousComponents?: string;
  readonly precautions?: string;
  /** 数字识别码: unit code + waste code + date + serial (HJ 1276-2022). */
  readonly digitalId?: string;
  /** 产生/收集单位. */
  readonly unitName?: string;
  /** 联系人和联系方式 ("已删除" once the person was erased). */
  readonly contact?: string;
  /** 产生日期 YYYY-MM-DD (China Standard Time). */
  readonly generatedOn?: string;
  /** 废物重量, kg. */
  readonly weightKg?: number;
  /** 备注: packaging, the trace code. */
  readonly remarks?: string;
  /** The public trace page the QR code carries. */
  readonly traceUrl: string;
  readonly size: LabelSize;
}

/** HJ 1276-2022's label colour (醒目的橘黄色) and the ink. */
const LABEL_YELLOW = '#ffa500';
const INK = '#000000';

export function qrModules(text: string, margin = 2): boolean[][] {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  return Array.from({ length: size + 2 * margin }, (_, r) =>
    Array.from({ length: size + 2 * margin }, (_, c) => {
      const [row, col] = [r - margin, c - margin];
      return row >= 0 && col >= 0 && row < size && col < size && qr.modules.get(row, col) === 1;
    }),
  );
}

export function formatKg(kg: number): string {
  return `${kg.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 3, useGrouping: false })} kg`;
}

interface Row {
  readonly label: string;
  readonly value: string | undefined;
  readonly lines: number;
  readonly small?: boolean;
}

/**
 * One label as a page of `size` mm square. Drawn on a 100-unit design and scaled, so the three sizes are
 * the same label larger: 危险废物 header, the fields of HJ 1276-2022 on the left, the hazard pictograms
 * and the QR code of the public trace page on the right.
 */
export function labelPage(facts: LabelFacts): Page {
  const k = facts.size / 100;
  const shapes: Shape[] = [];
  const at = (v: number) => v * k;
  shapes.push({ kind: 'rect', x: 0, y: 0, w: facts.size, h: facts.size, fill: LABEL_YELLOW });
  shapes.push({
    kind: 'rect',
    x: at(1.5),
    y: at(1.5),
    w: at(97),
    h: at(97),
    stroke: INK,
    lineWidth: at(0.8),
  });
  shapes.push({
    kind: 'text',
    x: at(50),
    y: at(12),
    size: at(9),
    text: facts.header ?? '危险废物',
    weight: 'bold',
    align: 'center',
  });
  shapes.push({
    kind: 'line',
    x1: at(1.5),
    y1: at(15),
    x2: at(98.5),
    y2: at(15),
    stroke: INK,
    lineWidth: at(0.5),
  });

  const hazards = facts.hazards;
  const rows: Row[] = [
    { label: '废物名称', value: facts.wasteName, lines: 2 },
    { label: '废物类别', value: facts.wasteCategory, lines: 1 },
    { label: '废物代码', value: facts.wasteCode, lines: 1 },
    { label: '废物形态', value: facts.physicalForm, lines: 1 },
    {
      label: '危险特性',
      value:
        hazards === undefined
          ? undefined
          : hazards.length === 0
            ? '无'
            : hazards.map((h) => HAZARD_NAMES[h]).join('、'),
      lines: 1,
    },
    { label: '主要成分', value: facts.mainComponents, lines: 2 },
    { label: '有害成分', value: facts.hazardousComponents, lines: 2 },
    { label: '注意事项', value: facts.precautions, lines: 2 },
    { label: '产生/收集单位', value: facts.unitName, lines: 2 },
    { label: '联系人和联系方式', value: facts.contact, lines: 1 },
    { label: '产生日期', value: facts.generatedOn, lines: 1 },
    {
      label: '废物重量',
      value: facts.weightKg === undefined ? undefined : formatKg(facts.weightKg),
      lines: 1,
    },
  ];
  const size = 2.7;
  const lineHeight = 3.55;
  const left = 3.5;
  const right = 64;
  let y = 19.2;
  for (const row of rows) {
    const label = `${row.label}：`;
    const labelWidth = textWidth(label, size, 'bold');
    shapes.push({ kind: 'text', x: at(left), y: at(y), size: at(size), text: label, weight: 'bold' });
    const x0 = left + labelWidth;
    if (row.value === undefined || row.value === '') {
      // a blank line to fill in by hand
      for (let i = 0; i < row.lines; i++) {
        const from = i === 0 ? x0 : left;
        shapes.push({
          kind: 'line',
          x1: at(from),
          y1: at(y + 0.8 + i * lineHeight),
          x2: at(right),
          y2: at(y + 0.8 + i * lineHeight),
          stroke: INK,
          lineWidth: at(0.2),
        });
      }
      y += row.lines * lineHeight;
      continue;
    }
    const lines = wrapText(row.value, size, { first: right - x0, rest: right - left }, row.lines);
    lines.forEach((text, i) => {
      shapes.push({
        kind: 'text',
        x: at(i === 0 ? x0 : left),
        y: at(y + i * lineHeight),
        size: at(size),
        text,
      });
    });
    y += Math.max(1, lines.length) * lineHeight;
  }

  // 数字识别码 and 备注 across the whole width, under the fields and the QR code
  const idY = 90.2;
  shapes.push({
    kind: 'line',
    x1: at(1.5),
    y1: at(idY - 3.6),
    x2: at(98.5),
    y2: at(idY - 3.6),
    stroke: INK,
    lineWidth: at(0.3),
  });
  const idLabel = '数字识别码：';
  shapes.push({ kind: 'text', x: at(left), y: at(idY), size: at(size), text: idLabel, weight: 'bold' });
  const idX = left + textWidth(idLabel, size, 'bold');
  if (facts.digitalId) {
    const idSize = Math.min(size, ((97 - idX) / textWidth(facts.digitalId, 1)) * 0.98);
    shapes.push({ kind: 'text', x: at(idX), y: at(idY), size: at(idSize), text: facts.digitalId });
  } else {
    shapes.push({
      kind: 'line',
      x1: at(idX),
      y1: at(idY + 0.8),
      x2: at(97),
      y2: at(idY + 0.8),
      stroke: INK,
      lineWidth: at(0.2),
    });
  }
  const remarkLabel = '备注：';
  shapes.push({
    kind: 'text',
    x: at(left),
    y: at(idY + lineHeight + 0.4),
    size: at(size),
    text: remarkLabel,
    weight: 'bold',
  });
  const remarkX = left + textWidth(remarkLabel, size, 'bold');
  const [remark] = wrapText(facts.remarks ?? '', size * 0.9, { first: 97 - remarkX, rest: 97 - remarkX }, 1);
  if (remark)
    shapes.push({
      kind: 'text',
      x: at(remarkX),
      y: at(idY + lineHeight + 0.4),
      size: at(size * 0.9),
      text: remark,
    });

  // right column: the pictograms (two per row, three when there are five) over the QR code
  const shown = (hazards ?? []).slice(0, 5);
  const columns = shown.length > 4 ? 3 : 2;
  const pictogramSize = columns === 3 ? 9.8 : 14.5;
  const columnStep = columns === 3 ? 10.6 : 16;
  shown.forEach((h, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    shapes.push(
      ...pictogram(h, at(66 + col * columnStep), at(16.5 + row * (pictogramSize + 3.7)), at(pictogramSize)),
    );
  });
  const qrSize = 30;
  const qrX = 97 - qrSize;
  const qrY = 85.6 - qrSize;
  shapes.push({ kind: 'qr', x: at(qrX), y: at(qrY), size: at(qrSize), modules: qrModules(facts.traceUrl) });
  const caption = `浙固码 ${facts.traceCode}`;
  const captionSize = Math.min(2.2, (qrSize + 1) / textWidth(caption, 1));
  shapes.push({
    kind: 'text',
    x: at(qrX + qrSize / 2),
    y: at(qrY - 0.8),
    size: at(captionSize),
    text: caption,
    align: 'center',
  });
  return { widthMm: facts.size, heightMm: facts.size, shapes };
}

/** A4 in millimetres: the sheet labels are printed on. */
export const A4_MM = { width: 210, height: 297 } as const;

/**
 * Labels laid out on A4 sheets in rows (each label at its own size, 4 mm apart, cut marks being the
 * labels' own borders); a label that does not fit on the current sheet starts the next one.
 */
export function labelSheet(labels: readonly LabelFacts[]): Page[] {
  const gap = 4;
  const margin = 3;
  const pages: { shapes: Shape[] }[] = [];
  let page: { shapes: Shape[] } | undefined;
  let x = margin;
  let y = margin;
  let rowHeight = 0;
  for (const facts of labels) {
    const label = labelPage(facts);
    if (page !== undefined && x + label.widthMm > A4_MM.width - margin + 0.01) {
      x = margin;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    if (page === undefined || y + label.heightMm > A4_MM.height - margin + 0.01) {
      page = { shapes: [] };
      pages.push(page);
      x = margin;
      y = margin;
      rowHeight = 0;
    }
    for (const shape of label.shapes) page.shapes.push(offset(shape, x, y));
    x += label.widthMm + gap;
    rowHeight = Math.max(rowHeight, label.heightMm);
  }
  return pages.map((p) => ({ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes: p.shapes }));
}

function offset(shape: Shape, dx: number, dy: number): Shape {
  switch (shape.kind) {
    case 'line':
      return { ...shape, x1: shape.x1 + dx, y1: shape.y1 + dy, x2: shape.x2 + dx, y2: shape.y2 + dy };
    case 'rect':
    case 'text':
    case 'path':
    case 'qr':
      return { ...shape, x: shape.x + dx, y: shape.y + dy };
    default: {
      const never: never = shape;
      return never;
    }
  }
}
