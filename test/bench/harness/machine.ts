import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';

export interface MachineInfo {
  readonly hostname: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryGiB: number;
  readonly node: string;
  readonly sqlite: string;
  readonly postgres: string | undefined;
  readonly drivers: Readonly<Record<string, string>>;
  /** 1-minute load average when the run started and ended: a busy shared machine shows here. */
  readonly loadAverage: { readonly start: number; readonly end?: number };
  readonly git: { readonly commit: string | undefined; readonly dirty: boolean | undefined };
}

function packageVersion(name: string): string {
  try {
    // Read from the file: not every package exports its package.json.
    const file = join(__dirname, '..', '..', '..', 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function git(args: string[]): string | undefined {
  const result = spawnSync('git', args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return String(db.prepare('SELECT sqlite_version()').pluck().get());
  } finally {
    db.close();
  }
}

/** The PostgreSQL server version, or undefined when the server does not answer. */
export async function postgresVersion(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function machineInfo(postgres: string | undefined): MachineInfo {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    sqlite: sqliteVersion(),
    postgres,
    drivers: {
      'better-sqlite3': packageVersion('better-sqlite3'),
      pg: packageVersion('pg'),
      '@event-driven-io/emmett-postgresql': packageVersion('@event-driven-io/emmett-postgresql'),
    },
    loadAverage: { start: Math.round(os.loadavg()[0] * 100) / 100 },
    git: {
      commit: git(['rev-parse', '--short', 'HEAD']),
      dirty: status === undefined ? undefined : status !== '',
    },
  };
}
