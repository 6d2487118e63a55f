import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AT, PARTIES } from '../support/fixtures';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchemaPrefix } from '../support/postgres';
import { ADMIN, batchBody, post, sleep, until } from './ha-client';
import { freePort } from '../support/source-process';

/**
 * Issue 12 item 5: two api processes and a separate projector (apps/projector) on one PostgreSQL, all
 * three competing for the one projection lease. Under concurrent writes through both apis, the leader is
 * killed with SIGKILL (mid-batch: batches commit continuously under the load); one of the others takes
 * over — at once, the dead holder's pid being gone on this host — and the read models come out exact:
 * every acknowledged batch counted once. Part of `npm run test:ha`, not of `npm test` (three processes).
 */
const ROOT = join(__dirname, '..', '..');
const LOAD_MS = Number(process.env.HA_LOAD_MS ?? 4_000);

interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly health: string;
  readonly output: string[];
}

describe('two api processes and a projector: the projection leader killed mid-batch', () => {
  const prefix = `${uniqueSchemaPrefix(__filename)}_i`;
  const dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-instances-'));
  const instances: Instance[] = [];
  const apis: string[] = [];

  function launch(name: string, script: string, env: Record<string, string>, health: string): Instance {
    const output: string[] = [];
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, script)], {
      cwd: ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        WASTEFLOW_STORE: 'postgres',
        DATABASE_URL: TEST_DATABASE_URL,
        WASTEFLOW_PG_SCHEMA_PREFIX: prefix,
        WASTEFLOW_ADMIN_TOKEN: ADMIN,
        WASTEFLOW_DATA_DIR: dataDir,
        WASTEFLOW_RATE_LIMIT_TOKEN: '0',
        WASTEFLOW_RATE_LIMIT_ANONYMOUS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const instance = { name, child, health, output };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    // The first api creates the schemas; the others start once it answers (no race on the migrations).
    const [portA, portB, portP] = [await freePort(), await freePort(), await freePort()];
    launch('api-a', 'apps/api/src/main.ts', { PORT: String(portA) }, `http://127.0.0.1:${portA}/health`);
    apis.push(`http://127.0.0.1:${portA}`);
    await until(async () => (await status(instances[0])) !== undefined, 90_000, 'api-a up');
    launch('api-b', 'apps/api/src/main.ts', { PORT: String(portB) }, `http://127.0.0.1:${portB}/health`);
    apis.push(`http://127.0.0.1:${portB}`);
    launch(
      'projector',
      'apps/projector/src/main.ts',
      { PROJECTOR_PORT: String(portP), PROJECTOR_HOST: '127.0.0.1' },
      `http://127.0.0.1:${portP}/health`,
    );
    await until(async () => (await Promise.all(instances.map(status))).every(Boolean), 90_000, 'all three up');
  }, 240_000);

  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await dropSchemas(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('one leads; killed with SIGKILL under load, another takes over and the read models are exact', async () => {
    const party = PARTIES.generator;
    expect((await post(apis[0], '/v1/parties', ADMIN, { ...party, occurredAt: AT.registered }, 'i-party')).status).toBe(201);
    const token = (await post(apis[0], '/v1/tokens', ADMIN, { kind: 'party', partyUscc: party.uscc }, 'i-token')).body
      .token as string;

    const leaders = async (): Promise<Instance[]> => {
      const all = await Promise.all(instances.map(async (i) => ((await status(i))?.leader ? i : undefined)));
      return all.filter((i): i is Instance => i !== undefined);
    };
    await until(async () => (await leaders()).length === 1, 60_000, 'one leader');

    const acked = new Set<string>();
    const failures: string[] = [];
    let n = 0;
    let stop = false;
    const workers = Array.from({ length: 6 }, async (_, w) => {
      while (!stop) {
        n += 1;
        const key = `i-${n}`;
        for (let attempt = 0; attempt < 20; attempt += 1) {
          // A retry (same key) goes to the other api: the one that was asked may be the one killed, with
          // the write committed or not; the retry settles which, exactly once.
          const response = await post(apis[(w + attempt) % 2], '/v1/batches', token, batchBody(), key).catch(
            () => undefined,
          );
          if (response && (response.status === 201 || response.status === 200)) {
            acked.add(response.body.traceCode as string);
            break;
          }
          if (response && response.status !== 503) failures.push(`${response.status} ${JSON.stringify(response.body)}`);
          await sleep(100);
        }
      }
    });

    await sleep(LOAD_MS / 2);
    const [leader] = await leaders();
    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    // A survivor leads; not the dead one's TTL (15 s) later: it sees the pid is gone.
    await until(
      async () => (await leaders()).some((i) => i !== leader),
      30_000,
      () => `a new leader after ${leader.name} died\n${instances.map((i) => i.output.join('').slice(-1500)).join('\n---\n')}`,
    );
    const takeoverMs = Date.now() - killedAt;
    await sleep(LOAD_MS / 2);
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);

    // Caught up: the api that survived reports the checkpoint at its store's head.
    const survivingApi = apis[leader.name === 'api-a' ? 1 : 0];
    await until(async () => {
      const health = (await (await fetch(`${survivingApi}/health`)).json()) as {
        store: { head: string };
        projections: { checkpoint: string; eventsBehind: number };
      };
      return health.projections.eventsBehind === 0 && health.projections.checkpoint === health.store.head;
    }, 60_000, 'projections at the head');
    const inventory = await fetch(`${survivingApi}/v1/inventory?pageSize=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(inventory.status).toBe(200);
    const body = (await inventory.json()) as { summary: unknown };
    // Every acknowledged batch exactly once: none lost in the killed batch, none counted twice.
    expect(body.summary).toMatchObject({ batches: acked.size, heldKg: acked.size });
    const [newLeader] = await leaders();
    console.log(
      `Instances result ${JSON.stringify({ killed: leader.name, newLeader: newLeader?.name, takeoverMs, batches: acked.size })}`,
    );
  }, 300_000);
});

async function status(instance: Instance): Promise<{ leader: boolean } | undefined> {
  try {
    const response = await fetch(instance.health, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { leader?: boolean; projections?: { leader?: boolean } };
    return { leader: (body.projections?.leader ?? body.leader) === true };
  } catch {
    return undefined;
  }
}
