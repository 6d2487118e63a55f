/**
 * How the console writes numbers: masses in kg below a tonne and in t from a tonne up (the API speaks kg
 * with at most 3 decimals), rates as percentages with one decimal, and "—" where a rate has no
 * denominator (the API's null). Pure functions over Intl, tested in format.unit.spec.ts.
 */
export type Locale = 'zh-CN' | 'en';

export function formatKg(kg: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(kg);
}

/** `950 kg`, `1.25 t`, `12,345.7 t`; tonnes with at most 3 decimals (kilogram precision). */
export function formatMass(kg: number | null | undefined, locale: Locale): string {
  if (kg === null || kg === undefined || !Number.isFinite(kg)) return '—';
  if (Math.abs(kg) < 1000) return `${formatKg(kg, locale)} kg`;
  const tonnes = kg / 1000;
  const digits = Math.abs(tonnes) >= 100 ? 1 : 3;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(tonnes)} t`;
}

/** A rate (0…1, or null) as a percentage: 0.9920031 → `99.2 %`; 1 → `100 %`; null → `—`. */
export function formatRate(rate: number | null | undefined, locale: Locale): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(
    Math.floor(rate * 1000 + 1e-9) / 10,
  );
  return `${percent} %`;
}

/** A target as the plan states it: `< 5 %` for the landfill rate, `≥ 90 %` / `= 100 %` for the others. */
export function formatTarget(indicator: string, target: number, locale: Locale): string {
  const value = formatRate(target, locale);
  if (indicator === 'landfillRate') return `< ${value}`;
  return target >= 1 ? `= ${value}` : `≥ ${value}`;
}

/** An instant in China Standard Time, the zone every period of the ledger is cut in: `2026-11-29 14:05`. */
export function formatCst(instant: string | null | undefined): string {
  if (!instant) return '—';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const cst = new Date(ms + 8 * 3600_000).toISOString();
  return `${cst.slice(0, 10)} ${cst.slice(11, 16)}`;
}

/** Now as an ISO 8601 time with the +08:00 offset (what occurredAt fields take), to the second. */
export function nowCst(now: Date = new Date()): string {
  const cst = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `${cst.slice(0, 19)}+08:00`;
}

/** An `<input type="datetime-local">` value read as CST → ISO 8601 with +08:00. */
export function localInputToCst(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00+08:00`;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value) ? `${value}+08:00` : value;
}

/** ISO 8601 (any offset) → the CST `datetime-local` input value, to the second (inputs use step="1"). */
export function cstToLocalInput(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
}
