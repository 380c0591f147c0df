import { createHash } from 'node:crypto';
import { invalid } from '../errors.ts';

export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** The boundary of a multipart/mixed content type, or null when the type is something else. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/mixed\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!match) throw invalid([{ field: 'Content-Type', reason: 'multipart/mixed needs a boundary parameter' }]);
  return match[1] ?? match[2]!;
}

/** Splits a multipart/mixed body (RFC 2046) into its parts, headers lowercased. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw invalid([{ field: '(body)', reason: 'has no part with the declared boundary' }]);
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, at);
    if (next < 0) throw invalid([{ field: '(body)', reason: 'the multipart body is not closed by its boundary' }]);
    // The part runs from after the delimiter's line break to before the next delimiter's line break.
    const start = body.subarray(at, at + 2).toString() === '\r\n' ? at + 2 : at;
    const end = body.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next;
    parts.push(partOf(body.subarray(start, end)));
    at = next;
  }
}

function partOf(raw: Buffer): Part {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = split < 0 ? '' : raw.subarray(0, split).toString('utf8');
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: split < 0 ? raw : raw.subarray(split + 4) };
}

/** The SHA-2 digest of content in the length that a given hex hash has (SHA-224/256/384/512). */
export function sha2Matches(content: Buffer, hex: string): boolean {
  const algorithm = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' }[hex.length];
  return algorithm !== undefined && createHash(algorithm).update(content).digest('hex') === hex.toLowerCase();
}

/** A multipart/mixed body of parts, each with its own headers. */
export function multipartBody(boundary: string, parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const headers = Object.entries(part.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n`), part.body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
