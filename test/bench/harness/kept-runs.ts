import { join, resolve } from 'node:path';
import { formatNumber } from './measure';
import type { ScenarioResult } from './scenario';

/** What this section reads of a results file (report.ts's KeptRun). */
interface KeptRun {
  readonly finishedAt: string;
  readonly machine: {
    readonly git: { readonly commit?: string; readonly dirty?: boolean };
    readonly loadAverage: { readonly start: number; readonly end?: number };
  };
  readonly scenarios: readonly ScenarioResult[];
}

/**
 * Runs kept by name in bench/ (`npm run bench -- --keep-as <name>`) and compared in RESULTS.md whatever
 * run regenerates it: today the quick runs before and after issue 11's refactors of the write path
 * (`issue-11-quick-before`, `issue-11-quick-after`).
 */

export const BENCH_DIRECTORY = resolve(__dirname, '..', '..', '..', 'bench');

export function keptRunFile(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,60}$/.test(name)) throw new Error(`--keep-as needs a lower-case name, not ${name}`);
  return join(BENCH_DIRECTORY, `${name}.json`);
}

const two = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '–');

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

const describe = (run: KeptRun): string =>
  `${run.finishedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${run.machine.git.commit ?? '?'}` +
  `${run.machine.git.dirty ? ' with local changes' : ''}, load average ${run.machine.loadAverage.start}–${run.machine.loadAverage.end ?? '?'}`;

/** The "Issue 11 before/after (quick)" section: every ratio and target figure of both runs side by side. */
export function renderIssue11(
  read: (file: string) => KeptRun | undefined,
): string[] {
  const before = read(keptRunFile('issue-11-quick-before'));
  if (!before) return [];
  const after = read(keptRunFile('issue-11-quick-after'));
  const rows: string[][] = [];
  for (const scenario of before.scenarios) {
    const later = after?.scenarios.find((s) => s.name === scenario.name);
    for (const then of scenario.ratios ?? []) {
      const now = later?.ratios?.find((r) => r.id === then.id);
      rows.push([
        `${then.label} (\`${scenario.name}\`)`,
        `${two(then.median)} (${two(then.min)} – ${two(then.max)})`,
        now ? `${two(now.median)} (${two(now.min)} – ${two(now.max)})` : '–',
      ]);
    }
    for (const then of scenario.checks ?? []) {
      const now = later?.checks?.find((c) => c.id === then.id);
      rows.push([
        `${then.label} (\`${scenario.name}\`, absolute)`,
        `${formatNumber(then.value)} ${then.unit}`,
        now ? `${formatNumber(now.value)} ${now.unit}` : '–',
      ]);
    }
    if (scenario.status !== 'ok') rows.push([`\`${scenario.name}\``, `${scenario.status}: ${(scenario.reason ?? '').slice(0, 160)}`, later ? later.status : '–']);
  }
  return [
    '## Issue 11 before/after (quick)',
    '',
    `Before: \`bench/issue-11-quick-before.json\`, \`npm run bench -- --quick\` on ${describe(before)}, under ` +
      '`nice -n 5` on the shared 2-core machine (one quick round per ratio for the HTTP scenarios, three for ' +
      'the others). After: ' +
      (after
        ? `\`bench/issue-11-quick-after.json\`, ${describe(after)}.`
        : 'not run yet: `nice -n 5 npm run bench -- --quick --keep-as issue-11-quick-after`.') +
      ' Quick rounds are few and short: read the ratios, not the absolute figures, and only differences well ' +
      'outside both ranges.',
    '',
    table(['ratio or figure', 'before: median (min – max)', 'after: median (min – max)'], rows),
    '',
  ];
}

/**
 * `markdown` with its "Issue 11 before/after (quick)" section replaced by `section` (up to the next `## `
 * heading), or with `section` added at the end: the rest of RESULTS.md, hand-written notes included, is
 * left as it is.
 */
export function withIssue11Section(markdown: string, section: readonly string[]): string {
  const lines = markdown.trimEnd().split('\n');
  const start = lines.findIndex((line) => line === '## Issue 11 before/after (quick)');
  if (start < 0) return `${[...lines, '', ...section].join('\n').trimEnd()}\n`;
  let end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  if (end < 0) end = lines.length;
  return `${[...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n').trimEnd()}\n`;
}
