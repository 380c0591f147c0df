import { createReadStream } from 'node:fs';

export interface Line {
  number: number;
  /** Null when the bytes are not valid UTF-8. */
  text: string | null;
  /** Bytes read so far, for progress. */
  offset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Streams a file line by line in constant memory, decoding each line strictly as UTF-8. */
export async function* readLines(path: string): AsyncGenerator<Line> {
  let carry: Buffer = Buffer.alloc(0);
  let number = 0;
  let offset = 0;
  const decode = (bytes: Buffer): string | null => {
    try {
      return utf8.decode(bytes);
    } catch {
      return null;
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    offset += chunk.length;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      number += 1;
      const stop = end > start && buffer[end - 1] === 13 ? end - 1 : end;
      yield { number, text: decode(buffer.subarray(start, stop)), offset };
      start = end + 1;
    }
    carry = Buffer.from(buffer.subarray(start));
  }
  if (carry.length > 0) yield { number: number + 1, text: decode(carry), offset };
}
