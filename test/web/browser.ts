import type { Hono } from 'hono';

export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
  cookies: string[];
}

/**
 * A browser over an app in-process: keeps cookies, reads the CSRF token from the last page and
 * sends it with forms unless told otherwise.
 */
export class Browser {
  readonly jar = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly app: Pick<Hono, 'request'>,
    readonly origin = 'http://localhost',
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, form: Record<string, string> = {}, options: { csrf?: string | null } = {}): Promise<Reply> {
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    const body = new URLSearchParams({ ...(token === null ? {} : { _csrf: token }), ...form });
    return this.send(path, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Makes sure the browser has its cookie and a CSRF token, by opening a page. */
  async visit(path = '/signin'): Promise<Reply> {
    return this.get(path);
  }

  private async send(path: string, init: { method: string; body?: string; headers: Record<string, string> }): Promise<Reply> {
    const url = path.startsWith('http') ? path : `${this.origin}${path}`;
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.request(url, { method: init.method, body: init.body, headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    const cookies = response.headers.getSetCookie();
    for (const line of cookies) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1]!;
    return { status: response.status, text, headers: response.headers, location: response.headers.get('location'), cookies };
  }
}
