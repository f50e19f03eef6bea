/** Time comes in through this, so tests can fix it. */
export type Clock = { now: () => Date };
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone and shape, kept.
const formats = new Map<string, Intl.DateTimeFormat>();

/** A kept Intl.DateTimeFormat for this locale, zone and options. */
export function zoneFormat(
  locale: string,
  timeZone: string,
  options: Omit<Intl.DateTimeFormatOptions, "timeZone">,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

const DAY = { year: "numeric", month: "2-digit", day: "2-digit" } as const;

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function dateInZone(instant: Date, timeZone: string): string {
  return zoneFormat("en-CA", timeZone, DAY).format(instant);
}
