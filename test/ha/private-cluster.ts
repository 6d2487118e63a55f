import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../support/source-process';

/** Debian's PostgreSQL 15 server programs (postgresql-15); PG_BIN overrides. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** The server refuses to run as root: as root, run its programs as the `postgres` user. */
function run(program: string, args: readonly string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, program), ...args]]
    : [join(PG_BIN, program), [...args]];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/**
 * A private primary and a synchronous streaming standby on loopback ports, in a temporary directory:
 * `initdb`, `pg_basebackup -R`, `synchronous_standby_names`, `synchronous_commit = on`. Every commit the
 * primary acknowledges is on the standby too. `destroy()` stops both (immediate) and removes the
 * directory; call it in a finally/afterAll — and `destroySync()` from an exit handler.
 */
export class PrivateCluster {
  readonly dir: string;
  readonly primaryDir: string;
  readonly standbyDir: string;
  primaryPort = 0;
  standbyPort = 0;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'wasteflow-ha-'));
    this.primaryDir = join(this.dir, 'primary');
    this.standbyDir = join(this.dir, 'standby');
  }

  static available(): string | undefined {
    if (!existsSync(join(PG_BIN, 'initdb'))) return `no ${join(PG_BIN, 'initdb')} (install postgresql-15)`;
    return undefined;
  }

  async create(): Promise<void> {
    this.primaryPort = await freePort();
    this.standbyPort = await freePort();
    this.ownByPostgres(this.dir);
    run('initdb', ['-D', this.primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    appendFileSync(
      join(this.primaryDir, 'postgresql.conf'),
      [
        `port = ${this.primaryPort}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${this.dir}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'hot_standby = on',
        // Every acknowledged commit is flushed on the standby first.
        `synchronous_standby_names = 'standby1'`,
        'synchronous_commit = on',
        // This test kills processes, not machines: the OS keeps what was written; fsync would only slow
        // the shared 2-core machine down.
        'fsync = off',
        'shared_buffers = 32MB',
        'max_connections = 60',
        '',
      ].join('\n'),
    );
    this.start(this.primaryDir);
    run('pg_basebackup', [
      '-h', '127.0.0.1', '-p', String(this.primaryPort), '-U', 'postgres', '-D', this.standbyDir, '-R', '-X', 'stream',
    ]);
    appendFileSync(
      join(this.standbyDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${this.primaryPort} user=postgres application_name=standby1'\n`,
    );
    appendFileSync(join(this.standbyDir, 'postgresql.conf'), `port = ${this.standbyPort}\n`);
    this.start(this.standbyDir);
    await this.waitFor(this.primaryPort, async (client) => {
      const { rows } = await client.query(`SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'`);
      return rows[0]?.sync_state === 'sync';
    });
  }

  url(port: number, database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${port}/${database}`;
  }

  /** The postmaster's pid, from its pid file. */
  postmasterPid(dataDir: string): number {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  /** kill -9 the primary's postmaster and every backend of it (a machine gone, as far as clients see). */
  killPrimary(): void {
    const pid = this.postmasterPid(this.primaryDir);
    const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    process.kill(pid, 'SIGKILL');
    for (const child of children) {
      try {
        process.kill(Number(child), 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }

  /**
   * Promotes the standby and makes it a primary that does not wait for a standby it no longer has (what
   * a failover manager does: Patroni rewrites synchronous_standby_names the same way).
   */
  async promoteStandby(): Promise<void> {
    run('pg_ctl', ['promote', '-D', this.standbyDir, '-w', '-t', '60']);
    await this.waitFor(this.standbyPort, async (client) => {
      const { rows } = await client.query('SELECT pg_is_in_recovery() AS recovery');
      return rows[0].recovery === false;
    });
    const client = new Client({ connectionString: this.url(this.standbyPort) });
    await client.connect();
    try {
      await client.query(`ALTER SYSTEM SET synchronous_standby_names = ''`);
      await client.query('SELECT pg_reload_conf()');
    } finally {
      await client.end();
    }
  }

  async query<R extends Record<string, unknown>>(port: number, sql: string, values: unknown[] = []): Promise<R[]> {
    const client = new Client({ connectionString: this.url(port), connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  destroySync(): void {
    for (const dataDir of [this.primaryDir, this.standbyDir]) {
      if (!existsSync(join(dataDir, 'postmaster.pid'))) continue;
      try {
        process.kill(this.postmasterPid(dataDir), 'SIGKILL');
      } catch {
        // not running
      }
    }
    // Backends of a killed postmaster exit on their own when they notice; give them no files to keep.
    rmSync(this.dir, { recursive: true, force: true });
  }

  async destroy(): Promise<void> {
    for (const dataDir of [this.primaryDir, this.standbyDir]) {
      if (existsSync(join(dataDir, 'postmaster.pid'))) {
        spawnSync(process.getuid?.() === 0 ? 'runuser' : join(PG_BIN, 'pg_ctl'), [
          ...(process.getuid?.() === 0 ? ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl')] : []),
          'stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '20',
        ]);
      }
    }
    this.destroySync();
  }

  private start(dataDir: string): void {
    run('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(this.dir, `${dataDir === this.primaryDir ? 'primary' : 'standby'}.log`)]);
  }

  private ownByPostgres(dir: string): void {
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  }

  private async waitFor(port: number, ready: (client: Client) => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = new Client({ connectionString: this.url(port), connectionTimeoutMillis: 2_000 });
      try {
        await client.connect();
        if (await ready(client)) return;
      } catch {
        // not up yet
      } finally {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) throw new Error(`PostgreSQL on port ${port} was not ready in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
