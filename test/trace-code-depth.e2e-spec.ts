import {
  batchStream,
  decideSplitBatch,
  legacyChildTraceCode,
  ROOT_TRACE_CODE_LENGTH,
  type BatchStreamEvents,
} from '@wasteflow/domain';
import { batchModel, UseCaseRunner, type UseCase } from '@wasteflow/ledger';
import type { JsonObject } from '@wasteflow/event-store';
import { AT, Keys, send, splitBody, treatmentBody } from './support/fixtures';
import { seededApp } from './support/seeded-app';

const SUITE = 'trace codes of bounded length at any depth of splits (issue 10 row 7)';

/**
 * Issue 10 row 7 over HTTP: 40 generations of splits gave a 102-character code (the parent's body + 2
 * characters a generation) that the trace, the public page, the QR label and the audit answered 414 to
 * (Fastify's path parameters stopped at 100 characters) while bulk still took it. Now a child keeps its
 * parent's prefix with a random part of its own: 22 characters at any depth. And the long codes issued
 * before stay stored as they are: every route reads them.
 */
describe(`${SUITE} (sqlite)`, () => {
  const app = seededApp('sqlite', SUITE, __filename, 'depth', {
    env: { WASTEFLOW_PUBLIC_URL: 'https://wasteflow.example.cn/' },
  });
  const keys = new Keys('depth');

  const token = (name: 'receiver' | 'auditor') => app.world.tokens[name] as string;
  const get = (path: string, bearer?: string) => {
    const request = app.t.http.get(path);
    return bearer === undefined ? request : request.set('Authorization', `Bearer ${bearer}`);
  };

  /** Every read of a code, then bulk: the statuses in order (trace, public page, QR, audit, bulk treat). */
  async function readEverywhere(code: string): Promise<number[]> {
    const at = await app.t.headPosition();
    const trace = await get(`/v1/batches/${code}?minPosition=${at}`, token('receiver'));
    expect(trace.body.traceCode).toBe(code);
    const page = await get(`/v1/trace/${code}?minPosition=${at}`);
    expect(page.text).toContain(code.slice(0, 6));
    const qr = await get(`/v1/batches/${code}/qr.svg?minPosition=${at}`, token('receiver'));
    expect(String(qr.headers['content-type'])).toContain('image/svg+xml');
    const audit = await get(`/v1/audit/streams/${encodeURIComponent(batchStream(code))}`, token('auditor'));
    const bulk = await app.t.http
      .post('/v1/commands')
      .set('Authorization', `Bearer ${token('receiver')}`)
      .send({
        commands: [
          {
            type: 'treat-waste',
            idempotencyKey: keys.next('bulk'),
            body: { traceCode: code, ...treatmentBody(1) },
          },
        ],
      });
    expect(bulk.status).toBe(200);
    return [trace.status, page.status, qr.status, audit.status, bulk.body.results[0].status];
  }

  it('40 generations of splits: every code has 22 characters and the deepest is read by every route', async () => {
    const root = await app.build.atReceiver(100);
    const family = [root];
    for (let generation = 1; generation <= 40; generation++) {
      const response = await send(
        app.t,
        `/v1/batches/${family[generation - 1]}/split`,
        token('receiver'),
        { ...splitBody([100 - generation]), occurredAt: AT.treated },
        keys.next('split'),
      );
      expect(response.status).toBe(201);
      family.push(response.body.children[0] as string);
    }
    for (const code of family) {
      expect(code).toHaveLength(ROOT_TRACE_CODE_LENGTH);
      expect(code.slice(0, 13)).toBe(root.slice(0, 13));
    }
    expect(new Set(family).size).toBe(41);
    const deepest = family[40];
    // the lineage is the ledger's: the deepest's split-off names its parent and index
    const [splitOff] = await app.t.store.readStream(batchStream(deepest));
    expect(splitOff.data).toMatchObject({ parentTraceCode: family[39], childIndex: 0 });
    expect(await readEverywhere(deepest)).toEqual([200, 200, 200, 200, 201]);
  });

  it('a legacy code of 102 characters (40 generations before the fix), stored as it was, is read by every route too', async () => {
    const root = await app.build.atReceiver(100);
    const runner = app.t.app.get(UseCaseRunner);
    const principal = {
      kind: 'party',
      tokenId: 'legacy',
      partyUscc: app.world.parties.receiver.uscc,
    } as const;
    let code = root;
    for (let generation = 1; generation <= 40; generation++) {
      const outcome = await runner.run(
        legacySplit,
        {
          principal,
          idempotencyKey: keys.next('legacy'),
          requestHash: `legacy-${generation}`,
          correlationId: `legacy-${generation}`,
        },
        { traceCode: code },
      );
      code = outcome.result.child;
    }
    expect(code).toHaveLength(102);
    expect(code.slice(0, 21)).toBe(root.slice(0, 21));
    expect(await readEverywhere(code)).toEqual([200, 200, 200, 200, 201]);
    // and a split of it now gives a child of 22 characters
    const split = await send(
      app.t,
      `/v1/batches/${code}/split`,
      token('receiver'),
      { ...splitBody([1]), occurredAt: AT.treated },
      keys.next('split'),
    );
    expect(split.status).toBe(201);
    expect(split.body.children[0]).toHaveLength(ROOT_TRACE_CODE_LENGTH);
  });
});

/**
 * The split the ledger made before issue 10 row 7, for this suite only: the whole batch into one child
 * whose code is the parent's body + its 2-symbol index (`legacyChildTraceCode`), written through the
 * real writer (ids, hash chains, idempotency record) as those events were.
 */
const legacySplit: UseCase<{ traceCode: string }, { child: string }> = {
  action: 'split batches',
  allowed: ['party'],
  async plan(input, context, unitOfWork) {
    const parent = await unitOfWork.load(batchStream(input.traceCode), batchModel);
    if (parent.state.status === 'none') throw new Error(`no batch ${input.traceCode}`);
    const decided = decideSplitBatch(
      {
        actorUscc: context.principal.kind === 'party' ? context.principal.partyUscc : '',
        traceCode: input.traceCode,
        partsGrams: [parent.state.heldGrams],
        childRandomParts: ['LEGACY00'],
        occurredAt: AT.treated,
        recordedAt: context.recordedAt,
      },
      parent.state,
      context.options,
    );
    const bounded = decided[1].traceCode;
    const legacy = legacyChildTraceCode(input.traceCode, parent.state.nextChildIndex);
    const streams = JSON.parse(JSON.stringify(decided).split(bounded).join(legacy)) as BatchStreamEvents[];
    return {
      writes: streams.map((s) => {
        if (s.isNew) unitOfWork.expectNew(batchStream(s.traceCode));
        return {
          stream: batchStream(s.traceCode),
          events: s.events.map((e) => ({
            type: e.type,
            schemaVersion: e.schemaVersion,
            data: e.data as unknown as JsonObject,
          })),
          occurredAt: AT.treated,
        };
      }),
      result: { child: legacy },
    };
  },
};
