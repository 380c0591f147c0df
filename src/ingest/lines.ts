import { createReadStream } from 'node:fs';

export interface Line {
  number: number;
  /** Null when the bytes are not valid UTF-8. */
  text: string | null;
  /** Bytes read so far, for progress. */
  offset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Streams a file in constant memory as the lines of each chunk read, decoding strictly as UTF-8.
 * A chunk is decoded in one call; only a chunk holding bad bytes is decoded line by line, to say which.
 */
export async function* readLines(path: string): AsyncGenerator<Line[]> {
  let carry: Buffer = Buffer.alloc(0);
  let number = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    offset += chunk.length;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const end = buffer.lastIndexOf(10) + 1;
    carry = Buffer.from(buffer.subarray(end));
    if (end === 0) continue;
    const lines = splitLines(buffer.subarray(0, end), number, offset);
    number += lines.length;
    yield lines;
  }
  if (carry.length > 0) yield [{ number: number + 1, text: trimCr(decode(carry)), offset }];
}

/** The lines of a run of whole lines (it ends with a newline). */
function splitLines(bytes: Buffer, before: number, offset: number): Line[] {
  const whole = decode(bytes);
  if (whole !== null) {
    const texts = whole.split('\n');
    texts.pop();
    return texts.map((text, i) => ({ number: before + i + 1, text: trimCr(text), offset }));
  }
  const lines: Line[] = [];
  for (let start = 0, end = bytes.indexOf(10); end !== -1; start = end + 1, end = bytes.indexOf(10, start)) {
    lines.push({ number: before + lines.length + 1, text: trimCr(decode(bytes.subarray(start, end))), offset });
  }
  return lines;
}

const trimCr = (text: string | null): string | null => (text !== null && text.endsWith('\r') ? text.slice(0, -1) : text);
