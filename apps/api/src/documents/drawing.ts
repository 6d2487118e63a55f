import PDFDocument from 'pdfkit';
import { cjkFont, SVG_FONT_FAMILY, type FontWeight } from './cjk-font';

/**
 * A page as a list of shapes in millimetres (origin top left, y down), drawn by two renderers: PDF
 * (pdfkit, the CJK font embedded as a subset) and SVG. One layout, two outputs: what the SVG shows is
 * what the PDF prints.
 */
export type Shape =
  | {
      readonly kind: 'rect';
      readonly x: number;
      readonly y: number;
      readonly w: number;
      readonly h: number;
      readonly fill?: string;
      readonly stroke?: string;
      readonly lineWidth?: number;
    }
  | {
      readonly kind: 'line';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly stroke: string;
      readonly lineWidth: number;
      readonly dash?: number;
    }
  | {
      /** One line of text; `y` is its baseline. */
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly size: number;
      readonly text: string;
      readonly weight?: FontWeight;
      readonly align?: 'left' | 'center';
      readonly color?: string;
    }
  | {
      /** SVG path data in a box of its own, placed at (x, y) and scaled by `scale`. */
      readonly kind: 'path';
      readonly d: string;
      readonly x: number;
      readonly y: number;
      readonly scale: number;
      readonly fill?: string;
      readonly stroke?: string;
      readonly lineWidth?: number;
    }
  | {
      /** A QR code: `modules[row][column]` dark or light, drawn as a `size` × `size` square. */
      readonly kind: 'qr';
      readonly x: number;
      readonly y: number;
      readonly size: number;
      readonly modules: readonly (readonly boolean[])[];
    };

export interface Page {
  readonly widthMm: number;
  readonly heightMm: number;
  readonly shapes: readonly Shape[];
}

export interface DocumentInfo {
  readonly title: string;
  readonly subject?: string;
}

/** PDF points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

/** The dark runs of a QR row, as [start, length] in modules. */
function darkRuns(row: readonly boolean[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let c = 0; c < row.length; c++) {
    if (!row[c]) continue;
    const start = c;
    while (c + 1 < row.length && row[c + 1]) c++;
    runs.push([start, c - start + 1]);
  }
  return runs;
}

/** The pages as one PDF (fonts embedded as subsets; no creation date, so equal input gives equal bytes). */
export function renderPdf(pages: readonly Page[], info: DocumentInfo): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    info: { Title: info.title, Subject: info.subject ?? '', Producer: 'wasteflow', Creator: 'wasteflow' },
    lang: 'zh-CN',
    displayTitle: true,
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes an opened fontkit font as well as a file: the fonts are parsed once per process
  doc.registerFont('regular', cjkFont('regular') as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont('bold', cjkFont('bold') as unknown as PDFKit.Mixins.PDFFontSource);
  for (const page of pages) {
    doc.addPage({ size: [page.widthMm * PT_PER_MM, page.heightMm * PT_PER_MM], margin: 0 });
    doc.save();
    doc.scale(PT_PER_MM);
    for (const shape of page.shapes) drawPdf(doc, shape);
    doc.restore();
  }
  doc.end();
  return ended;
}

