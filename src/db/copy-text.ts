const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;

/** One value in PostgreSQL's COPY text format: `\N` for null, backslash escapes for the separators. */
export const copyText = (value: string | number | null): string => {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Most values hold nothing to escape: testing is cheaper than replacing.
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => COPY_ESCAPES[c]!) : value;
};

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One row of COPY text input. */
export const copyRow = (values: (string | number | null)[]): string => `${values.map(copyText).join('\t')}\n`;
