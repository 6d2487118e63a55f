/**
 * The console's page policy: everything from this origin (scripts, styles, fonts, the API), images also
 * as data: URLs (ECharts' export, inline SVG icons), nothing inline, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The console has not been built into the directory the api serves (503 problem document). */
export class ConsoleNotBuilt extends Error {
  readonly status = 503;
  readonly rule = 'console-not-built';
  readonly details = { build: 'npm run build:web' };
  constructor() {
    super('the console is not built: run `npm run build:web` (npm start does it) and reload');
    this.name = 'ConsoleNotBuilt';
  }
}