function drawPdf(doc: PDFKit.PDFDocument, shape: Shape): void {
  switch (shape.kind) {
    case 'rect': {
      doc.save().rect(shape.x, shape.y, shape.w, shape.h);
      if (shape.fill && shape.stroke)
        doc.lineWidth(shape.lineWidth ?? 0.3).fillAndStroke(shape.fill, shape.stroke);
      else if (shape.fill) doc.fill(shape.fill);
      else if (shape.stroke) doc.lineWidth(shape.lineWidth ?? 0.3).stroke(shape.stroke);
      doc.restore();
      return;
    }
    case 'line': {
      doc.save().moveTo(shape.x1, shape.y1).lineTo(shape.x2, shape.y2).lineWidth(shape.lineWidth);
      if (shape.dash) doc.dash(shape.dash, { space: shape.dash });
      doc.stroke(shape.stroke).undash().restore();
      return;
    }
    case 'text': {
      const width =
        shape.align === 'center'
          ? doc
              .font(shape.weight ?? 'regular')
              .fontSize(shape.size)
              .widthOfString(shape.text)
          : 0;
      doc
        .save()
        .font(shape.weight ?? 'regular')
        .fontSize(shape.size)
        .fillColor(shape.color ?? '#000000')
        .text(shape.text, shape.align === 'center' ? shape.x - width / 2 : shape.x, shape.y, {
          lineBreak: false,
          baseline: 'alphabetic',
        })
        .restore();
      return;
    }
    case 'path': {
      doc.save().translate(shape.x, shape.y).scale(shape.scale).path(shape.d);
      if (shape.fill && shape.stroke)
        doc
          .lineWidth(shape.lineWidth ?? 1)
          .lineJoin('round')
          .lineCap('round')
          .fillAndStroke(shape.fill, shape.stroke);
      else if (shape.fill) doc.fill(shape.fill);
      else
        doc
          .lineWidth(shape.lineWidth ?? 1)
          .lineJoin('round')
          .lineCap('round')
          .stroke(shape.stroke ?? '#000000');
      doc.restore();
      return;
    }
    case 'qr': {
      const unit = shape.size / shape.modules.length;
      doc.save();
      doc.rect(shape.x, shape.y, shape.size, shape.size).fill('#ffffff');
      shape.modules.forEach((row, r) => {
        for (const [c, n] of darkRuns(row)) doc.rect(shape.x + c * unit, shape.y + r * unit, n * unit, unit);
      });
      doc.fill('#000000').restore();
      return;
    }
    default:
      return assertNoShape(shape);
  }
}

function assertNoShape(shape: never): never {
  throw new Error(`unknown shape ${JSON.stringify(shape)}`);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
const n = (value: number): string => String(Math.round(value * 1000) / 1000);

/** One page as a standalone SVG in millimetres (width="100mm" …; the QR code as one path). */
export function renderSvg(page: Page, title: string): string {
  const body = page.shapes.map(svgOf).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${n(page.widthMm)}mm" height="${n(page.heightMm)}mm" viewBox="0 0 ${n(page.widthMm)} ${n(page.heightMm)}" font-family="${escapeXml(SVG_FONT_FAMILY)}">
<title>${escapeXml(title)}</title>
${body}
</svg>
`;
}

function svgOf(shape: Shape): string {
  switch (shape.kind) {
    case 'rect':
      return `<rect x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.w)}" height="${n(shape.h)}" fill="${shape.fill ?? 'none'}"${shape.stroke ? ` stroke="${shape.stroke}" stroke-width="${n(shape.lineWidth ?? 0.3)}"` : ''}/>`;
    case 'line':
      return `<line x1="${n(shape.x1)}" y1="${n(shape.y1)}" x2="${n(shape.x2)}" y2="${n(shape.y2)}" stroke="${shape.stroke}" stroke-width="${n(shape.lineWidth)}"${shape.dash ? ` stroke-dasharray="${n(shape.dash)}"` : ''}/>`;
    case 'text':
      return `<text x="${n(shape.x)}" y="${n(shape.y)}" font-size="${n(shape.size)}"${shape.weight === 'bold' ? ' font-weight="700"' : ''}${shape.align === 'center' ? ' text-anchor="middle"' : ''} fill="${shape.color ?? '#000000'}">${escapeXml(shape.text)}</text>`;
    case 'path':
      return `<path transform="translate(${n(shape.x)} ${n(shape.y)}) scale(${n(shape.scale)})" d="${shape.d}" fill="${shape.fill ?? 'none'}"${shape.stroke ? ` stroke="${shape.stroke}" stroke-width="${n(shape.lineWidth ?? 1)}" stroke-linejoin="round" stroke-linecap="round"` : ''}/>`;
    case 'qr': {
      const unit = shape.size / shape.modules.length;
      const d = shape.modules
        .flatMap((row, r) =>
          darkRuns(row).map(
            ([c, len]) =>
              `M${n(shape.x + c * unit)} ${n(shape.y + r * unit)}h${n(len * unit)}v${n(unit)}h${n(-len * unit)}z`,
          ),
        )
        .join('');
      return `<g class="qr"><rect x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.size)}" height="${n(shape.size)}" fill="#ffffff"/><path d="${d}" fill="#000000"/></g>`;
    }
    default:
      return assertNoShape(shape);
  }
}
