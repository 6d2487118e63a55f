import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ImportJob } from './import-jobs';

const STATUS_NAMES = {
  pending: '待处理',
  applied: '已导入',
  'already-applied': '此前已导入',
  refused: '拒绝',
} as const;

/**
 * The per-row result of an import as a workbook, one row per row of the file in the order applied, streamed
 * (20,000 rows, a turn of the event loop every 500).
 */
export function importReport(job: ImportJob): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  workbook.creator = 'wasteflow';
  const sheet = workbook.addWorksheet('导入结果');
  sheet.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '产生批次编码', key: 'sourceCode', width: 24 },
    { header: '结果', key: 'statusName', width: 12 },
    { header: 'status', key: 'status', width: 16 },
    { header: '批次编码（浙固码）', key: 'traceCode', width: 26 },
    { header: '账本位置', key: 'position', width: 12 },
    { header: '规则', key: 'rule', width: 28 },
    { header: '说明', key: 'detail', width: 60 },
  ];
  void (async () => {
    let n = 0;
    for (const r of job.rows) {
      sheet
        .addRow({
          row: r.row,
          sourceCode: r.sourceCode,
          statusName: STATUS_NAMES[r.status],
          status: r.status,
          traceCode: r.traceCode ?? null,
          position: r.position ?? null,
          rule: r.problem ? String(r.problem.rule) : null,
          detail: r.problem ? String(r.problem.detail) : null,
        })
        .commit();
      if (++n % 500 === 0) await nextTurn();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
