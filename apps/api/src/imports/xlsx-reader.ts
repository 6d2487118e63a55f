import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes every inflated chunk of a sheet on its own (`utils/parse-sax.js`:
 * `TextDecoder.decode(chunk)` without `stream: true`), so a character whose UTF-8 bytes straddle two chunks
 * is read as U+FFFD — an exported 台账 of a few thousand rows had two 固体废物类别 cells read as
 * "危险废��" and refused. The reader below hands exceljs chunks that end on a character boundary (the
 * bytes of an unfinished character are carried into the next chunk), for the sheets and the shared
 * strings alike; everything else is exceljs's own.
 */
export async function* wholeCharacters(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    const all = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
    const cut = completeLength(all);
    carry = Buffer.from(all.subarray(cut));
    if (cut > 0) yield all.subarray(0, cut);
  }
  if (carry.length > 0) yield carry;
}

/** The length of the longest prefix that ends on a UTF-8 character boundary. */
export function completeLength(bytes: Buffer): number {
  let lead = bytes.length - 1;
  // continuation bytes are 10xxxxxx; a character has at most three of them
  while (lead >= 0 && bytes.length - lead <= 4 && (bytes[lead] & 0xc0) === 0x80) lead -= 1;
  if (lead < 0 || bytes.length - lead > 4) return bytes.length; // not UTF-8 we can mend: as it is
  const first = bytes[lead];
  const size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return bytes.length - lead >= size ? bytes.length : lead;
}

interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: number): unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
}

type ReaderConstructor = new (
  ...args: ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>
) => ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as ReaderConstructor;

/** exceljs's streaming WorkbookReader, fed whole characters (see `wholeCharacters`). */
export class WholeCharacterWorkbookReader extends Base {
  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: number): unknown {
    return super._parseWorksheet(wholeCharacters(iterator), sheetNo);
  }

  override _parseSharedStrings(entry: NodeJS.ReadableStream): unknown {
    return super._parseSharedStrings(
      Readable.from(wholeCharacters(entry as unknown as AsyncIterable<Buffer>)),
    );
  }
}
