import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Server, createServer } from 'node:http';

export interface ForumUser {
  external_id: string;
  username?: string;
  name?: string;
  email?: string;
}

/**
 * A Discourse forum as DiscourseConnect provider, written from the protocol rather than from
 * Vklad's code: checks the request's signature, then sends the browser back to return_sso_url
 * with a signed payload naming `user` (or refuses when no one is signed in on the "forum").
 */
export class FakeDiscourse {
  user: ForumUser | null = null;
  /** The payloads the forum was asked to sign in with, for assertions. */
  readonly requests: URLSearchParams[] = [];
  private server: Server | null = null;
  url = '';

  constructor(readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const answer = this.answer(new URL(req.url ?? '/', 'http://forum'));
      res.writeHead(answer.status, answer.location ? { location: answer.location } : { 'content-type': 'text/plain' });
      res.end(answer.body ?? '');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** What the forum answers to GET <url>: a redirect back, or an error. */
  answer(url: URL): { status: number; location?: string; body?: string } {
    if (url.pathname !== '/session/sso_provider') return { status: 404, body: 'not found' };
    const sso = url.searchParams.get('sso') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    const expected = createHmac('sha256', this.secret).update(sso).digest();
    const given = Buffer.from(sig, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 403, body: 'bad signature' };
    const request = new URLSearchParams(Buffer.from(sso, 'base64').toString('utf8'));
    this.requests.push(request);
    if (!this.user) return { status: 403, body: 'nobody is signed in' };
    return { status: 302, location: this.returnUrl(request.get('return_sso_url')!, { nonce: request.get('nonce')!, ...this.user }) };
  }

  /** The URL the forum sends the browser back to, with a payload signed by `secret`. */
  returnUrl(returnTo: string, fields: Record<string, string>, secret = this.secret): string {
    const payload = Buffer.from(new URLSearchParams({ admin: 'false', moderator: 'false', ...fields }).toString()).toString('base64');
    const sig = createHmac('sha256', secret).update(payload).digest('hex');
    const back = new URL(returnTo);
    back.searchParams.set('sso', payload);
    back.searchParams.set('sig', sig);
    return back.toString();
  }
}
