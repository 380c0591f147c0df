/** One value in PostgreSQL's COPY text format: `\N` for null, backslash escapes for the separators. */
export const copyText = (value: string | number | null): string =>
  value === null ? '\\N' : String(value).replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!);

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One row of COPY text input. */
export const copyRow = (values: (string | number | null)[]): string => `${values.map(copyText).join('\t')}\n`;
