import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small private filesystem (tmpfs) that a test can fill to the last byte: the only honest way to see
 * what SQLite and the api do on a full disk (SQLite's own max_page_count does not stop the WAL growing).
 * Needs root (mount); `available()` says why not otherwise. Always `unmount()` in a finally/afterAll.
 */
export class SmallDisk {
  readonly dir: string;
  private mounted = false;

  constructor(private readonly sizeKiB = 2048) {
    this.dir = mkdtempSync(join(tmpdir(), 'wasteflow-small-disk-'));
  }

  /** Mounts it; undefined when done, else why it cannot be (not root, no mount permission). */
  mount(options: { readOnly?: boolean } = {}): string | undefined {
    const flags = `size=${this.sizeKiB}k,mode=0777${options.readOnly ? ',ro' : ''}`;
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', this.dir], {
      encoding: 'utf8',
    });
    if (result.status !== 0) return (result.stderr || result.error?.message || `mount exit ${result.status}`).trim();
    this.mounted = true;
    return undefined;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Fills every free byte with one file. */
  fill(): void {
    try {
      writeFileSync(this.path('filler'), Buffer.alloc(this.sizeKiB * 1024 * 2));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }

  /** Frees what fill() took. */
  free(): void {
    rmSync(this.path('filler'), { force: true });
  }

  unmount(): void {
    if (this.mounted) spawnSync('umount', ['-l', this.dir]);
    this.mounted = false;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * `describe` for suites that need a SmallDisk: skipped with one printed reason where mounting is not
 * allowed, except under CI=true (root on our machines and CI's), where that is a failure.
 */
export function describeWithSmallDisk(name: string, body: () => void): void {
  const probe = new SmallDisk(64);
  const why = probe.mount();
  probe.unmount();
  if (why === undefined) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a small tmpfs (mount as root)', () => {
        throw new Error(`cannot mount a tmpfs (CI=true): ${why}`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": cannot mount a tmpfs (${why})`);
    describe.skip(name, body);
  }
}
