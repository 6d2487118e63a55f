import enReference from '../i18n/en.reference.json';
import enUi from '../i18n/en.ui.json';
import zhReference from '../i18n/zh-CN.reference.json';
import zhUi from '../i18n/zh-CN.ui.json';

/** Every string of a message file with its key path. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => strings(value, path === '' ? key : `${path}.${key}`));
}

describe('the console’s message files', () => {
  it('hold no character vue-i18n reads as syntax (@ links a message, | splits plurals): a page rendering one fails', () => {
    for (const file of [enUi, zhUi, enReference, zhReference]) {
      expect(strings(file).filter(([, text]) => /[@|]/.test(text))).toEqual([]);
    }
  });

  it('have the same keys in both languages', () => {
    const keys = (file: unknown) =>
      strings(file)
        .map(([key]) => key)
        .sort();
    expect(keys(enUi)).toEqual(keys(zhUi));
    expect(keys(enReference)).toEqual(keys(zhReference));
  });
});
