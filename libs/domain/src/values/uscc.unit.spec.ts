import { InvalidUscc } from '../errors';
import { USCC_ALPHABET, composeUscc, isValidUscc, parseUscc, usccCheckCharacter } from './uscc';

describe('USCC (GB 32100-2015)', () => {
  // published examples of valid codes
  it.each(['91350100M000100Y43', '91110000600037341L', '91330000142916567N'])(
    'accepts the valid code %s',
    (code) => {
      expect(parseUscc(code)).toBe(code);
    },
  );

  it('normalises case and surrounding spaces', () => {
    expect(parseUscc(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
  });

  it('computes the check character', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(composeUscc('91350100M000100Y4')).toBe('91350100M000100Y43');
  });

  it('refuses a wrong check character, length, alphabet and division code (InvalidUscc)', () => {
    expect(() => parseUscc('91350100M000100Y44')).toThrow(InvalidUscc);
    expect(() => parseUscc('91350100M000100Y4')).toThrow(InvalidUscc);
    expect(() => parseUscc('91350100M000100Y4I')).toThrow(InvalidUscc);
    expect(() => parseUscc('9135A100M000100Y43')).toThrow(InvalidUscc);
    expect(() => parseUscc(42)).toThrow(InvalidUscc);
    expect(() => parseUscc('91350100M000100Y44', 'carrierUscc')).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'carrierUscc' }) }),
    );
  });

  it('detects every single-character substitution of a valid code', () => {
    const code = '91350100M000100Y43';
    for (let i = 0; i < 18; i++) {
      for (const ch of USCC_ALPHABET) {
        if (ch === code[i]) continue;
        expect(isValidUscc(code.slice(0, i) + ch + code.slice(i + 1))).toBe(false);
      }
    }
  });
});
