import { createHash } from 'node:crypto';
import { encodeCrockford, parseRandomPart, TRACE_RANDOM_LENGTH } from '@wasteflow/domain';
import { commandEntropy, freshEntropy, randomPartFrom, traceCodeKey } from './derived-ids';

describe('the random part of a trace code (issue 10 row 11)', () => {
  it('comes from 256 bits of fresh CSPRNG entropy per command', () => {
    const draws = Array.from({ length: 1000 }, () => freshEntropy());
    for (const e of draws) expect(e).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(draws).size).toBe(draws.length);
  });

  it('is the same for every retry of one command (same entropy and purpose), another for another purpose', () => {
    const entropy = freshEntropy();
    const part = randomPartFrom(entropy, 'generate-waste');
    expect(parseRandomPart(part)).toBe(part);
    expect(part).toHaveLength(TRACE_RANDOM_LENGTH);
    expect(randomPartFrom(entropy, 'generate-waste')).toBe(part);
    expect(randomPartFrom(entropy, 'consolidate-batches')).not.toBe(part);
  });

  it('cannot be recomputed from what a client knows: the old SHA-256(actor, key, purpose) no longer gives it', () => {
    const actor = 'party:91330106MA2GEN0019';
    const key = 'readme-batch-1';
    const old = createHash('sha256').update(`${actor}\n${key}\ngenerate-waste`).digest('hex');
    const predicted = encodeCrockford(Number.parseInt(old.slice(0, 10), 16), TRACE_RANDOM_LENGTH);
    const parts = Array.from({ length: 50 }, () => randomPartFrom(freshEntropy(), 'generate-waste'));
    expect(parts).not.toContain(predicted);
    // and 50 commands of the same actor, key and purpose give 50 codes
    expect(new Set(parts).size).toBe(50);
  });

  it('at the edge: keyed with the ledger secret — one request, one code; another ledger, another code', () => {
    const principal = { kind: 'party', tokenId: 't', partyUscc: '91330106MA2GEN0019' } as const;
    const ours = traceCodeKey('bootstrap-secret-of-this-ledger-0123456789');
    const theirs = traceCodeKey('bootstrap-secret-of-that-ledger-0123456789');
    expect(commandEntropy(ours, principal, 'k1')).toBe(commandEntropy(ours, principal, 'k1'));
    expect(commandEntropy(ours, principal, 'k1')).not.toBe(commandEntropy(ours, principal, 'k2'));
    expect(commandEntropy(ours, principal, 'k1')).not.toBe(commandEntropy(theirs, principal, 'k1'));
    expect(commandEntropy(ours, principal, 'k1')).toMatch(/^[0-9a-f]{64}$/);
  });
});
