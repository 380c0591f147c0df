/** A client of the Discourse API that keeps to a request rate and waits as Discourse asks when limited. */
export interface DiscourseClientOptions {
  url: string;
  apiKey: string;
  apiUsername: string;
  /** Requests per second at most; Discourse's defaults allow 60 a minute for an admin key. */
  maxPerSecond: number;
  /** How many times one request is retried after a 429 or a 502/503/504. */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

const RETRIED = new Set([429, 502, 503, 504]);
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DiscourseClient {
  private nextAt = 0;
  /** Requests sent, retries included. */
  requests = 0;

  constructor(private readonly options: DiscourseClientOptions) {
    if (!(options.maxPerSecond > 0)) throw new Error('maxPerSecond must be above 0');
  }

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = new URL(path, this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const sleep = this.options.sleep ?? sleepFor;
    const maxRetries = this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      await this.pace(sleep);
      this.requests += 1;
      const response = await (this.options.fetch ?? fetch)(url, {
        headers: { 'Api-Key': this.options.apiKey, 'Api-Username': this.options.apiUsername, Accept: 'application/json' },
      });
      if (response.ok) return (await response.json()) as T;
      const body = await response.text();
      if (!RETRIED.has(response.status) || attempt >= maxRetries) {
        throw new Error(`Discourse answered ${response.status} to GET ${url.pathname}${body ? `: ${body.slice(0, 200)}` : ''}`);
      }
      await sleep(waitAfter(response, body, attempt));
    }
  }

  /** Spaces request starts at least 1/maxPerSecond apart. */
  private async pace(sleep: (ms: number) => Promise<void>): Promise<void> {
    const now = Date.now();
    const wait = this.nextAt - now;
    this.nextAt = Math.max(now, this.nextAt) + 1000 / this.options.maxPerSecond;
    if (wait > 0) await sleep(wait);
  }
}

/** How long Discourse asks to wait: Retry-After (seconds or a date), its JSON extras.wait_seconds, or a growing backoff. */
export function waitAfter(response: Response, body: string, attempt: number): number {
  const header = response.headers.get('retry-after');
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  try {
    const seconds = Number((JSON.parse(body) as { extras?: { wait_seconds?: unknown } }).extras?.wait_seconds);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  } catch {
    // not JSON: back off
  }
  return 1000 * 2 ** attempt;
}
