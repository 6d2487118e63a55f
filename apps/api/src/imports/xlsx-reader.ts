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

/**
 * exceljs 4.4's streaming reader walks the archive with `iterateStream(zip)` over unzipper 0.10's `Parse`,
 * which emits `end` as soon as its writable side finishes (`parse.js`: `on('finish', () => emit('end'))`) —
 * not when the entries it has pushed have been read. While the reader works on one entry it pauses the
 * zip, so the parser, running ahead through entries small enough to sit in their own buffers, pushes them
 * into the paused stream's buffer where no `data` event carries them; then `end` comes, `iterateStream`
 * sees nothing pending and stops. The entries stored last are lost: from exceljs's own writer (worksheets,
 * sharedStrings, …, xl/workbook.xml last) the reader then parses the deferred sheets with no workbook model
 * — `Cannot read properties of undefined (reading 'sheets')` —, and from the 台账 export (workbook.xml.rels
 * near the end) sheets without their names. It is a race (how far the parser runs ahead while a sheet is
 * written to its temporary file), so it came and went with the load of the machine.
 * The fix, where the archive stream is piped into the parser: an `end` emitted while entries are still
 * buffered first reads them out — each `read()` emits the `data` event `iterateStream` collects —, so every
 * entry is delivered before the end.
 */
export function deliverBufferedEntriesBeforeEnd(zip: NodeJS.ReadableStream): void {
  const readable = zip as unknown as {
    emit: (event: string | symbol, ...args: unknown[]) => boolean;
    read(): unknown;
  };
  const emit = readable.emit.bind(zip);
  readable.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'end')
      while (readable.read() !== null) {
        // each read emits 'data' with the entry
      }
    return emit(event, ...args);
  };
}

interface ReaderInternals {
  _getStream(input: unknown): NodeJS.ReadableStream;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: number): unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
}

type ReaderConstructor = new (
  ...args: ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>
) => ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as ReaderConstructor;

/**
 * exceljs's streaming WorkbookReader, fed whole characters (see `wholeCharacters`), losing no entry of the
 * archive (see `deliverBufferedEntriesBeforeEnd`).
 */
export class WholeCharacterWorkbookReader extends Base {
  override _getStream(input: unknown): NodeJS.ReadableStream {
    const stream = super._getStream(input);
    const pipe = stream.pipe.bind(stream);
    // exceljs pipes the archive into a fresh unzipper Parse in `parse()`: mend that parser
    stream.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
      deliverBufferedEntriesBeforeEnd(destination as unknown as NodeJS.ReadableStream);
      return pipe(destination, options);
    };
    return stream;
  }

  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: number): unknown {
    return super._parseWorksheet(wholeCharacters(iterator), sheetNo);
  }

  override _parseSharedStrings(entry: NodeJS.ReadableStream): unknown {
    return super._parseSharedStrings(
      Readable.from(wholeCharacters(entry as unknown as AsyncIterable<Buffer>)),
    );
  }
}
