import ExcelJS from 'exceljs';
import { CATEGORY_NAMES, SUBTYPE_NAMES } from '@wasteflow/domain';
import type { IndicatorsAnswer } from '@wasteflow/projections';
import { addAboutSheet, addDataSheet, type SheetColumn } from '../documents/workbook';
import type { ReportLine } from './indicator-report.rows';

type ReportColumn = SheetColumn & { readonly value: (line: ReportLine) => string | number | null };

/** The answer's figures: its masses (kg) and its rates (null on a zero denominator). */
type FigureKey = {
  [K in keyof IndicatorsAnswer]-?: IndicatorsAnswer[K] extends number | null ? K : never;
}[keyof IndicatorsAnswer];

/** Figures of the answer as they are, one width and number format for a group (masses in kg, rates). */
function figureColumns(
  width: number,
  numFmt: string,
  figures: readonly (readonly [FigureKey, string])[],
): ReportColumn[] {
  return figures.map(([key, header]) => ({ key, header, width, numFmt, value: (l) => l.answer[key] }));
}

/** The report's columns: what GET /v1/indicators answers, in the same units (kg, exact to the gram; rates). */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { key: 'period', header: '期间', width: 10, value: (l) => l.period },
  {
    key: 'category',
    header: '固体废物类别',
    width: 16,
    value: (l) => (l.category ? CATEGORY_NAMES[l.category] : '全部类别'),
  },
  { key: 'subtype', header: '细类', width: 14, value: (l) => (l.subtype ? SUBTYPE_NAMES[l.subtype] : null) },
  { key: 'categoryKey', header: '类别代码', width: 12, value: (l) => l.category ?? null },
  { key: 'subtypeKey', header: '细类代码', width: 14, value: (l) => l.subtype ?? null },
  ...figureColumns(16, '0.000', [
    ['generatedKg', '产生量（千克）'],
    ['utilisedKg', '利用量（千克）'],
    ['landfilledKg', '填埋量（千克）'],
    ['incineratedKg', '焚烧量（千克）'],
    ['otherDisposedKg', '其他处置量（千克）'],
    ['disposedKg', '处置量（千克）'],
    ['utilisedFromPriorStockKg', '利用往期贮存量（千克）'],
    ['treatedFromPriorStockKg', '利用处置往期贮存量（千克）'],
  ]),
  ...figureColumns(12, '0.00%', [
    ['utilisationRate', '综合利用率'],
    ['landfillRate', '填埋率'],
    ['treatedRate', '利用处置率'],
  ]),
  {
    key: 'targets',
    header: '目标',
    width: 36,
    value: (l) =>
      l.targets.map((t) => t.label ?? `${t.indicator} ${t.comparator} ${t.value}`).join('；') || null,
  },
  {
    key: 'met',
    header: '是否达标',
    width: 16,
    value: (l) =>
      l.answer.targets.map((t) => (t.met === null ? '无数据' : t.met ? '达标' : '未达标')).join('；') || null,
  },
  { key: 'position', header: '账本位置', width: 14, value: (l) => l.answer.position },
];

export interface ReportHeader {
  readonly region: string;
  readonly year: number;
  readonly positions: readonly string[];
  readonly generatedAt: Date;
}

/** The workbook: 说明, the year per kind (年度), and month by month (逐月). A few hundred rows: built in memory. */
export async function reportWorkbook(lines: readonly ReportLine[], header: ReportHeader): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  addAboutSheet(workbook, header.generatedAt, { k: 20, v: 70 }, [
    ['文件', '无废城市年度指标报告（与 GET /v1/indicators 同一查询）'],
    ['行政区划', header.region],
    ['年度', String(header.year)],
    ['账本位置', header.positions.join(', ')],
    ['生成时间', header.generatedAt.toISOString()],
    ['说明', '质量以千克计（精确到克）；比率为空表示分母为零；期间为中国标准时间的自然月。'],
  ]);
  const year = String(header.year);
  for (const [name, rows] of [
    ['年度', lines.filter((l) => l.period === year)],
    ['逐月', lines.filter((l) => l.period !== year)],
  ] as const) {
    const sheet = addDataSheet(workbook, name, REPORT_COLUMNS);
    for (const line of rows) sheet.addRow(REPORT_COLUMNS.map((c) => c.value(line)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
