import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { USE_CASE_ACCESS } from '@wasteflow/ledger';
import { WRITE_DEFINITIONS } from './write-registry';

/**
 * The write use cases table in README.md ("HTTP API") is the registry printed: this test fails when they
 * differ. `UPDATE_DOCS=1 npx jest write-reference` rewrites it.
 */
const README = join(__dirname, '..', '..', '..', '..', 'README.md');
const START =
  '<!-- write use cases: generated from WRITES (apps/api/src/writes/write-reference.unit.spec.ts) -->';
const END = '<!-- end of write use cases -->';

function reference(): string {
  const rows = WRITE_DEFINITIONS.map((entry) => {
    const who = USE_CASE_ACCESS[entry.type].join(', ');
    const bulk = entry.bulk ? 'yes' : 'no';
    const what = entry.summary.replace(/\|/g, '\\|');
    return `| \`${entry.type}\` | \`${entry.route}\` | ${who} | ${bulk} | ${what} |`;
  });
  return [
    START,
    '| use case (`POST /v1/commands` type) | route | token kinds | in bulk | what |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    END,
  ].join('\n');
}

describe('the write use cases table (README.md)', () => {
  it('lists every use case of the registry with its route, token kinds, bulk and summary', () => {
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
