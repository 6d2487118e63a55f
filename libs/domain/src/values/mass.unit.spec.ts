import { InvalidMass, MassNotPositive, MassOutOfRange } from '../errors';
import { MAX_MASS_GRAMS, Mass, gramsToKg, kgToGrams } from './mass';

describe('Mass', () => {
  describe('given kilograms from the API', () => {
    it.each([
      [1, 1000],
      [0.001, 1],
      [1234.567, 1234567],
      ['1234.567', 1234567],
      ['0.5', 500],
      ['10.100', 10100],
      [1_000_000_000, 1_000_000_000_000],
    ])('when %p kg is parsed then it is %p g', (kg, grams) => {
      expect(Mass.fromKg(kg).grams).toBe(grams);
    });

    it('refuses more than 3 decimals (InvalidMass) and names the field', () => {
      expect(() => Mass.fromKg(1.0001, 'lines[0].massKg')).toThrow(InvalidMass);
      expect(() => Mass.fromKg('1.2345')).toThrow(InvalidMass);
      expect(() => Mass.fromKg(0.1 + 0.2)).toThrow(InvalidMass);
      expect(() => Mass.fromKg(1e-7)).toThrow(InvalidMass);
      try {
        Mass.fromKg(1.0001, 'lines[0].massKg');
      } catch (e) {
        expect((e as InvalidMass).details.field).toBe('lines[0].massKg');
        expect((e as InvalidMass).kind).toBe('invalid');
      }
    });

    it('refuses non-finite and non-numeric values (InvalidMass)', () => {
      expect(() => Mass.fromKg(Number.NaN)).toThrow(InvalidMass);
      expect(() => Mass.fromKg(Number.POSITIVE_INFINITY)).toThrow(InvalidMass);
      expect(() => Mass.fromKg('12kg')).toThrow(InvalidMass);
      expect(() => Mass.fromKg('')).toThrow(InvalidMass);
      expect(() => Mass.fromKg(null as unknown as number)).toThrow(InvalidMass);
    });

    it('refuses zero and negative masses (MassNotPositive) unless zero is allowed', () => {
      expect(() => Mass.fromKg(0)).toThrow(MassNotPositive);
      expect(() => Mass.fromKg(-1)).toThrow(MassNotPositive);
      expect(() => Mass.fromKg('-0.5')).toThrow(MassNotPositive);
      expect(Mass.fromKg(0, 'receivedKg', { allowZero: true }).grams).toBe(0);
    });

    it('refuses more than 10^9 kg (MassOutOfRange)', () => {
      expect(() => Mass.fromKg(1_000_000_000.001)).toThrow(MassOutOfRange);
      expect(() => Mass.fromKg('99999999999')).toThrow(MassOutOfRange);
      expect(() => Mass.fromKg(1e21)).toThrow(MassOutOfRange);
    });
  });

  describe('given grams', () => {
    it('accepts safe positive integers up to the bound', () => {
      expect(Mass.fromGrams(1).grams).toBe(1);
      expect(Mass.fromGrams(MAX_MASS_GRAMS).grams).toBe(MAX_MASS_GRAMS);
    });
    it('refuses fractions, zero, negatives and values over the bound', () => {
      expect(() => Mass.fromGrams(1.5)).toThrow(InvalidMass);
      expect(() => Mass.fromGrams('1' as unknown as number)).toThrow(InvalidMass);
      expect(() => Mass.fromGrams(0)).toThrow(MassNotPositive);
      expect(() => Mass.fromGrams(-3)).toThrow(MassNotPositive);
      expect(() => Mass.fromGrams(MAX_MASS_GRAMS + 1)).toThrow(MassOutOfRange);
    });
  });

  it('prints kilograms with at most 3 decimals, exactly', () => {
    expect(Mass.fromGrams(1234567).toKg()).toBe(1234.567);
    expect(Mass.fromGrams(1).toKg()).toBe(0.001);
    expect(Mass.fromGrams(1000).toKg()).toBe(1);
    expect(gramsToKg(-1500)).toBe(-1.5);
    expect(kgToGrams('2.5')).toBe(2500);
    for (let g = 1; g < 3000; g += 7) expect(Mass.fromKg(gramsToKg(g)).grams).toBe(g);
  });

  it('adds and compares', () => {
    expect(Mass.fromGrams(2).plus(Mass.fromGrams(3)).equals(Mass.fromGrams(5))).toBe(true);
  });
});
