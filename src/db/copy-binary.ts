/**
 * PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
 * Format"): each field is its length and its bytes, so the server stores numbers and timestamps
 * without reading them from text. Only the types Vklad bulk-loads this way are here.
 */

/** Signature, flags and header extension length. */
const HEADER = Uint8Array.of(0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
const TRAILER = -1;
const NULL = -1;
const JSONB_VERSION = 1;
const TWO_32 = 2 ** 32;
/** Strings up to this length are written by `shortUtf8`. */
const SHORT = 64;

/** Seconds and microseconds from the Unix epoch to PostgreSQL's, 2000-01-01 UTC. */
const PG_EPOCH_S = 946_684_800;
const PG_EPOCH_US = PG_EPOCH_S * 1e6;

/** Where a timestamp's fraction of a second starts: `YYYY-MM-DDTHH:mm:ss` is 19 characters. */
const FRACTION_AT = 19;

/**
 * An ISO 8601 timestamp with seconds and an offset, as event schemas accept it, as microseconds
 * since PostgreSQL's epoch, rounded as PostgreSQL rounds such text: the fraction read as a double,
 * times a million, to the nearest integer with ties to even (C's `rint`). Read digit by digit: it
 * runs once per stored event. Text of another shape throws, as PostgreSQL would refuse it.
 */
export function pgMicros(iso: string): number {
  if (iso[4] !== '-' || iso[7] !== '-' || iso[10] !== 'T' || iso[13] !== ':' || iso[16] !== ':') throw notTimestamp(iso);
  const days = daysFromCivil(digits(iso, 0, 4), digits(iso, 5, 7), digits(iso, 8, 10));
  let seconds = days * 86_400 + digits(iso, 11, 13) * 3600 + digits(iso, 14, 16) * 60 + digits(iso, 17, 19);
  let end = FRACTION_AT;
  let micros = 0;
  if (iso[FRACTION_AT] === '.') {
    end += 1;
    while (end < iso.length && iso.charCodeAt(end) >= 48 && iso.charCodeAt(end) <= 57) end += 1;
    const places = end - FRACTION_AT - 1;
    if (places === 0) throw notTimestamp(iso);
    // Up to six digits the fraction is whole microseconds; past that, PostgreSQL's arithmetic decides.
    micros = places <= 6 ? digits(iso, FRACTION_AT + 1, end) * 10 ** (6 - places) : rint(Number(iso.slice(FRACTION_AT, end)) * 1e6);
  }
  if (iso[end] === 'Z' && iso.length === end + 1) return (seconds - PG_EPOCH_S) * 1e6 + micros;
  if ((iso[end] !== '+' && iso[end] !== '-') || iso[end + 3] !== ':' || iso.length !== end + 6) throw notTimestamp(iso);
  seconds -= (iso[end] === '-' ? -1 : 1) * (digits(iso, end + 1, end + 3) * 3600 + digits(iso, end + 4, end + 6) * 60);
  return (seconds - PG_EPOCH_S) * 1e6 + micros;
}

const notTimestamp = (text: string) => new Error(`"${text}" is not an ISO 8601 timestamp with seconds and an offset`);

function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) throw notTimestamp(text);
    value = value * 10 + digit;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

function rint(x: number): number {
  const rounded = Math.round(x);
  return rounded - x === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** The UTC ISO 8601 text of microseconds since PostgreSQL's epoch, with the microseconds when there are any. */
export function isoOfPgMicros(micros: number): string {
  const unix = micros + PG_EPOCH_US;
  const ms = Math.floor(unix / 1000);
  const rest = unix - ms * 1000;
  const iso = new Date(ms).toISOString();
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

/** Writes binary COPY input into a buffer that grows as needed. */
export class CopyBinaryWriter {
  private buffer = Buffer.allocUnsafeSlow(16 * 1024);
  private at = 0;

  get length(): number {
    return this.at;
  }

  /** The signature that starts COPY input. */
  header(): void {
    this.bytes(HEADER);
  }

  /** The mark that ends COPY input. */
  trailer(): void {
    this.int16(TRAILER);
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.int16(fields);
  }

  /** A bigint field (`null` for NULL); `value` is a safe integer. */
  int8(value: number | null): void {
    if (value === null) return this.int32(NULL);
    this.room(12);
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeInt32BE(Math.floor(value / TWO_32), this.at);
    this.at = this.buffer.writeUInt32BE(value >>> 0, this.at);
  }

  /** A timestamptz field from an ISO 8601 timestamp with an offset (see `pgMicros`). */
  timestamptz(iso: string): void {
    this.int8(pgMicros(iso));
  }

  /** A text field (`null` for NULL). */
  text(value: string | null): void {
    if (value === null) return this.int32(NULL);
    this.utf8(value, null);
  }

  /** A jsonb field from JSON text. */
  jsonb(json: string): void {
    this.utf8(json, JSONB_VERSION);
  }

  /** Bytes written by another writer, as they are (fields laid out elsewhere). */
  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** What was written, in a buffer of its own (which can be transferred to another thread); starts over. */
  take(): Uint8Array<ArrayBuffer> {
    const taken = new Uint8Array(this.at);
    taken.set(this.buffer.subarray(0, this.at));
    this.at = 0;
    return taken;
  }

  /** A length and the UTF-8 of `value`, after a version byte if there is one (jsonb's). */
  private utf8(value: string, version: number | null): void {
    const prefix = version === null ? 0 : 1;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the length is known only once written.
    this.room(4 + prefix + value.length * 3);
    const start = this.at + 4 + prefix;
    if (version !== null) this.buffer[start - 1] = version;
    const written = value.length <= SHORT ? this.shortUtf8(value, start) : this.buffer.write(value, start, 'utf8');
    this.buffer.writeInt32BE(prefix + written, this.at);
    this.at = start + written;
  }

  /** Writes a short string byte by byte while it is ASCII (most are): cheaper than a call into Node's encoder. */
  private shortUtf8(value: string, start: number): number {
    const buffer = this.buffer;
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return buffer.write(value, start, 'utf8');
      buffer[start + i] = code;
    }
    return value.length;
  }

  private int16(value: number): void {
    this.room(2);
    this.at = this.buffer.writeInt16BE(value, this.at);
  }

  private int32(value: number): void {
    this.room(4);
    this.at = this.buffer.writeInt32BE(value, this.at);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }
}

/** Reads back fields written by `CopyBinaryWriter`, in the order they were written. */
export class CopyBinaryReader {
  private readonly buffer: Buffer;
  private at = 0;

  constructor(bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  int8(): number | null {
    if (this.length() === NULL) return null;
    const high = this.buffer.readInt32BE(this.at);
    const low = this.buffer.readUInt32BE(this.at + 4);
    this.at += 8;
    return high * TWO_32 + low;
  }

  /** A timestamptz field as UTC ISO 8601 text (see `isoOfPgMicros`). */
  timestamptz(): string | null {
    const micros = this.int8();
    return micros === null ? null : isoOfPgMicros(micros);
  }

  text(): string | null {
    const length = this.length();
    if (length === NULL) return null;
    this.at += length;
    return this.buffer.toString('utf8', this.at - length, this.at);
  }

  /** A jsonb field as its JSON text. */
  jsonb(): string {
    const length = this.length();
    this.at += length;
    return this.buffer.toString('utf8', this.at - length + 1, this.at);
  }

  private length(): number {
    this.at += 4;
    return this.buffer.readInt32BE(this.at - 4);
  }
}
