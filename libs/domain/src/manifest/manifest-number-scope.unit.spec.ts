import { InvalidTimestamp, PartyNotFound } from '../errors';
import { GENERATOR, aRegisteredGenerator, partyOf } from '../testing';
import { initialPartyState } from '../party/party.state';
import { composeManifestNumber } from '../values/manifest-number';
import { manifestNumberScope } from './manifest-number-scope';

describe('manifestNumberScope (where a manifest number is allocated)', () => {
  it('given a registered shipper, then the CST year of the recording and the shipper city', () => {
    const shipper = partyOf(aRegisteredGenerator(GENERATOR, '330106'));
    expect(
      manifestNumberScope({ actorUscc: GENERATOR, recordedAt: '2025-03-03T01:00:00.000Z' }, shipper),
    ).toEqual({ year: 2025, districtCode: '330106', cityCode: '3301' });
    // 31 December 17:00 UTC is already 1 January in Hangzhou
    const scope = manifestNumberScope({ actorUscc: GENERATOR, recordedAt: '2025-12-31T17:00:00Z' }, shipper);
    expect(scope.year).toBe(2026);
    expect(composeManifestNumber(scope.year, scope.districtCode, 1)).toBe('20263301000001');
  });

  it('refuses an unregistered shipper (PartyNotFound) and a malformed time (InvalidTimestamp)', () => {
    expect(() =>
      manifestNumberScope({ actorUscc: GENERATOR, recordedAt: '2025-03-03T01:00:00Z' }, initialPartyState),
    ).toThrow(PartyNotFound);
    const shipper = partyOf(aRegisteredGenerator());
    expect(() => manifestNumberScope({ actorUscc: GENERATOR, recordedAt: 'yesterday' }, shipper)).toThrow(
      InvalidTimestamp,
    );
  });
});
