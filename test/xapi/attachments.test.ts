import { X509Certificate, createHash, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, parseMultipart } from '../../src/xapi/multipart.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Lrs, type Reply, aStatement, lrsClient } from './lrs.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('multipart/mixed', () => {
  it('parses what it writes, whatever the bytes of the parts', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 5 }), (bodies) => {
        const parts = bodies.map((b, n) => ({ headers: { 'content-type': 'application/octet-stream', 'x-n': String(n) }, body: Buffer.from(b) }));
        const boundary = `b-${randomUUID()}`;
        const parsed = parseMultipart(multipartBody(boundary, parts), boundary);
        expect(parsed).toEqual(parts);
      }),
    );
  });
});

describe.each(STORES)('xAPI attachments ($name)', (kind) => {
  let store: TestStore;
  let lrs: Lrs;
  beforeAll(async () => {
    store = await kind.open();
    lrs = lrsClient(store.db);
  });
  afterAll(() => store.destroy());

  const certificate = Buffer.from('%PDF-1.4 certificate of Anna \u0000\u00ff binary');
  const withAttachment = (content: Buffer) =>
    aStatement({
      attachments: [{ usageType: 'http://id.tincanapi.com/attachment/certificate-of-completion', display: { en: 'Certificate' }, contentType: 'application/pdf', length: content.length, sha2: sha256(content) }],
    });
  const send = (statements: unknown, parts: { headers: Record<string, string>; body: Buffer }[]) => {
    const boundary = `vk-${randomUUID()}`;
    const body = multipartBody(boundary, [{ headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(statements)) }, ...parts]);
    return lrs.request('POST', '/xapi/statements', body, { 'content-type': `multipart/mixed; boundary=${boundary}` });
  };
  const part = (content: Buffer, headers: Record<string, string> = {}) => ({
    headers: { 'Content-Type': 'application/pdf', 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': sha256(content), ...headers },
    body: content,
  });

  it('stores an attachment sent as multipart/mixed and returns it with attachments=true', async () => {
    const s = withAttachment(certificate);
    const res = await send([s], [part(certificate)]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([s.id]);
    const plain = await lrs.request('GET', `/xapi/statements?statementId=${s.id}`);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.body.attachments[0].sha2).toBe(sha256(certificate));

    const app = await lrs.request('GET', `/xapi/statements?statementId=${s.id}&attachments=true`);
    const boundary = /boundary=(\S+)/.exec(app.headers.get('content-type')!)![1]!;
    const parts = parseMultipart(app.bytes, boundary);
    expect(parts).toHaveLength(2);
    expect(JSON.parse(parts[0]!.body.toString('utf8')).id).toBe(s.id);
    expect(parts[1]!.headers['x-experience-api-hash']).toBe(sha256(certificate));
    expect(parts[1]!.headers['content-transfer-encoding']).toBe('binary');
    expect(parts[1]!.body).toEqual(certificate);
  });

  it('refuses parts that do not fit the statements, storing nothing', async () => {
    const before = (await store.db.query<{ n: number }>('select count(*)::int as n from xapi_statements'))[0]!.n;
    const other = Buffer.from('another file');
    const cases = [
      await send([withAttachment(certificate)], []),
      await send([withAttachment(certificate)], [part(certificate, { 'X-Experience-API-Hash': sha256(other) })]),
      await send([withAttachment(certificate)], [part(certificate), part(other)]),
      await send([withAttachment(certificate)], [{ headers: { 'Content-Type': 'application/pdf', 'X-Experience-API-Hash': sha256(certificate) }, body: certificate }]),
      await lrs.request('POST', '/xapi/statements', 'no parts', { 'content-type': 'multipart/mixed; boundary=abc' }),
      await lrs.request('POST', '/xapi/statements', '--abc\r\nContent-Type: text/plain\r\n\r\nhi\r\n--abc--\r\n', { 'content-type': 'multipart/mixed; boundary=abc' }),
    ];
    expect(cases.map((c) => c.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect((await store.db.query<{ n: number }>('select count(*)::int as n from xapi_statements'))[0]!.n).toBe(before);
  });

  describe('signed statements', () => {
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
    const key = fixture('signer-key.pem');
    const x5c = [new X509Certificate(fixture('signer-cert.pem')).raw.toString('base64')];
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jws = (header: Record<string, unknown>, payload: unknown, signWith = key) => {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(signWith).toString('base64url')}`;
    };
    const signed = (original: Record<string, unknown>, token: string, contentType = 'application/octet-stream') => {
      const content = Buffer.from(token);
      const statement = {
        ...original,
        attachments: [{ usageType: 'http://adlnet.gov/expapi/attachments/signature', display: { en: 'Signature' }, contentType, length: content.length, sha2: sha256(content) }],
      };
      return send([statement], [part(content, { 'Content-Type': 'application/octet-stream' })]);
    };

    it('accepts a statement whose JWS carries it and verifies against its x5c certificate', async () => {
      const original = aStatement();
      expect((await signed(original, jws({ alg: 'RS256', x5c }, original))).status).toBe(200);
      const unsignedId = aStatement();
      expect((await signed(unsignedId, jws({ alg: 'RS256' }, { ...unsignedId, id: undefined }))).status).toBe(200);
    });

    it('refuses malformed signatures with 400', async () => {
      const original = aStatement();
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const cases: [string, Reply][] = [
        ['not a JWS', await signed(aStatement(), 'not-a-jws')],
        ['HMAC algorithm', await signed(original, jws({ alg: 'HS256' }, original))],
        ['payload of another statement', await signed(aStatement(), jws({ alg: 'RS256', x5c }, original))],
        ['payload with another result', await signed({ ...original, id: randomUUID(), result: { success: false } }, jws({ alg: 'RS256' }, { ...original, result: { success: true } }))],
        ['signed by another key', await signed(original, jws({ alg: 'RS256', x5c }, original, stranger))],
        ['unreadable certificate', await signed(original, jws({ alg: 'RS256', x5c: ['bm90IGEgY2VydA=='] }, original))],
        ['wrong content type', await signed(original, jws({ alg: 'RS256' }, original), 'application/jose')],
      ];
      for (const [name, res] of cases) {
        expect(res.status, name).toBe(400);
        expect(res.body.errors, name).toEqual([expect.objectContaining({ field: expect.stringMatching(/^attachments\.0/) })]);
      }
    });
  });
});
