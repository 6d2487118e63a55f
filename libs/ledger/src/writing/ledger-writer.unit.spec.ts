import { v5 } from 'uuid';
import { derivedEventId, eventId, idempotencyScope, uuidv5, WASTEFLOW_ID_NAMESPACE } from './ledger-writer';

describe('ids of the ledger writer', () => {
  it('uuidv5 is RFC 9562 version 5, equal to the uuid package', () => {
    for (const name of ['', 'a', 'party:91330106MA27Y5XK06\nk\nbatch-X\n0', '汉字 🚛', 'x'.repeat(500)]) {
      expect(uuidv5(name)).toBe(v5(name, WASTEFLOW_ID_NAMESPACE));
      expect(uuidv5(name, '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(v5(name, v5.DNS));
    }
  });

  it('event ids derive from (actor, key, stream, index); derived ids from (cause, stream, index)', () => {
    const principal = { kind: 'party' as const, tokenId: 't1', partyUscc: '91330106MA27Y5XK06' };
    const other = { ...principal, tokenId: 't2' };
    // the actor is the party, not the token: two tokens of one party share the key space
    expect(eventId({ principal, idempotencyKey: 'k' }, 'batch-X', 0)).toBe(
      eventId({ principal: other, idempotencyKey: 'k' }, 'batch-X', 0),
    );
    expect(eventId({ principal, idempotencyKey: 'k' }, 'batch-X', 0)).not.toBe(
      eventId({ principal, idempotencyKey: 'k' }, 'batch-X', 1),
    );
    expect(derivedEventId('cause', 'batch-X', 0)).toBe(v5('cause\nbatch-X\n0', WASTEFLOW_ID_NAMESPACE));
    // so is the scope of the key's idempotency record
    expect(idempotencyScope(principal)).toBe('party:91330106MA27Y5XK06');
    expect(idempotencyScope(principal)).toBe(idempotencyScope(other));
    expect(idempotencyScope({ kind: 'admin', tokenId: 'a1' })).not.toBe(
      idempotencyScope({ kind: 'admin', tokenId: 'a2' }),
    );
  });
});
