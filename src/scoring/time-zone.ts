export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Local days and weeks in one IANA time zone, without the clock. Asking Intl for an offset takes
 * microseconds, so offsets are cached per UTC hour; an hour in which the offset changes is not cached.
 */
export class TimeZone {
  private readonly format: Intl.DateTimeFormat;
  private readonly byHour = new Map<number, number>();
  private lastHour = Number.NaN;
  private lastOffset = 0;

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local wall-clock time of `at`, as ms since 1970-01-01T00:00 local. */
  local(at: number): number {
    const hour = Math.floor(at / HOUR_MS);
    if (hour === this.lastHour) return at + this.lastOffset;
    let offset = this.byHour.get(hour);
    if (offset === undefined) {
      offset = this.offsetAt(hour * HOUR_MS);
      if (offset !== this.offsetAt(hour * HOUR_MS + HOUR_MS - 1)) return at + this.offsetAt(at);
      this.byHour.set(hour, offset);
    }
    this.lastHour = hour;
    this.lastOffset = offset;
    return at + offset;
  }

  /** Local day number (days since 1970-01-01 local). */
  day(at: number): number {
    return Math.floor(this.local(at) / DAY_MS);
  }

  /** The instant local midnight of `date` (YYYY-MM-DD) begins. */
  midnight(date: string): number {
    const wall = Date.parse(`${date}T00:00:00Z`);
    const guess = wall - this.offsetAt(wall);
    return wall - this.offsetAt(guess);
  }

  private offsetAt(at: number): number {
    const parts: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000) * 60_000;
  }
}

/** Week number of a local day; weeks start on Monday (day 0, 1970-01-01, was a Thursday). */
export const weekOfDay = (day: number): number => Math.floor((day + 3) / 7);

/** The date (YYYY-MM-DD) of a local day number. */
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The date of the Monday a week starts on. */
export const dateOfWeek = (week: number): string => dateOfDay(week * 7 - 3);
