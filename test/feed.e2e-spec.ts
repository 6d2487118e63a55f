import { isDomainEventType, parseStream, regionMatches } from '@wasteflow/domain';
import type { RecordedEvent } from '@wasteflow/event-store';
import {
  AT,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  HW08_CODE,
  Keys,
  PARTIES,
  send,
  type PrincipalName,
} from './support/fixtures';
import { driveHistory, type History } from './support/read-side-history';
import { seededApp } from './support/seeded-app';

const SUITE = 'feed (GET /v1/feed)';

interface FeedEventBody {
  id: string;
  position: string;
  stream: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'feed');
  let h: History;
  let domainEvents: RecordedEvent[];

  const token = (name: PrincipalName) => app.world.tokens[name] as string;
  const get = (path: string, name: PrincipalName) =>
    app.t.http.get(path).set('Authorization', `Bearer ${token(name)}`);

  /** Pages the whole feed with `limit` until its cursor reaches `until`; every page must be 200. */
  async function readFeed(
    name: PrincipalName,
    limit: number,
    until: bigint,
    extra = '',
  ): Promise<FeedEventBody[]> {
    const events: FeedEventBody[] = [];
    let after = '0';
    for (let calls = 0; BigInt(after) < until; calls++) {
      if (calls > 500) throw new Error('the feed did not reach the history');
      const response = await get(`/v1/feed?after=${after}&limit=${limit}&wait=2${extra}`, name);
      expect(response.status).toBe(200);
      expect(response.body.events.length).toBeLessThanOrEqual(limit);
      expect(BigInt(response.body.next)).toBeGreaterThanOrEqual(BigInt(after));
      events.push(...response.body.events);
      after = response.body.next;
    }
    return events;
  }

  beforeAll(async () => {
    h = await driveHistory(app.t, app.world, new Keys(`feed-history-${kind}`));
    domainEvents = (await app.t.store.readAll()).filter((e) => isDomainEventType(e.type));
  });

  it('an auditor paged three at a time gets every domain event exactly once, in global order', async () => {
    const events = await readFeed('auditor', 3, BigInt(h.position));
    expect(events.map((e) => e.id)).toEqual(domainEvents.map((e) => e.id));
    expect(events.map((e) => e.position)).toEqual(domainEvents.map((e) => e.position.toString()));
    const first = events[0];
    expect(first).toMatchObject({ stream: `party-${PARTIES.generator.uscc}`, type: 'PartyRegistered' });
    expect(first.occurredAt).toBe(AT.registered);
    expect(Date.parse(first.recordedAt)).not.toBeNaN();
    // no token, counter or bookkeeping stream: only the domain's events
    expect(events.every((e) => parseStream(e.stream) !== undefined)).toBe(true);
  });

  it.each<PrincipalName>([
    'generator',
    'otherGenerator',
    'carrier',
    'receiver',
    'otherReceiver',
    'regulator',
    'outsideRegulator',
  ])("%s's feed is exactly the events of the streams its reads may open", async (name) => {
    const events = await readFeed(name, 7, BigInt(h.position));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // Expected, independently of the feed: ask the read routes which batches and manifests this token
    // may read; a party stream is the party's own, or a regulator's district.
    const readable = new Map<string, boolean>();
    for (const stream of new Set(domainEvents.map((e) => e.stream))) {
      const parsed = parseStream(stream);
      if (parsed?.kind === 'batch' || parsed?.kind === 'manifest') {
        const path = parsed.kind === 'batch' ? `/v1/batches/${parsed.id}` : `/v1/manifests/${parsed.id}`;
        const status = (await get(path, name)).status;
        expect([200, 403]).toContain(status);
        readable.set(stream, status === 200);
      } else if (parsed?.kind === 'party') {
        const party = Object.values(PARTIES).find((p) => p.uscc === parsed.id);
        const regions = name === 'regulator' ? ['3301'] : name === 'outsideRegulator' ? ['3302'] : [];
        readable.set(
          stream,
          name.endsWith('egulator')
            ? regions.some((r) => regionMatches(r, party?.districtCode ?? ''))
            : PARTIES[name as keyof typeof PARTIES].uscc === parsed.id,
        );
      }
    }
    const expected = domainEvents.filter((e) => readable.get(e.stream) === true);
    expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    if (name === 'generator' || name === 'regulator') expect(events.length).toBeGreaterThan(10);
    if (name === 'outsideRegulator') expect(events).toEqual([]);
  });

  it("a party's feed never carries another generator's batch it is not on", async () => {
    const events = await readFeed('otherGenerator', 50, BigInt(h.position));
    expect(events.some((e) => e.stream === `batch-${h.e}`)).toBe(true);
    for (const code of [h.a, h.a1, h.b, h.c, h.x, h.d]) {
      expect(events.some((e) => e.stream === `batch-${code}`)).toBe(false);
    }
    expect(events.some((e) => e.stream.startsWith('manifest-'))).toBe(false);
  });

  it('types filters the feed and the cursor still moves past what it leaves out', async () => {
    const events = await readFeed(
      'auditor',
      4,
      BigInt(h.position),
      '&types=ManifestIssued,ManifestCancelled',
    );
    expect(events.map((e) => e.type).sort()).toEqual(
      domainEvents
        .filter((e) => e.type === 'ManifestIssued' || e.type === 'ManifestCancelled')
        .map((e) => e.type)
        .sort(),
    );
    expect(events.filter((e) => e.type === 'ManifestCancelled').map((e) => e.data.manifestNo)).toEqual([
      h.m2,
    ]);
  });

  it('resuming from any cursor gives exactly the events after it', async () => {
    const middle = domainEvents[Math.floor(domainEvents.length / 2)].position;
    const response = await get(`/v1/feed?after=${middle}&limit=500`, 'auditor');
    expect(response.status).toBe(200);
    expect(response.body.events.map((e: FeedEventBody) => e.id)).toEqual(
      domainEvents.filter((e) => e.position > middle).map((e) => e.id),
    );
  });

  it('a long poll is answered by the next event the caller may read', async () => {
    const head = (await app.t.headPosition()).toString();
    const caughtUp = await get(`/v1/feed?after=0&limit=500&wait=5`, 'generator');
    expect(caughtUp.status).toBe(200);
    const polling = get(`/v1/feed?after=${head}&wait=15`, 'generator').then((r) => r);
    const written = await expect201(
      send(
        app.t,
        '/v1/batches',
        token('generator'),
        { category: 'hazardous', wasteCode: HW08_CODE, massKg: 2, occurredAt: AT.generated },
        `feed-poll-${kind}`,
      ),
    );
    const answer = await polling;
    expect(answer.status).toBe(200);
    expect(answer.body.events).toHaveLength(1);
    expect(answer.body.events[0]).toMatchObject({
      type: 'WasteGenerated',
      stream: `batch-${written.body.traceCode}`,
      position: written.body.position,
    });
    expect(answer.body.next).toBe(written.body.position);
  });

  it('an empty wait answers an empty page with the cursor where it was', async () => {
    const head = (await app.t.headPosition()).toString();
    await readFeed('outsideRegulator', 500, BigInt(head));
    const response = await get(`/v1/feed?after=${head}&wait=1`, 'outsideRegulator');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ events: [], next: head });
  });

  it.each([
    ['after=abc', 'after', 'isPosition'],
    ['after=-1', 'after', 'isPosition'],
    ['limit=0', 'limit', 'isInt'],
    ['limit=501', 'limit', 'isInt'],
    ['wait=21', 'wait', 'isInt'],
    ['types=WasteGenerated,TokenIssued', 'types', 'isEventType'],
  ])('?%s is 400 naming %s and appends nothing', async (query, field, rule) => {
    const before = await app.t.headPosition();
    const response = await get(`/v1/feed?${query}`, 'auditor');
    const body = expectProblem(response, 400, { fields: [field] });
    expect((body.errors as { rule: string }[])[0].rule).toBe(rule);
    await expectHeadUnchanged(app.t, before);
  });

  it('an admin token is 403, no token 401', async () => {
    expectProblem(await get('/v1/feed', 'admin'), 403);
    expect((await app.t.http.get('/v1/feed')).status).toBe(401);
  });
});
