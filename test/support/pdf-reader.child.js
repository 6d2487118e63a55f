// Reads a PDF with pdf.js (through pdf-parse) in a plain Node process: pdf.js starts its worker with a
// dynamic import(), which Jest's module runtime does not run without --experimental-vm-modules.
// argv: <pdf file> [<png file to render page 1 to> <scale>]; prints JSON (text per page, sizes in pt).
const { readFileSync, writeFileSync } = require('node:fs');
const { PDFParse } = require('pdf-parse');

async function main() {
  const [file, pngFile, scale] = process.argv.slice(2);
  const parser = new PDFParse({ data: new Uint8Array(readFileSync(file)) });
  const text = await parser.getText();
  const info = await parser.getInfo({ parsePageInfo: true });
  if (pngFile) {
    const shot = await parser.getScreenshot({
      scale: Number(scale || 3),
      first: 1,
      imageBuffer: true,
      imageDataUrl: false,
    });
    writeFileSync(pngFile, Buffer.from(shot.pages[0].data));
  }
  await parser.destroy();
  process.stdout.write(
    JSON.stringify({
      pages: text.pages.map((p) => p.text),
      sizes: (info.pages || []).map((p) => ({ width: p.width, height: p.height })),
    }),
  );
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
