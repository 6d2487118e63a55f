import { InvalidText } from '../errors';
import {
  partyDeciders,
  generateWasteCommand,
  givenState,
  partyOf,
  aRegisteredGenerator,
  registerPartyCommand,
} from '../testing';
import { decideGenerateWaste } from '../batch/generate-waste.decide';
import { parseOptionalText, parseText, textProblem, TEXT_BOUNDS } from './text';

const { register } = partyDeciders;

describe('free text (DESIGN §2 "Text is text")', () => {
  it.each([
    ['NUL', 'a\u0000b', /U\+0000/],
    ['a C0 control (bell)', 'a\u0007b', /U\+0007/],
    ['carriage return', 'a\r\nb', /U\+000D/],
    ['escape', '\u001b[31mred', /U\+001B/],
    ['DEL', 'a\u007fb', /U\+007F/],
    ['a C1 control', 'a\u0085b', /U\+0085/],
    ['an unpaired high surrogate', '\ud800', /unpaired/],
    ['an unpaired low surrogate between letters', 'x\udfffy', /unpaired/],
    ['a high surrogate at the end', '😀\ud83d', /unpaired/],
  ])('refuses %s as invalid-text naming the field', (_what, text, reason) => {
    const error = (() => {
      try {
        parseText(text, 'description');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidText);
    expect((error as InvalidText).rule).toBe('invalid-text');
    expect((error as InvalidText).details.field).toBe('description');
    expect(String((error as InvalidText).details.reason)).toMatch(reason);
  });

  it('accepts tab, newline, paired surrogates, bidirectional marks and markup as text', () => {
    for (const text of [
      'a\tb\nc',
      '😀🗑️♻️',
      '\u202Egnp.exe\u202C',
      '<script>alert(1)</script>',
      "'; DROP TABLE x; --",
    ])
      expect(textProblem(text)).toBeUndefined();
  });

  it('normalises to NFC and trims: a decomposed é and a composed one are the same text', () => {
    expect(parseText(' Cafe\u0301 ', 'name')).toBe('Caf\u00e9');
    expect(parseText('Caf\u00e9', 'name')).toBe(parseText('Cafe\u0301', 'name'));
    // 한 written as three jamo composes to one syllable
    expect(parseText('\u1112\u1161\u11ab', 'name')).toBe('\ud55c');
  });

  it('bounds the length in characters (code points after NFC), not UTF-16 units', () => {
    expect(parseText('😀'.repeat(TEXT_BOUNDS.label), 'label', { max: TEXT_BOUNDS.label })).toHaveLength(200);
    expect(() => parseText('x'.repeat(101), 'label', { max: 100 })).toThrow(InvalidText);
    // 101 decomposed letters compose to 101 characters: still too long; 100 composed fit
    expect(parseText('e\u0301'.repeat(100), 'label', { max: 100 })).toBe('\u00e9'.repeat(100));
  });

  it('requires a non-empty string; an optional text treats absent, null and empty as none', () => {
    for (const value of [undefined, null, 1, [], {}, '   '])
      expect(() => parseText(value, 'reason')).toThrow(InvalidText);
    expect(parseOptionalText(undefined, 'reason')).toBeUndefined();
    expect(parseOptionalText(null, 'reason')).toBeUndefined();
    expect(parseOptionalText('', 'reason')).toBeUndefined();
    expect(() => parseOptionalText('a\u0000', 'reason')).toThrow(InvalidText);
  });

  it('given nothing, when registering a party whose name holds NUL, then InvalidText naming name', () => {
    register
      .given([])
      .when(registerPartyCommand({ name: '杭州\u0000示例' }))
      .thenThrows(InvalidText, {
        field: 'name',
      });
  });

  it('given nothing, when registering a party with a decomposed name, then PartyRegistered with its NFC form', () => {
    register
      .given([])
      .when(registerPartyCommand({ name: 'Cafe\u0301 回收' }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ name: 'Caf\u00e9 回收' }));
  });

  it('given a generator, when it records waste described with an unpaired surrogate, then InvalidText naming description', () => {
    givenState(partyOf(aRegisteredGenerator()))
      .when((g) =>
        decideGenerateWaste(generateWasteCommand({ description: 'drum \ud800' }), { generator: g }),
      )
      .thenThrows(InvalidText, { field: 'description' });
  });
});
