import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '../config/api-config';
import { API_CONFIG } from '../storage/storage.module';

/** Where `npm run build:web` writes the console, relative to the repository. */
export const CONSOLE_BUILD_DIR = join('dist', 'web');

/**
 * The built console (apps/web → dist/web): its directory and its `index.html`. The directory is
 * WASTEFLOW_CONSOLE_DIR when set, else dist/web of the checkout the api runs from (found from this file,
 * compiled under dist/apps/api/src/console or run from source under apps/api/src/console). No console
 * built is not an error: the api serves its API, and the pages answer 503 saying how to build them.
 */
@Injectable()
export class ConsoleAssets {
  readonly directory: string | undefined;
  private cached: { mtimeMs: number; html: string } | undefined;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.directory = consoleDirectory(config.consoleDir);
  }

  /** The page every client route loads; re-read when the file changed (a rebuild while running). */
  indexHtml(): string | undefined {
    if (!this.directory) return undefined;
    const file = join(this.directory, 'index.html');
    try {
      const { mtimeMs } = statSync(file);
      if (this.cached?.mtimeMs !== mtimeMs) this.cached = { mtimeMs, html: readFileSync(file, 'utf8') };
      return this.cached.html;
    } catch {
      return undefined;
    }
  }
}

export function consoleDirectory(configured: string | undefined): string | undefined {
  const candidates = configured?.trim()
    ? [isAbsolute(configured) ? configured : resolve(configured)]
    : [
        // compiled: dist/apps/api/src/console → dist/web
        resolve(__dirname, '..', '..', '..', '..', 'web'),
        // from source (tests, start:dev): apps/api/src/console → dist/web
        resolve(__dirname, '..', '..', '..', '..', CONSOLE_BUILD_DIR),
      ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}
