/** Moscow-time arithmetic. Moscow has kept UTC+3 all year since 2014, so a fixed offset is exact. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const MOSCOW_OFFSET_MS = 3 * HOUR_MS;

/** The Moscow midnight at or before `ms`. */
export const moscowMidnight = (ms: number): number =>
  Math.floor((ms + MOSCOW_OFFSET_MS) / DAY_MS) * DAY_MS - MOSCOW_OFFSET_MS;

/** `2026-03-01T20:15:00+03:00`: the community's local time, whole seconds. */
export const moscowIso = (ms: number): string =>
  `${new Date(ms + MOSCOW_OFFSET_MS).toISOString().slice(0, 19)}+03:00`;

export interface Day {
  /** Days since the first generated midnight; member join and leave days use the same count. */
  index: number;
  start: number;
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  weekday: number;
  month: number;
  date: number;
  /** Multiplies the chance of showing up: holidays dip, September surges. */
  season: number;
}

export function dayAt(index: number, start: number): Day {
  const local = new Date(start + MOSCOW_OFFSET_MS);
  const month = local.getUTCMonth() + 1;
  const date = local.getUTCDate();
  return { index, start, weekday: local.getUTCDay() || 7, month, date, season: season(month, date) };
}

function season(month: number, date: number): number {
  if ((month === 12 && date >= 30) || (month === 1 && date <= 8)) return 0.35; // New Year holidays
  if (month === 8) return 0.65; // summer holidays
  if (month === 5 && date <= 10) return 0.75; // May holidays
  if (month === 7) return 0.85;
  if (month === 9 || month === 10) return 1.1; // back to study
  return 1;
}
