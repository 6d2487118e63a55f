import type { Principal } from '@wasteflow/ledger';
import { assertCanRead, canRead, listScopeOf, manifestLinesInScope, narrowRegulatorScope } from './scope';

const regulator = (districts: string[], categories: string[]): Extract<Principal, { kind: 'regulator' }> => ({
  kind: 'regulator',
  tokenId: 'r',
  districts,
  categories,
});
const party: Principal = { kind: 'party', tokenId: 'p', partyUscc: 'A' };
const auditor: Principal = { kind: 'auditor', tokenId: 'a' };
const admin: Principal = { kind: 'admin', tokenId: 'x' };
const batch = { parties: ['A', 'B'], districts: ['330106'], categories: ['hazardous'] };

describe('read-side scoping', () => {
  it('lets auditors read everything, parties what names them, regulators their regions and categories', () => {
    expect(canRead(auditor, batch)).toBe(true);
    expect(canRead(party, batch)).toBe(true);
    expect(canRead({ ...party, partyUscc: 'C' }, batch)).toBe(false);
    expect(canRead(regulator(['33'], ['hazardous']), batch)).toBe(true);
    expect(canRead(regulator(['3301'], ['hazardous']), batch)).toBe(true);
    expect(canRead(regulator(['330106'], ['hazardous']), batch)).toBe(true);
    expect(canRead(regulator(['330108'], ['hazardous']), batch)).toBe(false);
    expect(canRead(regulator(['3301'], ['industrial']), batch)).toBe(false);
    expect(canRead(regulator(['3302', '330106'], ['industrial', 'hazardous']), batch)).toBe(true);
    expect(canRead(admin, batch)).toBe(false);
    expect(() => assertCanRead(regulator(['3302'], ['hazardous']), batch, 'batch X')).toThrow(
      /not in this regulator's regions and categories/,
    );
    expect(() => assertCanRead(admin, batch, 'batch X')).toThrow(/admin token may not read/);
  });

  it('narrows a regulator’s list to the asked region and category, refusing what lies outside', () => {
    const r = regulator(['3301', '3302'], ['hazardous', 'industrial']);
    expect(narrowRegulatorScope(r, {})).toEqual({
      regions: ['3301', '3302'],
      categories: ['hazardous', 'industrial'],
    });
    expect(narrowRegulatorScope(r, { region: '330106', category: 'industrial' })).toEqual({
      regions: ['330106'],
      categories: ['industrial'],
    });
    expect(narrowRegulatorScope(r, { region: '33' })).toEqual({
      regions: ['3301', '3302'],
      categories: ['hazardous', 'industrial'],
    });
    expect(() => narrowRegulatorScope(r, { region: '3303' })).toThrow(/region 3303/);
    expect(() => narrowRegulatorScope(r, { category: 'household' })).toThrow(/category household/);
    expect(listScopeOf(auditor)).toEqual({ kind: 'all' });
    expect(listScopeOf(party)).toEqual({ kind: 'party', partyUscc: 'A' });
    expect(() => listScopeOf(admin)).toThrow();
  });

  it('gives a regulator only the lines of its categories of a manifest recorded before one manifest carried one category', () => {
    const mixed = {
      manifestNo: 'M',
      lines: [
        { traceCode: 'H', category: 'hazardous', shippedKg: 1.5, discrepancy: true },
        { traceCode: 'I', category: 'industrial', shippedKg: 2.25 },
      ],
      categories: ['hazardous', 'industrial'],
      totalKg: 3.75,
      hazardous: true,
      discrepancy: true,
    };
    expect(manifestLinesInScope(regulator(['3301'], ['industrial']), mixed)).toEqual({
      manifestNo: 'M',
      lines: [{ traceCode: 'I', category: 'industrial', shippedKg: 2.25 }],
      categories: ['industrial'],
      totalKg: 2.25,
      hazardous: false,
      discrepancy: false,
    });
    expect(manifestLinesInScope(regulator(['3301'], ['industrial', 'hazardous']), mixed)).toBe(mixed);
    expect(manifestLinesInScope(party, mixed)).toBe(mixed);
    expect(manifestLinesInScope(auditor, mixed)).toBe(mixed);
  });

});
