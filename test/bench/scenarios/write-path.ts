import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, SqliteEventStore, type JsonObject } from '@wasteflow/event-store';
import {
  CORE_ONLY,
  generateWaste,
  grantPermit,
  issueManifest,
  LedgerWriter,
  registerParty,
  requestHash,
  UseCaseRunner,
  type Principal,
  type UseCase,
  type WriteOptimisations,
} from '@wasteflow/ledger';
import { runComparison, type RatioDefinition, type Slice, type Variant } from '../harness/measure';
import { check, type Scenario, type ScenarioOutcome } from '../harness/scenario';

/**
 * The write path's core and its optional layers (issue 11 item 7; docs/performance.md, "The write path:
 * a small core and named optimisations"): the ledger's own use cases through UseCaseRunner and
 * LedgerWriter, in this process, on a fresh SQLite store (synchronous=FULL, group commit) per run, with
 * every layer on, with none (the core), and with each one off in turn. The ratios `all / without X` are
 * the measured gain of layer X on this workload; `all / core` the gain of them all.
 */

const SLICES = 8;
const GENERATOR = '91330106MA27Y5XK06';
const CARRIER = '91330109MA2H3KT715';
const RECEIVER = '91330114MA2CJ8RL58';
const admin: Principal = { kind: 'admin', tokenId: 'bench-admin' };
const regulator: Principal = { kind: 'regulator', tokenId: 'bench-regulator', districts: ['3301'], categories: ['hazardous'] };
const generator: Principal = { kind: 'party', tokenId: 'bench-generator', partyUscc: GENERATOR };
const GENERATION = {
  category: 'hazardous',
  wasteCode: '900-249-08',
  massKg: 12.5,
  occurredAt: '2026-03-02T09:00:00+08:00',
};

/** The layers one at a time: what turning each off costs is its gain. */
const LAYERS: readonly { id: string; label: string; off: WriteOptimisations }[] = [
  { id: 'no-cache', label: 'the folded-state cache off', off: { stateCacheSize: 0 } },
  { id: 'no-absent', label: 'created streams read, not taken as absent', off: { createdStreamsAbsent: false } },
  { id: 'no-skip', label: 'the record looked up on every first attempt', off: { firstAttemptSkipsLookup: false } },
  { id: 'no-reuse', label: 'every stream read again on a retry', off: { reuseReadsOnRetry: false } },
  { id: 'no-turns', label: 'losers of a hot stream race again (no turns)', off: { hotStreamTurns: false } },
];

interface Run {
  readonly directory: string;
  readonly store: SqliteEventStore;
  readonly runner: UseCaseRunner;
  /** The commands of the run, in the order the clients take them. */
  readonly commands: readonly (() => Promise<unknown>)[];
  done: number;
  refused: number;
}

type Workload = 'generation' | 'manifests';

let keys = 0;
function envelope(principal: Principal) {
  keys += 1;
  const idempotencyKey = `bench-${keys}`;
  return {
    principal,
    idempotencyKey,
    correlationId: `c-${idempotencyKey}`,
    requestHash: requestHash({ route: 'bench', params: {}, body: idempotencyKey }),
  };
}

function run<I, R extends JsonObject>(runner: UseCaseRunner, useCase: UseCase<I, R>, principal: Principal, input: I) {
  return runner.run(useCase, envelope(principal), input);
}

