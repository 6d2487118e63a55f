import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { RowResult } from './import-job.store';

const STATUS_NAMES = {
  pending: '待处理',
  applied: '已导入',
  'already-applied': '此前已导入',
  refused: '拒绝',
  matched: '已核对（账本已有）',
  unmatched: '未核对（待对方登记）',
} as const;

const TABLE_NAMES: Readonly<Record<number, string>> = {
  1: '表1 产生',
  2: '表2 入库',
  3: '表3 出库',
  4: '表4 自行利用/处置',
  5: '表5 委外利用/处置',
};

/**
 * The per-row result of an import as a workbook, one row per row of the file in the order processed,
 * streamed from the stored results a page at a time (20,000 rows, a turn of the event loop every 500).
 */
export function importReport(pages: AsyncIterable<RowResult[]>): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  workbook.creator = 'wasteflow';
  const sheet = workbook.addWorksheet('导入结果');
  sheet.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '批次编码（文件）', key: 'sourceCode', width: 24 },
    { header: '结果', key: 'statusName', width: 18 },
    { header: 'status', key: 'status', width: 16 },
    { header: '批次编码（浙固码）', key: 'traceCode', width: 26 },
    { header: '账本位置', key: 'position', width: 12 },
    { header: '规则', key: 'rule', width: 28 },
    { header: '说明', key: 'detail', width: 60 },
    { header: '表', key: 'table', width: 18 },
    { header: '事件编号', key: 'eventId', width: 38 },
  ];
  void (async () => {
    let n = 0;
    for await (const page of pages)
      for (const r of page) {
        sheet
          .addRow({
            row: r.row,
            sourceCode: r.sourceCode,
            statusName: STATUS_NAMES[r.status],
            status: r.status,
            traceCode: r.traceCode ?? null,
            position: r.position ?? null,
            rule: r.problem ? String(r.problem.rule) : null,
            detail: r.problem ? String(r.problem.detail) : (r.note ?? null),
            table: TABLE_NAMES[r.table] ?? String(r.table),
            eventId: r.eventId ?? null,
          })
          .commit();
        if (++n % 500 === 0) await nextTurn();
      }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
