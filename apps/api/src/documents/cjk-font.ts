import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { create, type Font } from 'fontkit';

/**
 * The CJK font of every document: Noto Sans SC (SIL Open Font License 1.1) from the npm package
 * @fontsource/noto-sans-sc, its "chinese-simplified" file (8,248 glyphs: the common Chinese characters
 * with Latin letters, digits and punctuation; 1.5 MB as WOFF). The documents embed a subset of it (the
 * glyphs they use), so a PDF opens the same on any machine, with no font installed there.
 *
 * Opened once per process and shared by every document: parsing the file costs seconds, a layout with an
 * opened font milliseconds. fontkit reads the tables lazily, and pdfkit keeps a per-document subset of
 * the glyphs used, so sharing the parsed font between documents is safe.
 */
const FONT_FILES = {
  regular: '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff',
  bold: '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff',
} as const;

export type FontWeight = keyof typeof FONT_FILES;

/** The family name the SVG documents ask for (a viewer without it falls back to a sans-serif CJK font). */
export const SVG_FONT_FAMILY =
  "'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const opened = new Map<FontWeight, Font>();

export function cjkFont(weight: FontWeight = 'regular'): Font {
  let font = opened.get(weight);
  if (font === undefined) {
    const opened_ = create(sfntOfWoff(readFileSync(require.resolve(FONT_FILES[weight]))));
    if (!('glyphForCodePoint' in opened_))
      throw new Error(`${FONT_FILES[weight]} is a collection, not a font`);
    font = opened_;
    opened.set(weight, font);
  }
  return font;
}

/**
 * A WOFF 1.0 file as the plain TrueType (sfnt) font it wraps: every table inflated once. fontkit reads a
 * WOFF file too, but inflates a whole table again for each glyph it reads (the glyf table is 1.5 MB), which
 * made a label take a minute; from the plain font it takes milliseconds.
 */
export function sfntOfWoff(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') return woff;
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [
      woff.readUInt32BE(at + 4),
      woff.readUInt32BE(at + 8),
      woff.readUInt32BE(at + 12),
    ];
    const stored = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.subarray(at, at + 4),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(stored) : stored,
    };
  });
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * numTables);
  woff.copy(header, 0, 4, 8); // flavor: the sfnt version
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, i) => {
    const record = 12 + i * 16;
    table.tag.copy(header, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    const padded = Buffer.alloc(Math.ceil(table.data.length / 4) * 4);
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

/** The advance of `text` at `size` (in the unit of `size`), from the font's horizontal metrics. */
export function textWidth(text: string, size: number, weight: FontWeight = 'regular'): number {
  const font = cjkFont(weight);
  let units = 0;
  for (const char of text) units += font.glyphForCodePoint(char.codePointAt(0) ?? 0x20).advanceWidth;
  return (units / font.unitsPerEm) * size;
}

/**
 * Breaks `text` into lines no wider than `widths[i]` (the first line may be shorter than the rest).
 * Chinese text breaks between any two characters; a run of Latin letters and digits is kept whole when
 * it fits on a line. At most `maxLines`; what does not fit ends the last line with an ellipsis.
 */
export function wrapText(
  text: string,
  size: number,
  widths: { readonly first: number; readonly rest: number },
  maxLines: number,
  weight: FontWeight = 'regular',
): string[] {
  const tokens =
    text
      .replace(/\s+/g, ' ')
      .trim()
      .match(/[A-Za-z0-9.,:;%()\-/+]+|\s|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  const limit = () => (lines.length === 0 ? widths.first : widths.rest);
  for (const token of tokens) {
    if (textWidth(line + token, size, weight) <= limit()) {
      line += token;
      continue;
    }
    if (line.trim() !== '') {
      lines.push(line.trimEnd());
      line = token.trim() === '' ? '' : token;
    } else {
      // a token wider than a whole line: cut it by characters
      for (const char of token) {
        if (textWidth(line + char, size, weight) > limit() && line !== '') {
          lines.push(line);
          line = '';
        }
        line += char;
      }
    }
    while (textWidth(line, size, weight) > limit() && [...line].length > 1) {
      const chars = [...line];
      let cut = chars.length - 1;
      while (cut > 1 && textWidth(chars.slice(0, cut).join(''), size, weight) > limit()) cut--;
      lines.push(chars.slice(0, cut).join(''));
      line = chars.slice(cut).join('');
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = `${kept[maxLines - 1]}…`;
  const width = maxLines === 1 ? widths.first : widths.rest;
  while (textWidth(last, size, weight) > width && last.length > 1)
    last = `${[...last].slice(0, -2).join('')}…`;
  kept[maxLines - 1] = last;
  return kept;
}