function writePathVariant(
  id: string,
  label: string,
  workload: Workload,
  commands: number,
  clients: number,
  options: WriteOptimisations,
): Variant<Run> {
  return {
    id,
    label,
    async prepare() {
      const directory = mkdtempSync(join(tmpdir(), 'wasteflow-bench-write-'));
      const store = new SqliteEventStore({ file: join(directory, 'events.sqlite') });
      const runner = new UseCaseRunner(
        new LedgerWriter(store, options),
        store,
        new ManualClock(new Date('2026-03-02T02:00:00Z')),
        {},
      );
      for (const [uscc, roles, districtCode] of [
        [GENERATOR, ['generator'], '330106'],
        [CARRIER, ['carrier'], '330109'],
        [RECEIVER, ['receiver'], '330114'],
      ] as const) {
        await run(runner, registerParty, admin, { uscc, name: uscc, roles: [...roles], districtCode });
      }
      await run(runner, grantPermit, regulator, {
        uscc: RECEIVER,
        permitNo: '3301000012',
        hwCategories: ['HW08'],
        operations: ['D10'],
        annualCapacityKg: 100_000_000,
        validFrom: '2026-01-01',
        validTo: '2030-12-31',
      });
      let list: (() => Promise<unknown>)[];
      if (workload === 'generation') {
        list = Array.from({ length: commands }, () => () => run(runner, generateWaste, generator, GENERATION));
      } else {
        // batches made beforehand (untimed); each timed command ships one on a manifest of the same city
        const codes: string[] = [];
        for (let i = 0; i < commands; i++) {
          codes.push((await run(runner, generateWaste, generator, GENERATION)).result.traceCode as string);
        }
        list = codes.map((traceCode) => () =>
          run(runner, issueManifest, generator, {
            lines: [{ traceCode }],
            carrierUscc: CARRIER,
            receiverUscc: RECEIVER,
            plannedAt: '2026-03-02T13:00:00+08:00',
          }),
        );
      }
      return { directory, store, runner, commands: list, done: 0, refused: 0 };
    },
    async execute(state, slice: Slice) {
      const from = Math.floor((state.commands.length * slice.index) / slice.count);
      const to = Math.floor((state.commands.length * (slice.index + 1)) / slice.count);
      let next = from;
      // `clients` concurrent callers, each taking the next command when its last one is answered
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < to) {
            const command = state.commands[next];
            next += 1;
            try {
              await command();
              state.done += 1;
            } catch {
              state.refused += 1;
            }
          }
        }),
      );
    },
    async validate(state) {
      check(state.refused === 0, () => `${id}: ${state.refused} commands refused`);
      check(state.done === state.commands.length, () => `${id}: ${state.done} of ${state.commands.length} done`);
      const expected = workload === 'generation' ? 'WasteGenerated' : 'ManifestIssued';
      const stored = (await state.store.readAll()).filter((event) => event.type === expected).length;
      check(stored === state.commands.length, () => `${id}: ${stored} ${expected} events stored`);
    },
    async dispose(state) {
      await state.store.close();
      rmSync(state.directory, { recursive: true, force: true });
    },
  };
}

function writePathScenario(workload: Workload): Scenario {
  const generation = workload === 'generation';
  return {
    name: `write-path-${workload}`,
    group: 'Write path',
    title: generation
      ? 'The write path: 32 clients recording generations (no conflicts)'
      : 'The write path: 16 clients issuing manifests in one city (a hot serial counter)',
    description:
      (generation
        ? 'generate-waste commands by 32 concurrent callers: every command reads the generator party and creates a batch. '
        : 'issue-manifest commands by 16 concurrent callers, one batch each, all in one city: every commit ' +
          'writes its serial counter, so they race for it. ') +
      'In this process through UseCaseRunner and LedgerWriter, on a fresh SQLite store (synchronous=FULL, group ' +
      'commit); every layer on, the core alone, and each layer off in turn.',
    async run(context): Promise<ScenarioOutcome> {
      const commands = generation ? (context.quick ? 480 : 1600) : context.quick ? 160 : 480;
      const clients = generation ? 32 : 16;
      const variants: Variant<Run>[] = [
        writePathVariant('all', 'every layer (the default)', workload, commands, clients, {}),
        writePathVariant('core', 'the core alone', workload, commands, clients, CORE_ONLY),
        ...LAYERS.map((layer) => writePathVariant(layer.id, layer.label, workload, commands, clients, layer.off)),
      ];
      const ratios: RatioDefinition[] = [
        { id: 'all/core', label: 'every layer / the core alone', numerator: 'all', denominator: 'core' },
        ...LAYERS.map((layer) => ({
          id: `all/${layer.id}`,
          label: `every layer / ${layer.label}`,
          numerator: 'all',
          denominator: layer.id,
        })),
      ];
      const result = await runComparison(context, {
        units: commands,
        throughputUnit: 'commands/s',
        slices: SLICES,
        variants,
        ratios,
      });
      return {
        parameters: { commands, clients, store: 'sqlite, synchronous=FULL, group commit' },
        ...result,
      };
    },
  };
}

export const writePathScenarios: Scenario[] = [writePathScenario('generation'), writePathScenario('manifests')];
