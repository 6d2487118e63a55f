import { TokenService } from '@wasteflow/ledger';
import { useSqliteCli } from '../testing/sqlite-cli';

describe('wasteflow tokens issue (in-process, SQLite)', () => {
  const { run, withStore } = useSqliteCli('wasteflow-cli-');

  it('issues an admin, an auditor and a regulator token, printed once and usable at once', async () => {
    const admin = await run('tokens', 'issue', '--kind', 'admin', '--label', 'ops on-call');
    expect(admin).toMatchObject({
      code: 0,
      out: [expect.stringMatching(/^wf_[a-z0-9]{20}_[A-Za-z0-9_-]{43}$/)],
    });
    expect(admin.err).toMatch(/^issued admin token [a-z0-9]{20} \(stream token-[a-z0-9]{20}, position \d+\)/);
    const regulator = await run(
      'tokens',
      'issue',
      '--kind',
      'regulator',
      '--districts',
      '3301, 330106',
      '--categories',
      'hazardous',
    );
    expect(regulator.code).toBe(0);
    const auditor = await run('tokens', 'issue', '--kind', 'auditor');
    expect(auditor.code).toBe(0);

    await withStore(async (store) => {
      const tokens = new TokenService(store);
      expect(await tokens.authenticate(admin.out[0])).toMatchObject({ kind: 'admin' });
      expect(await tokens.authenticate(regulator.out[0])).toMatchObject({
        kind: 'regulator',
        districts: ['3301', '330106'],
        categories: ['hazardous'],
      });
      expect(await tokens.authenticate(auditor.out[0])).toMatchObject({ kind: 'auditor' });
      const log = JSON.stringify(
        (await store.readAll({ filter: { streamPrefixes: ['$', ''] } })).map((e) => [e.data, e.metadata]),
      );
      for (const token of [admin, regulator, auditor].map((r) => r.out[0])) {
        expect(log).not.toContain(token.slice(24));
      }
      const [issued] = await store.readStream(`token-${admin.out[0].slice(3, 23)}`);
      expect(issued.metadata).toMatchObject({ actor: 'admin:cli', tokenId: 'cli' });
    });
  });

  it('refuses what the handler refuses (unknown party: 1) and bad usage (2), printing no token', async () => {
    const unknownParty = await run('tokens', 'issue', '--kind', 'party', '--party', '91330106MA27Y5XK06');
    expect(unknownParty).toMatchObject({ code: 1, out: [] });
    expect(unknownParty.err).toContain('refused (party-not-found)');
    const noDistricts = await run('tokens', 'issue', '--kind', 'regulator', '--categories', 'hazardous');
    expect(noDistricts).toMatchObject({ code: 1, out: [] });
    expect(noDistricts.err).toContain('districts');
    expect((await run('tokens', 'issue')).code).toBe(2);
    expect((await run('tokens', 'issue', '--kind', 'root')).code).toBe(2);
  });

  it('is safe to retry with --idempotency-key: the second run issues nothing and shows no secret', async () => {
    const first = await run('tokens', 'issue', '--kind', 'auditor', '--idempotency-key', 'audit-2026');
    const second = await run('tokens', 'issue', '--kind', 'auditor', '--idempotency-key', 'audit-2026');
    expect(first.code).toBe(0);
    expect(second).toMatchObject({ code: 0, out: [] });
    expect(second.err).toContain('already issued');
  });

  it('revokes a token by its id (tokens revoke): TokenRevoked, and the token authenticates nobody', async () => {
    const auditor = await run('tokens', 'issue', '--kind', 'auditor');
    const tokenId = /^wf_([a-z0-9]{20})_/.exec(auditor.out[0])?.[1] as string;
    const revoked = await run('tokens', 'revoke', tokenId, '--reason', 'left the audit office');
    expect(revoked.code).toBe(0);
    expect(revoked.err).toMatch(new RegExp(`^revoked token ${tokenId} at `));
    const again = await run('tokens', 'revoke', tokenId, '--reason', 'twice');
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/already revoked/);
    await withStore(async (store) => {
      expect(await new TokenService(store).authenticate(auditor.out[0])).toBeUndefined();
      expect((await store.readStream(`token-${tokenId}`)).map((e) => e.type)).toEqual([
        'TokenIssued',
        'TokenRevoked',
      ]);
    });
  });
});
