import { wholeCharacters } from './xlsx-reader';

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
