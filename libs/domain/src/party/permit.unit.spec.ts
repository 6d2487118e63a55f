import { NoPermit, PermitDoesNotCoverOperation, PermitDoesNotCoverWaste, PermitNotValid } from '../errors';
import { aRegisteredCollector, aRegisteredReceiver, partyOf, revokePermitCommand } from '../testing';
import { parseInstant } from '../values/time';
import type { RegisteredParty } from './party.state';
import { permitValidAt, permitWindow, requireCoveringPermit } from './permit';
import { decideRevokePermit } from './revoke-permit.decide';

const ms = (iso: string): number => parseInstant(iso, 't');
const receiver = partyOf(aRegisteredReceiver()) as RegisteredParty;
const collector = partyOf(aRegisteredCollector()) as RegisteredParty;

describe('permits', () => {
  it('are valid from 00:00 CST of validFrom to the end of validTo, inclusive', () => {
    const w = permitWindow({ validFrom: '2025-01-01', validTo: '2025-12-31' });
    expect(w.fromMs).toBe(ms('2025-01-01T00:00:00+08:00'));
    expect(w.toMs).toBe(ms('2026-01-01T00:00:00+08:00'));
    const p = receiver.permits[0];
    expect(permitValidAt(p, ms('2024-12-31T23:59:59+08:00'))).toBe(false);
    expect(permitValidAt(p, ms('2025-01-01T00:00:00+08:00'))).toBe(true);
    expect(permitValidAt(p, ms('2027-12-31T23:59:59+08:00'))).toBe(true);
    expect(permitValidAt(p, ms('2028-01-01T00:00:00+08:00'))).toBe(false);
  });

  it('accept instants as bounds', () => {
    const w = permitWindow({ validFrom: '2025-01-01T12:00:00+08:00', validTo: '2025-01-02T12:00:00+08:00' });
    expect(w.toMs - w.fromMs).toBe(86_400_001);
  });

  it('cover a code listed or its HW category, for the operation asked', () => {
    expect(
      requireCoveringPermit(receiver, '900-249-08', ms('2025-06-01T00:00:00+08:00'), 'D10').permitNo,
    ).toBe('3301000001');
    expect(
      requireCoveringPermit(receiver, '841-001-01', ms('2025-06-01T00:00:00+08:00'), 'receive').permitNo,
    ).toBe('3301000001');
  });

  it('refuse when none is held (NoPermit)', () => {
    expect(() =>
      requireCoveringPermit(
        partyOf(aRegisteredReceiver({ permit: false })) as RegisteredParty,
        '900-249-08',
        ms('2025-06-01T00:00:00+08:00'),
        'receive',
      ),
    ).toThrow(NoPermit);
  });

  it('refuse a code not covered (PermitDoesNotCoverWaste)', () => {
    expect(() =>
      requireCoveringPermit(receiver, '841-002-01', ms('2025-06-01T00:00:00+08:00'), 'receive'),
    ).toThrow(PermitDoesNotCoverWaste);
  });

  it('refuse an operation not covered: a collector may collect and store, not treat (PermitDoesNotCoverOperation)', () => {
    expect(
      requireCoveringPermit(collector, '900-249-08', ms('2025-06-01T00:00:00+08:00'), 'receive').permitNo,
    ).toBe('3301100002');
    expect(() =>
      requireCoveringPermit(collector, '900-249-08', ms('2025-06-01T00:00:00+08:00'), 'R9'),
    ).toThrow(PermitDoesNotCoverOperation);
    expect(() =>
      requireCoveringPermit(receiver, '900-249-08', ms('2025-06-01T00:00:00+08:00'), 'D1'),
    ).toThrow(PermitDoesNotCoverOperation);
  });

  it('refuse outside validity and after revocation (PermitNotValid), but not before the revocation', () => {
    expect(() =>
      requireCoveringPermit(receiver, '900-249-08', ms('2028-01-01T00:00:00+08:00'), 'D10'),
    ).toThrow(PermitNotValid);
    const revoked = [
      ...aRegisteredReceiver(),
      ...decideRevokePermit(
        revokePermitCommand({ occurredAt: '2025-06-01T00:00:00+08:00', recordedAt: '2025-06-01T00:00:00Z' }),
        receiver,
      ),
    ];
    const r = partyOf(revoked) as RegisteredParty;
    expect(() => requireCoveringPermit(r, '900-249-08', ms('2025-06-01T00:00:00+08:00'), 'D10')).toThrow(
      PermitNotValid,
    );
    expect(requireCoveringPermit(r, '900-249-08', ms('2025-05-31T23:59:59+08:00'), 'D10').permitNo).toBe(
      '3301000001',
    );
  });
});
