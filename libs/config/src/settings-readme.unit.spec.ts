import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { SETTINGS, type SettingKey } from './settings';
import { defaultOf, settingsTable } from './settings-table';

/**
 * The README's "Configuration" table is SETTINGS printed: this test fails when they differ (a variable
 * added, renamed or given another default in one place only). `UPDATE_DOCS=1 npx jest settings-readme`
 * rewrites the table from SETTINGS.
 */
const README = join(__dirname, '..', '..', '..', 'README.md');
const START = '<!-- settings: generated from SETTINGS (libs/config/src/settings.ts; settings-readme.unit.spec.ts) -->';
const END = '<!-- end of settings -->';

describe('the Configuration table of README.md', () => {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);

  it('is SETTINGS printed, every variable with its default', () => {
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const expected = `${START}\n${settingsTable()}\n${END}`;
    if (process.env.UPDATE_DOCS === '1')
      writeFileSync(README, `${readme.slice(0, start)}${expected}${readme.slice(end + END.length)}`);
    else expect(readme.slice(start, end + END.length)).toBe(expected);
  });

  it('names each setting and its default in its own row', () => {
    const table = readme.slice(start, end);
    for (const key of Object.keys(SETTINGS) as SettingKey[]) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${SETTINGS[key].name}\` |`));
      expect(row).toBeDefined();
      expect(row?.split(' | ')[1]).toBe(defaultOf(key));
    }
  });

  it('names no variable that SETTINGS does not know, anywhere in the README', () => {
    const known = new Set(Object.values(SETTINGS).map((s) => s.name));
    const named = [...readme.matchAll(/\b(WASTEFLOW_[A-Z0-9_]*[A-Z0-9]|PROJECTOR_[A-Z]+|KURRENTDB_URL|EVENTSTORE_URL)\b/g)].map(
      (m) => m[1],
    );
    expect([...new Set(named)].filter((name) => !known.has(name))).toEqual([]);
  });
});
