import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WriteReadiness } from '../event-store.port';

/**
 * Less free space than this on the data directory's filesystem counts as full: SQLite needs room for
 * WAL frames and a checkpoint before a commit can succeed, and a nearly full disk fails the next one.
 */
export const MIN_FREE_BYTES = 4 * 1024 * 1024;

/** Whether SQLite files can be written: their directory (and the files, if any) writable, space left. */
export async function fileWriteReadiness(files: readonly string[]): Promise<WriteReadiness> {
  const dirs = [...new Set(files.map((file) => dirname(file)))];
  for (const dir of dirs) {
    try {
      await access(dir, constants.W_OK);
    } catch (error) {
      return { writable: false, reason: `the data directory is not writable (${codeOf(error)})` };
    }
    const stats = await statfs(dir);
    const free = Number(stats.bavail) * Number(stats.bsize);
    if (free < MIN_FREE_BYTES) return { writable: false, reason: `the disk is full (${free} bytes free)` };
  }
  for (const file of files) {
    try {
      await access(file, constants.W_OK);
    } catch (error) {
      // Not created yet is fine: the directory is writable.
      if (codeOf(error) !== 'ENOENT')
        return { writable: false, reason: `a database file is not writable (${codeOf(error)})` };
    }
  }
  return { writable: true };
}

/**
 * The data directory can take files: one clear sentence for a start-up refusal, or undefined. Root
 * passes permission checks, so a read-only mount (EROFS) is what stops it there.
 */
export async function dataDirectoryProblem(dir: string): Promise<string | undefined> {
  // A directory not made yet will be made in its nearest existing ancestor: that one must be writable.
  for (let candidate = dir; ; candidate = dirname(candidate)) {
    try {
      await access(candidate, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'ENOENT' || dirname(candidate) === candidate)
        return `the data directory ${dir} is not writable (${code}): every write would fail`;
    }
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
