import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ERROR_CATALOGUES, type DomainErrorKind } from './errors';

/**
 * The errors reference in libs/domain/README.md is the index (DOMAIN_ERRORS by catalogue) printed: this
 * test fails when they differ. `UPDATE_DOCS=1 npx jest errors-reference` rewrites the README's table.
 */
const README = join(__dirname, '..', 'README.md');
const START = '<!-- errors reference: generated from ERROR_CATALOGUES (errors-reference.unit.spec.ts) -->';
const END = '<!-- end of errors reference -->';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  fault: 500,
};

const FILES: Record<keyof typeof ERROR_CATALOGUES, string> = {
  values: 'values/value.errors.ts',
  catalogue: 'catalogue/catalogue.errors.ts',
  calendar: 'calendar/calendar.errors.ts',
  party: 'party/party.errors.ts',
  batch: 'batch/batch.errors.ts',
  manifest: 'manifest/manifest.errors.ts',
  alert: 'alert/alert.errors.ts',
  transfer: 'transfer/transfer-approval.errors.ts',
  events: 'events/event.errors.ts',
};

function reference(): string {
  const rows = Object.entries(ERROR_CATALOGUES).flatMap(([catalogue, classes]) =>
    classes.map(
      (c) =>
        `| ${c.name} | \`${c.rule}\` | ${c.kind} | ${c.kind === 'fault' ? '500 `internal-error`' : STATUS[c.kind]} | \`${FILES[catalogue as keyof typeof FILES]}\` |`,
    ),
  );
  return [
    START,
    '| error | rule | kind | HTTP | declared in (`libs/domain/src/…`) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    END,
  ].join('\n');
}

describe('the errors reference (libs/domain/README.md)', () => {
  it('lists every error of the index with its rule, kind, HTTP status and catalogue', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const expected = reference();
    if (process.env.UPDATE_DOCS === '1')
      writeFileSync(README, `${readme.slice(0, start)}${expected}${readme.slice(end + END.length)}`);
    else expect(readme.slice(start, end + END.length)).toBe(expected);
  });
});
