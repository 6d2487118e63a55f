import { SETTINGS, type App, type SettingKey } from './settings';

const APP_NAMES: Record<App, string> = { api: 'api', projector: 'projector', cli: 'CLI' };

/** The default as the README prints it: its text, else the value in code type, else – (none). */
export function defaultOf(key: SettingKey): string {
  const definition = SETTINGS[key];
  if (definition.defaultText !== undefined) return definition.defaultText;
  return definition.default === undefined ? '–' : `\`${String(definition.default)}\``;
}

/**
 * The README's "Configuration" table, one row per setting in the table's order (between the markers
 * `<!-- settings: generated … -->` and `<!-- end of settings -->`; settings-readme.unit.spec.ts).
 */
export function settingsTable(): string {
  const rows = (Object.keys(SETTINGS) as SettingKey[]).map((key) => {
    const s = SETTINGS[key];
    const apps = (s.apps as readonly App[]).map((app) => APP_NAMES[app]).join(', ');
    return `| \`${s.name}\` | ${defaultOf(key)} | ${s.type} | ${apps} | ${s.description} |`;
  });
  return ['| variable | default | value | read by | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
