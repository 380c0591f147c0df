import { X509Certificate, createVerify } from 'node:crypto';
import type { FieldError } from '../errors.ts';
import type { Attachments } from './attachments.ts';
import { comparable } from './statement-form.ts';
import { isRecord } from './values.ts';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';
const ALGORITHMS: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

type Json = Record<string, unknown>;

const decode = (segment: string): Json | null => {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
};

/** The statement without its signature attachments: what the signer signed. */
function unsigned(statement: Json): Json {
  const rest = Array.isArray(statement.attachments) ? statement.attachments.filter((a) => !(isRecord(a) && a.usageType === SIGNATURE_USAGE)) : [];
  const { attachments: _a, ...core } = statement;
  return rest.length > 0 ? { ...core, attachments: rest } : core;
}

/**
 * A signed statement's JWS must be well formed (compact, RS256/384/512), carry the statement as it was
 * before signing (equivalent to the one received, ignoring what the LRS may set), and verify against
 * its x5c certificate when it names one.
 */
export function signatureErrors(statement: Json, sent: Attachments): FieldError[] {
  const list = Array.isArray(statement.attachments) ? statement.attachments : [];
  return list.flatMap((a, i): FieldError[] => {
    if (!isRecord(a) || a.usageType !== SIGNATURE_USAGE) return [];
    const field = `attachments.${i}`;
    if (a.contentType !== 'application/octet-stream') return [{ field: `${field}.contentType`, reason: 'a signature must be application/octet-stream' }];
    const content = typeof a.sha2 === 'string' ? sent.get(a.sha2.toLowerCase()) : undefined;
    if (!content) return [{ field: `${field}.sha2`, reason: 'the signature must be sent as a multipart/mixed part' }];
    const reason = jwsProblem(content.content.toString('utf8').trim(), statement);
    return reason ? [{ field, reason }] : [];
  });
}

function jwsProblem(jws: string, statement: Json): string | null {
  const segments = jws.split('.');
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]*$/.test(s))) return 'is not a JWS in compact serialization';
  const [head, body, signature] = segments as [string, string, string];
  const header = decode(head);
  if (!header) return 'the JWS header is not JSON';
  const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (!algorithm) return 'the JWS must use RS256, RS384 or RS512';
  const payload = decode(body);
  if (!payload) return 'the JWS payload is not a statement';
  const received = unsigned(statement);
  const sameId = payload.id === undefined || String(payload.id).toLowerCase() === String(received.id).toLowerCase();
  if (!sameId || comparable(payload, payload.timestamp === undefined) !== comparable(received, payload.timestamp === undefined)) {
    return 'the signed statement (the JWS payload) differs from the statement received';
  }
  if (header.x5c !== undefined) {
    try {
      const [first] = header.x5c as string[];
      const key = new X509Certificate(Buffer.from(String(first), 'base64')).publicKey;
      if (!createVerify(algorithm).update(`${head}.${body}`).verify(key, Buffer.from(signature, 'base64url'))) {
        return 'the JWS signature does not verify against its x5c certificate';
      }
    } catch {
      return 'the x5c certificate of the JWS cannot be read';
    }
  }
  return null;
}
