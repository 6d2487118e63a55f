export { ConfigurationError, SettingRefused } from './configuration-error';
export * as parsers from './parsers';
export { MIN_STATIC_TOKEN_LENGTH } from './parsers';
export {
  SETTINGS,
  type App,
  type Setting,
  type SettingKey,
  type SettingValue,
  type SettingsOf,
} from './settings';
export { rawSetting, readSettings, settingKeysOf, type Environment } from './read-settings';
export { defaultOf, settingsTable } from './settings-table';
