import { MAX_SHEET_LABELS, selectedInOrder, sheetBlocked, sheetParams } from './label-sheet';

describe('the label sheet of the ticked batches', () => {
  it('keeps the list’s order and drops codes no longer listed', () => {
    expect(selectedInOrder(['A', 'B', 'C'], ['C', 'X', 'A'])).toEqual(['A', 'C']);
  });

  it('asks for the codes comma-separated, with a size only when one is chosen', () => {
    expect(sheetParams(['A', 'B'], '')).toEqual({ codes: 'A,B' });
    expect(sheetParams(['A'], 150)).toEqual({ codes: 'A', size: 150 });
  });

  it('is blocked with nothing ticked and above the API’s limit per sheet', () => {
    expect(sheetBlocked([])).toBe('sheet.noneSelected');
    expect(sheetBlocked(Array.from({ length: MAX_SHEET_LABELS }, (_, i) => `C${i}`))).toBeUndefined();
    expect(sheetBlocked(Array.from({ length: MAX_SHEET_LABELS + 1 }, (_, i) => `C${i}`))).toBe(
      'sheet.tooMany',
    );
  });
});
