import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { printedName, type PeopleRecords } from '@wasteflow/ledger';
import type { LedgerBookEntry, LedgerBookQuery, LedgerBookRequest } from '@wasteflow/projections';
import { addAboutSheet, addDataSheet } from '../documents/workbook';
import { BOOK_TABLES, type BookColumn, type BookContext, type BookTable } from './ledger-book.columns';

/** What the 说明 sheet (and the CSV's file name) says about the book. */
export interface BookHeader {
  readonly partyUscc: string;
  readonly partyName: string;
  readonly districtCode: string;
  readonly from: string;
  readonly to: string;
  readonly position: bigint;
  readonly generatedAt: Date;
}

/**
 * Streams a book to `out` a page at a time: each page is read, written and committed (exceljs's streaming
 * writer keeps no committed row), then the event loop gets a turn before the next page, so a book of
 * 100,000 rows neither sits in memory nor holds the loop.
 */
async function forEachPage(
  source: BookSource,
  request: LedgerBookRequest,
  table: BookTable,
  position: bigint,
  each: (entries: LedgerBookEntry[], context: BookContext) => void | Promise<void>,
): Promise<void> {
  const { query, people } = source;
  for await (const page of query.entries(request, table.no, position)) {
    const names = await query.partyNames(
      page.flatMap((e) => [e.counterpartyUscc, e.carrierUscc]).filter((u): u is string => u !== null),
    );
    // people resolved now (ADR 14), as the 联单 does: a name while the record has its key, 已删除 after erasure
    const persons = await people.resolve(page.flatMap((e) => (e.handlerPersonId ? [e.handlerPersonId] : [])));
    await each(page, {
      partyName: (uscc) => (uscc === null ? '' : (names.get(uscc) ?? uscc)),
      personName: (personId) => (personId === null ? null : (printedName(persons.get(personId)) ?? null)),
    });
    await nextTurn();
  }
}

/** Where a book's rows come from: the read model, and the person records its references resolve to. */
export interface BookSource {
  readonly query: LedgerBookQuery;
  readonly people: Pick<PeopleRecords, 'resolve'>;
}

function cells(columns: readonly BookColumn[], entry: LedgerBookEntry, context: BookContext) {
  return columns.map((column) => column.value(entry, context));
}

export async function writeBookXlsx(
  out: Writable,
  source: BookSource,
  request: LedgerBookRequest,
  header: BookHeader,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  addAboutSheet(workbook, header.generatedAt, { k: 22, v: 60 }, [
    ['文件', '危险废物管理台账（HJ 1259-2022 附录 A 表1—表5）'],
    ['单位名称', header.partyName],
    ['统一社会信用代码', header.partyUscc],
    ['行政区划代码', header.districtCode],
    ['起始日期', header.from],
    ['截止日期', header.to],
    ['账本位置', header.position.toString()],
    ['生成时间', header.generatedAt.toISOString()],
    ['说明', '质量以吨计（三位小数）；隐藏列保存精确克数、事件编号与账本位置，每一数字可追溯到其事件。'],
  ]).commit();
  for (const table of BOOK_TABLES) {
    const sheet = addDataSheet(workbook, table.sheet, table.columns);
    await forEachPage(source, request, table, header.position, (entries, context) => {
      for (const entry of entries) sheet.addRow(cells(table.columns, entry, context)).commit();
    });
    sheet.commit();
  }
  await workbook.commit();
}

/** One table as CSV (UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese headers). */
export async function writeBookCsv(
  out: Writable,
  source: BookSource,
  request: LedgerBookRequest,
  table: BookTable,
  position: bigint,
): Promise<void> {
  const csv = stringify({ bom: true, record_delimiter: '\r\n' });
  const done = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
  });
  csv.pipe(out);
  csv.write(table.columns.map((c) => c.header));
  await forEachPage(source, request, table, position, async (entries, context) => {
    for (const entry of entries) {
      if (!csv.write(cells(table.columns, entry, context).map((v) => (v === null ? '' : v))))
        await new Promise((resolve) => csv.once('drain', resolve));
    }
  });
  csv.end();
  await done;
}
