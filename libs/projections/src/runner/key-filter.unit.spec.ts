import { KeyFilter } from './key-filter';

describe('KeyFilter', () => {
  it('holds every key added, across the filters it grows', () => {
    const filter = new KeyFilter(64);
    expect(filter.mightHold('a')).toBe(false);
    const keys = Array.from({ length: 5000 }, (_, i) => `33010${i % 10}G2501${String(i).padStart(8, '0')}`);
    for (const key of keys) filter.add(key);
    for (const key of keys) expect(filter.mightHold(key)).toBe(true);
    // 64, 128, … 4096 keys: seven filters, about 10 bits a key
    expect(filter.bytes).toBeLessThan(keys.length * 4);
  });

  it('rarely says "maybe" of a key never added', () => {
    const filter = new KeyFilter(1000);
    for (let i = 0; i < 20_000; i += 1) filter.add(`batch-${i}`);
    let maybe = 0;
    for (let i = 0; i < 20_000; i += 1) if (filter.mightHold(`other-${i}`)) maybe += 1;
    expect(maybe / 20_000).toBeLessThan(0.03);
  });
});
