/**
 * `npm run bench [-- options]`: runs the benchmark scenarios and writes bench/results.json and
 * bench/RESULTS.md. Not part of `npm test`. See test/bench/README.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo, postgresVersion } from './harness/machine';
import { BENCH_DIRECTORY, keptRunFile, renderIssue11, withIssue11Section } from './harness/kept-runs';
import { readJson, writeResults, type Baseline, type BenchResults } from './harness/report';
import { runAfterAllScenarios, type BenchContext, type Scenario, type ScenarioResult } from './harness/scenario';
import { scenarios } from './scenarios';
import { BENCH_DATABASE_URL, dropSchemasOfRun, redact } from './support/postgres';

const USAGE = `npm run bench -- [options]

  --only <names>          comma-separated scenario names or prefixes (append-sqlite, append-postgres-single)
  --quick                 small workloads, 1 warm-up + 3 rounds; writes to bench/quick/ unless --out is given
  --runs <n>              measured rounds per comparison (default 7, quick 3)
  --warmup <n>            warm-up rounds, not counted (default 1)
  --out <dir>             where results.json and RESULTS.md go (default bench/)
  --save-baseline <text>  also keep these results as bench/baseline.json, the "before" of RESULTS.md
  --keep-as <name>        also keep these results as bench/<name>.json (issue-11-quick-after) and write
                          their section of bench/RESULTS.md again (the rest of the file is left alone)
  --list                  list the scenarios and exit

PostgreSQL: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; scenarios that need it are
skipped (with the reason) when it does not answer.`;

const ROOT = resolve(__dirname, '..', '..');

function selectScenarios(only: string | undefined): Scenario[] {
  if (!only) return scenarios.filter((s) => !s.explicit);
  const wanted = only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter(
    (name) => !scenarios.some((s) => s.name === name || s.name.startsWith(`${name}-`)),
  );
  if (unknown.length > 0) {
    throw new Error(`no scenario named ${unknown.join(', ')}; --list shows them`);
  }
  return scenarios.filter((s) =>
    wanted.some((name) => s.name === name || (!s.explicit && s.name.startsWith(`${name}-`))),
  );
}

function positiveInteger(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} needs a whole number, got ${value}`);
  return parsed;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      out: { type: 'string' },
      'save-baseline': { type: 'string' },
      'keep-as': { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const s of scenarios)
      console.log(
        `${s.name.padEnd(32)} ${s.title}${s.requires ? ` [${s.requires.join(', ')}]` : ''}${s.explicit ? ' (only when named)' : ''}`,
      );
    return 0;
  }

  if (values['keep-as'] !== undefined) keptRunFile(values['keep-as']);
  const quick = values.quick ?? false;
  const selected = selectScenarios(values.only);
  const rounds = positiveInteger(values.runs, quick ? 3 : 7, '--runs');
  const warmupRounds = positiveInteger(values.warmup, 1, '--warmup');
  if (rounds < 1) throw new Error('--runs must be at least 1');
  const outDirectory = resolve(values.out ?? join(ROOT, 'bench', quick ? 'quick' : ''));
  const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;
  const startedAt = new Date();

  const postgres = await postgresVersion(BENCH_DATABASE_URL);
  const machine = machineInfo(postgres);
  console.log(
    `wasteflow bench: ${selected.length} scenario(s), ${warmupRounds} warm-up + ${rounds} rounds${quick ? ', quick' : ''}; ` +
      `${machine.cores} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ` +
      `SQLite ${machine.sqlite}, PostgreSQL ${postgres ?? `not reachable at ${redact(BENCH_DATABASE_URL)}`}`,
  );

  const context: BenchContext = {
    quick,
    rounds,
    warmupRounds,
    postgresUrl: postgres ? BENCH_DATABASE_URL : undefined,
    runId,
    log: (message) => console.log(message),
  };

  const cleanUp = async (): Promise<void> => {
    await runAfterAllScenarios();
    if (!context.postgresUrl) return;
    const left = await dropSchemasOfRun(context.postgresUrl, runId).catch(() => 0);
    if (left > 0) console.warn(`dropped ${left} schema(s) left behind by a failed run`);
  };
  process.once('SIGINT', () => {
    console.warn('interrupted: dropping this run’s schemas');
    void cleanUp().finally(() => process.exit(130));
  });

  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    const started = Date.now();
    const base = {
      name: scenario.name,
      group: scenario.group,
      title: scenario.title,
      description: scenario.description,
      quick,
    };
    const missing = (scenario.requires ?? []).filter(
      (requirement) => requirement === 'postgres' && !context.postgresUrl,
    );
    if (missing.length > 0) {
      console.warn(
        `- ${scenario.name}: skipped, PostgreSQL does not answer at ${redact(BENCH_DATABASE_URL)}`,
      );
      results.push({
        ...base,
        status: 'skipped',
        reason: `needs ${missing.join(', ')}, not reachable`,
        ranAt: new Date().toISOString(),
        durationSeconds: 0,
      });
      continue;
    }
    console.log(`- ${scenario.name}: ${scenario.title}`);
    try {
      const outcome = await scenario.run(context);
      const durationSeconds = (Date.now() - started) / 1000;
      results.push({ ...base, ...outcome, status: 'ok', ranAt: new Date().toISOString(), durationSeconds });
      for (const ratio of outcome.ratios) {
        const target = ratio.target
          ? ` (target ${ratio.target.op} ${ratio.target.value}: ${ratio.met ? 'met' : 'NOT met'})`
          : '';
        console.log(
          `  ${ratio.label}: ${ratio.median.toFixed(2)} [${ratio.min.toFixed(2)} – ${ratio.max.toFixed(2)}]${target}`,
        );
      }
      console.log(`  ${durationSeconds.toFixed(1)} s`);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      console.error(`  FAILED: ${reason}`);
      if (error instanceof Error && error.stack && error.name !== 'BenchValidationError')
        console.error(error.stack);
      results.push({
        ...base,
        status: 'failed',
        reason,
        ranAt: new Date().toISOString(),
        durationSeconds: (Date.now() - started) / 1000,
      });
    }
  }
  await cleanUp();

  // A partial run (--only) replaces its scenarios in the existing results and keeps the others.
  const previous = values.only ? readJson<BenchResults>(join(outDirectory, 'results.json')) : undefined;
  const merged = scenarios
    .map((s) => results.find((r) => r.name === s.name) ?? previous?.scenarios.find((r) => r.name === s.name))
    .filter((r): r is ScenarioResult => r !== undefined);
  const finishedAt = new Date();
  const report: BenchResults = {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    mode: quick ? 'quick' : 'full',
    rounds,
    warmupRounds,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: {
      ...machine,
      loadAverage: { ...machine.loadAverage, end: Math.round(os.loadavg()[0] * 100) / 100 },
    },
    scenarios: merged,
  };
  const baselineFile = join(ROOT, 'bench', 'baseline.json');
  if (values['save-baseline'] !== undefined) {
    const baseline: Baseline = { ...report, label: values['save-baseline'] };
    writeFileSync(baselineFile, `${JSON.stringify(baseline, null, 2)}\n`);
    console.log(`baseline saved to ${baselineFile}`);
  }
  if (quick && !values.out) {
    mkdirSync(outDirectory, { recursive: true });
    writeFileSync(join(outDirectory, '.gitignore'), '*\n');
  }
  const baseline = values['save-baseline'] === undefined ? readJson<Baseline>(baselineFile) : undefined;
  writeResults(outDirectory, report, baseline);
  if (values['keep-as'] !== undefined) {
    const kept = keptRunFile(values['keep-as']);
    writeFileSync(kept, `${JSON.stringify(report, null, 2)}\n`);
    const resultsMd = join(BENCH_DIRECTORY, 'RESULTS.md');
    const section = renderIssue11((file) => readJson<BenchResults>(file));
    if (section.length > 0 && outDirectory !== BENCH_DIRECTORY) {
      writeFileSync(resultsMd, withIssue11Section(readFileSync(resultsMd, 'utf8'), section));
    }
    console.log(`kept as ${kept}; its section of bench/RESULTS.md written again`);
  }
  console.log(
    `wrote ${join(outDirectory, 'results.json')} and RESULTS.md in ${report.durationSeconds.toFixed(0)} s`,
  );
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exit(2);
  },
);
