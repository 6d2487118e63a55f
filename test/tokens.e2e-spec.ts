import { ManualClock } from '@wasteflow/event-store';
import { describeEachStore, expectProblem, Keys, PARTIES, send, streamEvents } from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * Issue 10 row 6 over HTTP: every token has an expiry (default one year; at most one year) and can be
 * revoked by route (an admin any token, a party its own); a revoked or expired token authenticates nobody;
 * to a party, another party's token and an unknown id are one answer. (The bootstrap token's length, the
 * per-token rate limit and the negative cache of unknown ids: test/edge-http.e2e-spec.ts.)
 */

const SUITE = 'tokens';
const ISSUED_AT = '2026-03-02T02:00:00Z';
const HOUR = 3_600_000;

describeEachStore(SUITE, `${SUITE}: expiry and revocation (%s)`, (kind) => {
  const clock = new ManualClock(new Date(ISSUED_AT));
  const app = seededApp(kind, SUITE, __filename, 'tokens', { clock });
  const keys = new Keys(`tokens-${kind}`);

  afterEach(() => clock.set(ISSUED_AT));

  const issue = (body: Record<string, unknown>) =>
    send(app.t, '/v1/tokens', app.t.adminToken, body, keys.next('issue'));
  const partyToken = (uscc: string, extra: Record<string, unknown> = {}) =>
    issue({ kind: 'party', partyUscc: uscc, ...extra });
  const whoami = (token: string) => app.t.http.get('/v1/whoami').set('Authorization', `Bearer ${token}`);
  const revoke = (tokenId: string, by: string | undefined, reason = '密钥泄露') =>
    send(app.t, `/v1/tokens/${tokenId}/revoke`, by, { reason }, keys.next('revoke'));

  it('every token states its expiry: one year after issue by default, stored in TokenIssued schema 2', async () => {
    const issued = await partyToken(PARTIES.generator.uscc);
    expect(issued.status).toBe(201);
    expect(issued.body.expiresAt).toBe('2027-03-02T02:00:00.000Z');
    const [event] = await streamEvents(app.t, `token-${issued.body.tokenId}`);
    expect(event).toMatchObject({ type: 'TokenIssued', schemaVersion: 2 });
    expect(event.data.expiresAt).toBe('2027-03-02T02:00:00.000Z');
  });

  it('refuses an expiry in the past or more than a year ahead (400 naming expiresAt)', async () => {
    for (const expiresAt of ['2026-03-01T00:00:00+08:00', '2027-03-03T00:00:00Z', 'tomorrow']) {
      const refused = await partyToken(PARTIES.generator.uscc, { expiresAt });
      expectProblem(refused, 400, { fields: ['expiresAt'] });
    }
  });

  it('an expired token authenticates nobody (401)', async () => {
    const issued = await partyToken(PARTIES.generator.uscc, { expiresAt: '2026-03-02T03:00:00Z' });
    expect(issued.status).toBe(201);
    expect((await whoami(issued.body.token)).status).toBe(200);
    clock.advance(2 * HOUR);
    expectProblem(await whoami(issued.body.token), 401, { rule: 'unauthenticated' });
  });

  it('an admin revokes any token: TokenRevoked, then 401 at once; a second revocation is 409', async () => {
    const issued = await partyToken(PARTIES.generator.uscc);
    expect((await whoami(issued.body.token)).status).toBe(200);
    const revoked = await revoke(issued.body.tokenId, app.t.adminToken);
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({ tokenId: issued.body.tokenId, revokedAt: expect.any(String) });
    expectProblem(await whoami(issued.body.token), 401, { rule: 'unauthenticated' });
    const events = await streamEvents(app.t, `token-${issued.body.tokenId}`);
    expect(events.map((e) => e.type)).toEqual(['TokenIssued', 'TokenRevoked']);
    expect(events[1].data).toMatchObject({ reason: '密钥泄露', revokedBy: expect.stringMatching(/^admin:/) });
    expectProblem(await revoke(issued.body.tokenId, app.t.adminToken), 409, {
      rule: 'token-already-revoked',
    });
  });

  it('a party revokes its own tokens; another party’s token and an unknown id are the same 404', async () => {
    const spare = await partyToken(PARTIES.generator.uscc);
    const theirs = await partyToken(PARTIES.otherGenerator.uscc);
    const own = await revoke(spare.body.tokenId, app.world.tokens.generator);
    expect(own.status).toBe(201);
    expectProblem(await whoami(spare.body.token), 401, { rule: 'unauthenticated' });
    const other = await revoke(theirs.body.tokenId, app.world.tokens.generator);
    const unknown = await revoke('a'.repeat(20), app.world.tokens.generator);
    const strip = (body: Record<string, unknown>, id: string) =>
      JSON.parse(JSON.stringify(body).split(id).join('<id>')) as unknown;
    expectProblem(other, 404, { rule: 'token-not-found' });
    expect(strip(unknown.body, 'a'.repeat(20))).toEqual(strip(other.body, theirs.body.tokenId));
    expect((await whoami(theirs.body.token)).status).toBe(200);
  });

  it('nobody else revokes (an auditor or a regulator: 403), and a reason is text (400 invalid-text)', async () => {
    const issued = await partyToken(PARTIES.generator.uscc);
    expectProblem(await revoke(issued.body.tokenId, app.world.tokens.auditor), 403, { rule: 'forbidden' });
    expectProblem(await revoke(issued.body.tokenId, app.world.tokens.regulator), 403, { rule: 'forbidden' });
    const bad = await revoke(issued.body.tokenId, app.t.adminToken, 'a\u0000b');
    expectProblem(bad, 400, { fields: ['reason'] });
    expect((await whoami(issued.body.token)).status).toBe(200);
  });
});
