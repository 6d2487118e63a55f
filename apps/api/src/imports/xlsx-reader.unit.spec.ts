import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { WholeCharacterWorkbookReader, wholeCharacters } from './xlsx-reader';

async function decodedChunkByChunk(chunks: Buffer[]): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  // as exceljs decodes: each chunk on its own
  for await (const chunk of wholeCharacters(
    (async function* () {
      yield* chunks;
    })(),
  ))
    text += decoder.decode(chunk);
  return text;
}

describe('wholeCharacters (chunks cut on UTF-8 character boundaries for exceljs)', () => {
  const text = '<c><is><t>危险废物 HW08 😀 é</t></is></c>';
  const bytes = Buffer.from(text, 'utf8');

  it('gives the text back whole wherever the chunks were cut (each decoded on its own)', async () => {
    for (let cut = 1; cut < bytes.length; cut++)
      expect(await decodedChunkByChunk([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(text);
    const byteByByte = [...bytes].map((b) => Buffer.from([b]));
    expect(await decodedChunkByChunk(byteByByte)).toBe(text);
  });

  it('is needed: the same cut decoded without it breaks a character', () => {
    const cut = bytes.indexOf(Buffer.from('险', 'utf8')) + 1;
    const decoder = new TextDecoder('utf-8');
    const broken = decoder.decode(bytes.subarray(0, cut)) + decoder.decode(bytes.subarray(cut));
    expect(broken).not.toBe(text);
  });
});

/** A workbook as exceljs's own (non-streaming) writer stores it: sheets, sharedStrings, …, workbook.xml last. */
async function sixSheets(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('说明').addRow(['文件', '危险废物管理台账']);
  for (const name of [
    '表1 产生环节',
    '表2 入库环节',
    '表3 出库环节',
    '表4 自行利用处置',
    '表5 委外利用处置',
  ]) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(['批次编码', '时间', '废物名称']);
    for (let i = 0; i < 20; i++) sheet.addRow([`${name}-${i}`, '2026-03-02 10:03:00', '废矿物油']);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function sheetsRead(
  reader: ExcelJS.stream.xlsx.WorkbookReader,
): Promise<{ name: string; rows: number; first: unknown }[]> {
  const sheets: { name: string; rows: number; first: unknown }[] = [];
  for await (const sheet of reader) {
    let rows = 0;
    let first: unknown;
    for await (const row of sheet) {
      rows += 1;
      if (rows === 2) first = (row.values as unknown[])[1];
    }
    sheets.push({ name: (sheet as unknown as { name: string }).name, rows, first });
  }
  return sheets;
}

const OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  styles: 'cache',
} as const;
const streamOf = (file: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < file.length; i += 64 * 1024) yield file.subarray(i, i + 64 * 1024);
    })(),
  );

describe('WholeCharacterWorkbookReader (no entry of the archive lost before the end)', () => {
  it('reads every sheet of a workbook stored with workbook.xml last, by name, with its shared strings, every time', async () => {
    const file = await sixSheets();
    for (let i = 0; i < 20; i++) {
      const sheets = await sheetsRead(new WholeCharacterWorkbookReader(streamOf(file), OPTIONS));
      expect(sheets.map((s) => s.name)).toEqual([
        '说明',
        '表1 产生环节',
        '表2 入库环节',
        '表3 出库环节',
        '表4 自行利用处置',
        '表5 委外利用处置',
      ]);
      expect(sheets.slice(1).map((s) => [s.rows, s.first])).toEqual(
        sheets.slice(1).map((s) => [21, `${s.name}-0`]),
      );
    }
  });

  it('is needed: exceljs’s own streaming reader loses the entries stored last (the workbook model) on the same file', async () => {
    const file = await sixSheets();
    const failures: string[] = [];
    for (let i = 0; i < 5; i++)
      await sheetsRead(new ExcelJS.stream.xlsx.WorkbookReader(streamOf(file), OPTIONS)).catch((e: Error) =>
        failures.push(e.message),
      );
    // a race in exceljs 4.4 / unzipper 0.10: if this ever reads cleanly, the upstream bug may be fixed
    expect(failures).toContain("Cannot read properties of undefined (reading 'sheets')");
  });
});
