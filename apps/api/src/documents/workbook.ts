import type ExcelJS from 'exceljs';

/** A column of a data sheet, as the ledger book's and the indicator report's tables declare theirs. */
export interface SheetColumn {
  readonly key: string;
  readonly header: string;
  readonly width: number;
  readonly hidden?: boolean;
  readonly numFmt?: string;
}

/**
 * The 说明 sheet each workbook of the documents opens with: made by wasteflow at `generatedAt`, one row a
 * fact (项目 / 内容). Its rows are committed as they are added (a no-op in memory), so a streaming writer
 * only has to commit the sheet.
 */
export function addAboutSheet(
  workbook: ExcelJS.Workbook,
  generatedAt: Date,
  widths: { readonly k: number; readonly v: number },
  facts: readonly (readonly [string, string])[],
): ExcelJS.Worksheet {
  workbook.creator = 'wasteflow';
  workbook.created = generatedAt;
  const about = workbook.addWorksheet('说明');
  about.columns = [
    { header: '项目', key: 'k', width: widths.k },
    { header: '内容', key: 'v', width: widths.v },
  ];
  for (const [k, v] of facts) about.addRow({ k, v }).commit();
  return about;
}

/** A data sheet: its header row frozen, its columns as declared (width, hidden, number format). */
export function addDataSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    hidden: c.hidden === true,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  return sheet;
}
