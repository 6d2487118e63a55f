import { SettingRefused } from './configuration-error';

/**
 * The parsers of the settings table. Each receives the value trimmed and never empty (an empty value is
 * the same as an unset one: the default applies) and the variable's name, and returns the typed value or
 * throws SettingRefused with one line that names the variable and what it must be.
 */
export type Parse<T> = (raw: string, name: string) => T;

const MIB = 1024 * 1024;

/** A TCP port, 0 (a free one) to 65535. */
export const port: Parse<number> = (raw, name) => {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
    throw new SettingRefused(`${name} must be a TCP port number, not ${raw}`);
  return Number(raw);
};

/** A TCP port, or `off` (`none`): serve nothing. */
export const portOrOff: Parse<number | 'off'> = (raw, name) => {
  const value = raw.toLowerCase();
  if (value === 'off' || value === 'none') return 'off';
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new SettingRefused(`${name} must be a TCP port number or off, not ${raw}`);
  return Number(value);
};

/** `on` or `off` (any case). */
export const onOff: Parse<boolean> = (raw, name) => {
  const value = raw.toLowerCase();
  if (value !== 'on' && value !== 'off') throw new SettingRefused(`${name} must be on or off, not ${raw}`);
  return value === 'on';
};

/** One of `values` (any case), with `aliases` mapped to one of them. */
export function oneOf<const V extends string>(
  values: readonly V[],
  aliases: Readonly<Record<string, V>> = {},
): Parse<V> {
  return (raw, name) => {
    const value = raw.toLowerCase();
    const found = (values as readonly string[]).includes(value) ? (value as V) : aliases[value];
    if (found === undefined)
      throw new SettingRefused(
        `${name} must be ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}, not ${raw}`,
      );
    return found;
  };
}

/** A whole number of at least `min` (a safe integer). */
export function wholeNumber(min: number): Parse<number> {
  return (raw, name) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min)
      throw new SettingRefused(`${name} must be a whole number of at least ${min}, not ${raw}`);
    return value;
  };
}

/** Bytes: a whole number, or with the unit KiB or MiB (`8MiB`); at least 1. */
export const bytes: Parse<number> = (raw, name) => {
  const match = /^(\d+)\s*(KiB|MiB)?$/i.exec(raw);
  const value = match
    ? Number(match[1]) * ({ kib: 1024, mib: MIB }[match[2]?.toLowerCase() ?? ''] ?? 1)
    : NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new SettingRefused(`${name} must be a number of bytes (or KiB / MiB), not ${raw}`);
  return value;
};

/** Milliseconds: a whole number from 10 (at most nine digits). */
export const milliseconds: Parse<number> = (raw, name) => {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 10)
    throw new SettingRefused(`${name} must be a whole number of milliseconds ≥ 10, not ${raw}`);
  return Number(raw);
};

/** Days: a whole number from 1 (at most five digits). */
export const wholeDays: Parse<number> = (raw, name) => {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1)
    throw new SettingRefused(`${name} must be a whole number of days ≥ 1, not ${raw}`);
  return Number(raw);
};

/** Days: a positive number, fractions allowed (`0.5`). */
export const positiveDays: Parse<number> = (raw, name) => {
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0) || !Number.isFinite(value))
    throw new SettingRefused(`${name} must be a positive number of days, not ${JSON.stringify(raw)}`);
  return value;
};

/** A lower-case SQL identifier of at most 41 characters (a schema name prefix). */
export const sqlIdentifier: Parse<string> = (raw, name) => {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(raw))
    throw new SettingRefused(`${name} must be a lower-case SQL identifier`);
  return raw;
};

/**
 * A base URL: absolute http(s), without query, fragment or user; returned without trailing slashes
 * (`https://trace.example.cn/wf/` → `https://trace.example.cn/wf`).
 */
export const httpBaseUrl: Parse<string> = (raw, name) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingRefused(`${name} must be an absolute URL, not ${raw}`);
  }
  if (
    !['http:', 'https:'].includes(url.protocol) ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  )
    throw new SettingRefused(`${name} must be an http(s) URL without query, fragment or user, not ${raw}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
};

/** The shortest bootstrap admin token or metrics token accepted (DESIGN.md §10). */
export const MIN_STATIC_TOKEN_LENGTH = 32;

/** A static bearer token: long enough not to be guessed. */
export const staticToken: Parse<string> = (raw, name) => {
  if (raw.length < MIN_STATIC_TOKEN_LENGTH)
    throw new SettingRefused(
      `${name} must be at least ${MIN_STATIC_TOKEN_LENGTH} characters (it has ${raw.length}); e.g. openssl rand -hex 32`,
    );
  return raw;
};

/** Any text (a path, a URL handed to a client library, a token): taken as it is. */
export const text: Parse<string> = (raw) => raw;

/** Comma-separated items, each trimmed, empty items dropped. */
export const list: Parse<readonly string[]> = (raw) =>
  Object.freeze(
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
