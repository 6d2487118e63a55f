import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes an embedded database file private to the user running the process before SQLite opens it
 * (DESIGN.md §10): its directory 0700, the file 0600, created so if it does not exist yet. SQLite gives
 * the `-wal`, `-shm` and `-journal` files it creates later the permissions of the database file, so
 * they are 0600 too; those already there are set to 0600 here. Files and directories of another user
 * are left as they are (chmod would fail; their owner decides). `:memory:` and URIs are ignored.
 */
export function preparePrivateFile(file: string): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return;
  const directory = dirname(file);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  makePrivate(directory, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(path)) makePrivate(path, 0o600);
  }
}

function makePrivate(path: string, mode: number): void {
  const owner = statSync(path).uid;
  if (process.getuid && owner !== process.getuid()) return;
  chmodSync(path, mode);
}
