import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

interface ChildAnswer {
  readonly pages: string[];
  readonly sizes: { width: number; height: number }[];
}

/** pdf.js in a child process (test/support/pdf-reader.child.js says why). */
async function pdfJs(pdf: Buffer, render?: { file: string; scale: number }): Promise<ChildAnswer> {
  const dir = mkdtempSync(join(tmpdir(), 'wasteflow-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const args = [
      join(__dirname, 'pdf-reader.child.js'),
      file,
      ...(render ? [render.file, String(render.scale)] : []),
    ];
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as ChildAnswer;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Millimetres per PDF point. */
export const MM_PER_PT = 25.4 / 72;

export interface ReadPdf {
  /** The text of each page, as pdf.js extracts it. */
  readonly pages: readonly string[];
  /** Page sizes in millimetres. */
  readonly sizesMm: readonly { readonly width: number; readonly height: number }[];
  /** The PostScript names of the embedded fonts (a subset is named `ABCDEF+Name`). */
  readonly fontNames: readonly string[];
  readonly fontFiles: number;
}

/** Reads a PDF back with pdf.js (through pdf-parse): text, page sizes, the fonts it embeds. */
export async function readPdf(pdf: Buffer): Promise<ReadPdf> {
  const answer = await pdfJs(pdf);
  const raw = pdf.toString('latin1');
  return {
    pages: answer.pages,
    sizesMm: answer.sizes.map((p) => ({ width: p.width * MM_PER_PT, height: p.height * MM_PER_PT })),
    // pdfkit compresses the content streams, not the dictionaries: the fonts' names are readable as they are
    fontNames: [...new Set([...raw.matchAll(/\/BaseFont \/([^\s/<>\]]+)/g)].map((m) => m[1]))],
    fontFiles: [...raw.matchAll(/\/FontFile2 /g)].length,
  };
}

/** The first page rendered to PNG (pdf.js on @napi-rs/canvas), saved under test/screenshots/documents/ for people to look at. */
export async function renderFirstPage(pdf: Buffer, name: string, scale = 3): Promise<PNG> {
  const dir = join(__dirname, '..', 'screenshots', 'documents');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await pdfJs(pdf, { file, scale });
  return PNG.sync.read(readFileSync(file));
}

/** The text of the QR code found in a rendered page, or null. */
export function decodeQr(image: PNG): string | null {
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return found?.data ?? null;
}

/**
 * The QR code drawn in an SVG by the documents' renderer (`<g class="qr">`: a white square and one path of
 * dark modules), rasterised here module by module and decoded with jsQR.
 */
export function decodeSvgQr(svg: string): string | null {
  const group =
    /<g class="qr"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="#ffffff"\/><path d="([^"]*)"/.exec(
      svg,
    );
  if (!group) return null;
  const [x0, y0, size] = [Number(group[1]), Number(group[2]), Number(group[3])];
  const runs = [...group[4].matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)/g)].map((m) =>
    m.slice(1).map(Number),
  );
  const unit = Math.min(...runs.map((r) => r[3]));
  const modules = Math.round(size / unit);
  const px = 4; // pixels per module
  const width = (modules + 8) * px; // 4 more modules of light border around
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [x, y, w] of runs) {
    const [c0, r] = [Math.round((x - x0) / unit) + 4, Math.round((y - y0) / unit) + 4];
    for (let c = c0; c < c0 + Math.round(w / unit); c++) {
      for (let dy = 0; dy < px; dy++) {
        for (let dx = 0; dx < px; dx++) {
          const i = ((r * px + dy) * width + c * px + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }
  }
  return jsQR(data, width, width)?.data ?? null;
}
