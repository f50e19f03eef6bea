/**
 * Numbers, percentages and dates in the organisation's locale and time zone (from /me).
 * Calendar dates (YYYY-MM-DD) are not instants: they are formatted in UTC so they never shift a day.
 */
export type OrgFormat = { locale: string; timeZone: string; currency: string };

export const defaultFormat: OrgFormat = { locale: "en-GB", timeZone: "UTC", currency: "EUR" };

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

export function formatNumber(f: OrgFormat, v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return cached(
    `n${f.locale}${digits}`,
    () => new Intl.NumberFormat(f.locale, { maximumFractionDigits: digits }),
  ).format(v);
}

/** 0.5 → "50 %" in the locale's style. */
export function formatPercent(f: OrgFormat, v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return cached(
    `p${f.locale}${digits}`,
    () => new Intl.NumberFormat(f.locale, { style: "percent", maximumFractionDigits: digits }),
  ).format(v);
}

export function formatCurrency(f: OrgFormat, v: number | null | undefined, code?: string | null): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const c = code || f.currency;
  return cached(
    `c${f.locale}${c}`,
    () => new Intl.NumberFormat(f.locale, { style: "currency", currency: c, maximumFractionDigits: 0 }),
  ).format(v);
}

/** A value in its metric's unit. */
export function formatValue(
  f: OrgFormat,
  v: number | null | undefined,
  unit?: string | null,
  currencyCode?: string | null,
): string {
  if (unit === "currency") return formatCurrency(f, v, currencyCode);
  if (unit === "percent") return `${formatNumber(f, v)} %`;
  return formatNumber(f, v, 2);
}

export function formatDay(f: OrgFormat, day: string | null | undefined): string {
  if (!day) return "—";
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return cached(
    `d${f.locale}`,
    () => new Intl.DateTimeFormat(f.locale, { dateStyle: "medium", timeZone: "UTC" }),
  ).format(d);
}

export function formatInstant(f: OrgFormat, iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return cached(
    `i${f.locale}${f.timeZone}`,
    () =>
      new Intl.DateTimeFormat(f.locale, { dateStyle: "medium", timeStyle: "short", timeZone: f.timeZone }),
  ).format(d);
}

/** Today's calendar date in the organisation's time zone, as YYYY-MM-DD. */
export function todayIn(f: OrgFormat): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: f.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
}
