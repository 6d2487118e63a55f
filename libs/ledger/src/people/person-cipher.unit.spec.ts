import { InMemoryEventStore } from '@wasteflow/event-store/testing/in-memory-event-store';
import { newPersonKey, openPerson, personIdFrom, PersonRecordUnreadable, sealPerson } from './person-cipher';
import { ERASED, PeopleRecords, printedContact, printedName, printedPhone } from './people-records';

const ID = `p-${'1'.repeat(32)}`;
const OTHER = `p-${'2'.repeat(32)}`;
const DRIVER = { name: '张三', phone: '13800138000' };

describe('the person record cipher (AES-256-GCM, a key per person)', () => {
  it('round trip: what is sealed with a key opens with it, and the sealed bytes do not hold the name', () => {
    const key = newPersonKey();
    const sealed = sealPerson(ID, DRIVER, key);
    expect(openPerson(ID, sealed, key)).toEqual(DRIVER);
    expect(sealed.includes(Buffer.from('张三', 'utf8'))).toBe(false);
    expect(sealed.includes(Buffer.from('13800138000', 'utf8'))).toBe(false);
    // a fresh nonce each time: the same person sealed twice gives other bytes
    expect(sealPerson(ID, DRIVER, key).equals(sealed)).toBe(false);
  });

  it('a wrong key does not open it (PersonRecordUnreadable), nor a changed byte, nor the record moved onto another id', () => {
    const key = newPersonKey();
    const sealed = sealPerson(ID, DRIVER, key);
    expect(() => openPerson(ID, sealed, newPersonKey())).toThrow(PersonRecordUnreadable);
    const changed = Buffer.from(sealed);
    changed[changed.length - 1] ^= 1;
    expect(() => openPerson(ID, changed, key)).toThrow(PersonRecordUnreadable);
    expect(() => openPerson(OTHER, sealed, key)).toThrow(PersonRecordUnreadable);
    expect(() => openPerson(ID, sealed.subarray(0, 10), key)).toThrow(PersonRecordUnreadable);
  });

  it('person ids: p- and 128 bits from the command’s entropy and the role, the same on every retry', () => {
    const entropy = 'ab'.repeat(32);
    expect(personIdFrom(entropy, 'driver')).toMatch(/^p-[0-9a-f]{32}$/);
    expect(personIdFrom(entropy, 'driver')).toBe(personIdFrom(entropy, 'driver'));
    expect(personIdFrom(entropy, 'driver')).not.toBe(personIdFrom(entropy, 'escort'));
    expect(personIdFrom('cd'.repeat(32), 'driver')).not.toBe(personIdFrom(entropy, 'driver'));
  });
});

describe('PeopleRecords over the store’s personal data records', () => {
  it('recorded → resolved with name and phone; erased → gone (key and cipher text), printed 已删除, never back', async () => {
    const store = new InMemoryEventStore();
    const people = new PeopleRecords(store);
    expect(await people.record([{ personId: ID, ...DRIVER }])).toEqual([ID]);
    expect((await people.resolve([ID])).get(ID)).toEqual({ personId: ID, status: 'present', ...DRIVER });

    expect(await people.erase(ID, 'admin:t1', new Date('2026-03-03T00:00:00Z'))).toBe('erased');
    const stored = (await store.personalData.read([ID])).get(ID);
    expect(stored).toEqual({
      personId: ID,
      status: 'erased',
      erasedAt: new Date('2026-03-03T00:00:00Z'),
      erasedBy: 'admin:t1',
    });
    expect(JSON.stringify(stored)).not.toContain('key');
    const view = (await people.resolve([ID])).get(ID);
    expect(view).toEqual({ personId: ID, status: 'erased', erasedAt: '2026-03-03T00:00:00.000Z' });
    expect([printedName(view), printedPhone(view), printedContact(view)]).toEqual([ERASED, ERASED, ERASED]);

    // a retried command names the same id again: it is not brought back, nor discarded away
    expect(await people.record([{ personId: ID, ...DRIVER }])).toEqual([]);
    await people.discard([ID]);
    expect((await people.resolve([ID])).get(ID)?.status).toBe('erased');
    expect(await people.erase(ID, 'admin:t1', new Date())).toBe('already_erased');
    expect(await people.erase(OTHER, 'admin:t1', new Date())).toBe('not_found');
  });

  it('an unknown id resolves as unknown and prints nothing; a discarded (never committed) record is gone without a trace', async () => {
    const store = new InMemoryEventStore();
    const people = new PeopleRecords(store);
    await people.record([{ personId: OTHER, name: '李四' }]);
    await people.discard([OTHER]);
    const views = await people.resolve([ID, OTHER]);
    expect(views.get(ID)).toEqual({ personId: ID, status: 'unknown' });
    expect(views.get(OTHER)).toEqual({ personId: OTHER, status: 'unknown' });
    expect(printedName(views.get(ID))).toBeUndefined();
  });
});
