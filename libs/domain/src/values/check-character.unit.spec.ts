import {
  MOD37_2_CHECK_SYMBOLS,
  hybrid33_32CheckValue,
  hybrid33_32Step,
  mod37_2CheckSymbol,
  mod37_2CheckValue,
  mod37_2IsValid,
} from './check-character';

/**
 * Why MOD 37-2 and not the hybrid MOD 33,32: both facts, exhaustively over every state of the
 * recursion and every pair of symbols.
 */
describe('ISO/IEC 7064 check systems over Crockford base32', () => {
  it('MOD 37-2 detects every adjacent transposition: (a − b)·(2 − 1) ≢ 0 mod 37 for all a ≠ b in 0..36', () => {
    for (let a = 0; a < 37; a++)
      for (let b = 0; b < 37; b++) if (a !== b) expect(((a - b) * 1) % 37).not.toBe(0);
  });

  it('MOD 37-2 detects every adjacent transposition from every state of the recursion', () => {
    const step = (p: number, a: number): number => ((p + a) * 2) % 37;
    let undetected = 0;
    for (let p = 0; p < 37; p++)
      for (let a = 0; a < 32; a++)
        for (let b = 0; b < 32; b++) if (a !== b && step(step(p, a), b) === step(step(p, b), a)) undetected++;
    expect(undetected).toBe(0);
  });

  it('the hybrid MOD 33,32 misses some adjacent transpositions (33 is not prime), so it was not chosen', () => {
    const misses: [number, number, number][] = [];
    for (let p = 1; p <= 32; p++)
      for (let a = 0; a < 32; a++)
        for (let b = 0; b < 32; b++)
          if (
            a !== b &&
            hybrid33_32Step(hybrid33_32Step(p, a), b) === hybrid33_32Step(hybrid33_32Step(p, b), a)
          )
            misses.push([p, a, b]);
    expect(misses.length).toBe(64);
    // a concrete pair of codes: a one-symbol prefix reaching the state of the first miss, then a b ↔ b a
    const [state, a, b] = misses[0];
    const x = [...Array(32).keys()].find((v) => hybrid33_32Step(32, v) === state) as number;
    expect(hybrid33_32CheckValue([x, a, b])).toBe(hybrid33_32CheckValue([x, b, a]));
    expect(mod37_2CheckValue([x, a, b])).not.toBe(mod37_2CheckValue([x, b, a]));
  });

  it('MOD 37-2 checks compute and verify', () => {
    const body = '330106W25030300000001';
    const check = mod37_2CheckSymbol(body);
    expect(MOD37_2_CHECK_SYMBOLS).toHaveLength(37);
    expect(mod37_2IsValid(body, check)).toBe(true);
    expect(mod37_2CheckValue([])).toBe(1);
    for (const other of MOD37_2_CHECK_SYMBOLS)
      if (other !== check) expect(mod37_2IsValid(body, other)).toBe(false);
    expect(mod37_2IsValid(body, '#')).toBe(false);
    expect(mod37_2IsValid('330106I', '0')).toBe(false);
  });
});
