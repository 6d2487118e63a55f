import { InvalidMass, MassNotPositive, MassOutOfRange } from '../errors';

/** Upper bound of a single mass: 10^9 kg (10^12 g, far inside the safe-integer range even when summed). */
export const MAX_MASS_KG = 1_000_000_000;
export const MAX_MASS_GRAMS = MAX_MASS_KG * 1000;

const KG_TEXT = /^(\d+)(?:\.(\d+))?$/;

export interface MassOptions {
  /** Accept 0 (e.g. nothing received, nothing accepted). Default false: a mass is positive. */
  readonly allowZero?: boolean;
}

/**
 * A mass: integer grams inside. The API speaks `…Kg` numbers with at most 3 decimals; events and
 * commands of the domain carry `…Grams` safe integers.
 */
export class Mass {
  private constructor(readonly grams: number) {}

  static readonly ZERO = new Mass(0);

  /**
   * Parses kilograms given as a number or a decimal string: at most 3 decimals, finite, positive
   * (or zero with `allowZero`), at most 10^9 kg. The decimal text is parsed exactly (no float rounding).
   */
  static fromKg(value: number | string, field = 'massKg', options: MassOptions = {}): Mass {
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InvalidMass(field, String(value), 'not a finite number');
      if (value < 0) throw new MassNotPositive(field, value);
      if (value > MAX_MASS_KG) throw new MassOutOfRange(field, value, MAX_MASS_KG);
      text = String(value);
      if (/e/i.test(text)) {
        // only tiny numbers reach here (large ones were refused above): 1e-7 has more than 3 decimals
        if (value === 0) text = '0';
        else throw new InvalidMass(field, value, 'more than 3 decimals');
      }
    } else if (typeof value === 'string') {
      text = value.trim();
      if (text.startsWith('-')) throw new MassNotPositive(field, value);
    } else {
      throw new InvalidMass(field, null, 'a number of kilograms is required');
    }
    const m = KG_TEXT.exec(text);
    if (!m) throw new InvalidMass(field, value, 'not a decimal number of kilograms');
    const fraction = m[2] ?? '';
    if (fraction.replace(/0+$/, '').length > 3) throw new InvalidMass(field, value, 'more than 3 decimals');
    const integerPart = m[1].replace(/^0+(?=\d)/, '');
    if (integerPart.length > String(MAX_MASS_KG).length) throw new MassOutOfRange(field, value, MAX_MASS_KG);
    const grams = Number(integerPart) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
    return Mass.fromGrams(grams, field, options, value);
  }

  /** Validates integer grams: a safe integer, positive (or zero with `allowZero`), at most 10^12 g. */
  static fromGrams(
    grams: unknown,
    field = 'massGrams',
    options: MassOptions = {},
    original: number | string = grams as number,
  ): Mass {
    if (typeof grams !== 'number' || !Number.isFinite(grams))
      throw new InvalidMass(field, typeof grams === 'string' ? grams : null, 'a number is required');
    if (!Number.isInteger(grams)) throw new InvalidMass(field, grams, 'not a whole number of grams');
    if (grams < 0 || (grams === 0 && !options.allowZero)) throw new MassNotPositive(field, original);
    if (grams > MAX_MASS_GRAMS) throw new MassOutOfRange(field, original, MAX_MASS_KG);
    return grams === 0 ? Mass.ZERO : new Mass(grams);
  }

  /** Kilograms with at most 3 decimals (exact: grams / 1000 of a safe integer). */
  toKg(): number {
    return gramsToKg(this.grams);
  }

  plus(other: Mass): Mass {
    return new Mass(this.grams + other.grams);
  }

  equals(other: Mass): boolean {
    return this.grams === other.grams;
  }
}

/** Grams → kilograms with at most 3 decimals, e.g. 1234567 → 1234.567. */
export function gramsToKg(grams: number): number {
  const sign = grams < 0 ? '-' : '';
  const abs = Math.abs(grams);
  return Number(`${sign}${Math.trunc(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`);
}

/** Parses kilograms (API input) straight to grams. */
export function kgToGrams(value: number | string, field = 'massKg', options: MassOptions = {}): number {
  return Mass.fromKg(value, field, options).grams;
}
