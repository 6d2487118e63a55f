import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { cliSettings, processIo, type CliIo } from '../cli-context';
import { lineStream } from './rebuild.command';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The import refused the file (row problems, a bad file) or the api refused the request: exit 1. */
export class ImportRefused extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

export interface ImportOptions {
  readonly api: string;
  readonly token?: string;
  readonly dryRun?: boolean;
  readonly report?: string;
  /** With an admin token: the party whose records these are (recorded by the admin on its behalf). */
  readonly party?: string;
  /** Between two polls of the import (default 500 ms). */
  readonly pollMs?: number;
}

interface ImportView {
  importId: string;
  status: string;
  rows: number;
  applied: number;
  alreadyApplied: number;
  matched?: number;
  unmatched?: number;
  refused: number;
  pending: number;
  refusedRows: { row: number; sourceCode: string; problem?: { rule?: string; detail?: string } }[];
}

/**
 * `wasteflow import <file>`: sends a 台账 file (xlsx, or CSV) to POST /v1/imports of a running api with a
 * party's token, then follows the import with a progress bar until every row is applied, already applied or
 * refused; prints the rows refused and, with --report, saves the per-row report sheet. The api does the work
 * (the same checks, keys and order as over HTTP); the CLI only carries the file and shows the progress.
 */
export async function runImport(
  io: CliIo,
  file: string,
  options: ImportOptions,
): Promise<ImportView | undefined> {
  const token = options.token ?? cliSettings(io).token;
  if (!token) throw new ImportRefused('give a party (or admin) token with --token or WASTEFLOW_TOKEN');
  const body = await readFile(file);
  const type = /\.xlsx$/i.test(file) ? XLSX_TYPE : 'text/csv';
  const base = options.api.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${token}` };
  const query = new URLSearchParams({
    ...(options.dryRun ? { dryRun: 'true' } : {}),
    ...(options.party ? { party: options.party } : {}),
  }).toString();
  const res = await fetch(`${base}/v1/imports${query ? `?${query}` : ''}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': type },
    body,
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    const rows =
      (answer.rows as { row: number; column: string; rule: string; message: string }[] | undefined) ?? [];
    for (const p of rows.slice(0, 20)) io.err(`row ${p.row}, ${p.column}: ${p.rule} — ${p.message}`);
    throw new ImportRefused(`refused (${res.status} ${String(answer.rule)}): ${String(answer.detail)}`);
  }
  if (options.dryRun) {
    io.out(`dry run: ${String(answer.rows)} rows would be imported (file sha256 ${String(answer.sha256)})`);
    return undefined;
  }
  let view = answer as unknown as ImportView;
  const tty = io === processIo && process.stderr.isTTY === true;
  const bar = new SingleBar({
    format:
      'import [{bar}] {percentage}% | {value}/{total} rows | applied {applied} | already {already} | refused {refused}',
    stream: tty ? process.stderr : lineStream(io),
    noTTYOutput: true,
    notTTYSchedule: 2000,
    hideCursor: tty,
  });
  const payload = (v: ImportView) => ({ applied: v.applied, already: v.alreadyApplied, refused: v.refused });
  bar.start(view.rows, view.rows - view.pending, payload(view));
  try {
    while (view.status === 'running') {
      await sleep(options.pollMs ?? 500);
      const poll = await fetch(`${base}/v1/imports/${view.importId}`, { headers });
      if (!poll.ok) throw new ImportRefused(`polling the import failed: ${poll.status}`);
      view = (await poll.json()) as ImportView;
      bar.update(view.rows - view.pending, payload(view));
    }
  } finally {
    bar.stop();
  }
  for (const r of view.refusedRows)
    io.err(`row ${r.row} (${r.sourceCode}) refused: ${r.problem?.rule ?? ''} — ${r.problem?.detail ?? ''}`);
  io.out(
    `import ${view.importId} ${view.status}: ${view.applied} applied, ${view.alreadyApplied} already applied, ` +
      `${view.matched ?? 0} matched, ${view.unmatched ?? 0} to be recorded by others, ${view.refused} refused of ${view.rows}`,
  );
  if (options.report) {
    const report = await fetch(`${base}/v1/imports/${view.importId}/report.xlsx`, { headers });
    await writeFile(options.report, Buffer.from(await report.arrayBuffer()));
    io.err(`report saved to ${options.report}`);
  }
  if (view.status !== 'done') throw new ImportRefused(`import ${view.importId} ${view.status}`);
  return view;
}

export function importCommand(io: CliIo): Command {
  return new Command('import')
    .description(
      'import a 台账 file (xlsx of the five tables, or a CSV of one, in the export’s columns) through a running api, with a progress bar',
    )
    .argument('<file>', 'the .xlsx workbook or .csv file')
    .option('--api <url>', 'the api (default WASTEFLOW_API_URL or http://127.0.0.1:3000)')
    .option('--token <token>', 'a party token, or an admin token with --party (default WASTEFLOW_TOKEN)')
    .option('--party <uscc>', 'with an admin token: import on behalf of this party')
    .option('--dry-run', 'check every row, import nothing')
    .option('--report <path>', 'save the per-row report (xlsx) here')
    .action(
      async (
        file: string,
        opts: { api?: string; token?: string; dryRun?: boolean; report?: string; party?: string },
      ) => {
        await runImport(io, file, {
          api: opts.api ?? cliSettings(io).apiUrl,
          token: opts.token,
          dryRun: opts.dryRun,
          report: opts.report,
          party: opts.party,
        });
      },
    );
}
