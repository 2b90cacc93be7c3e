import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import {
  type AttemptResult,
  ipLiteral,
  type LookupAll,
  resolveTarget,
  TargetRefused,
} from './rules.js';

/** The system resolver: every address of a host. */
export const systemLookup: LookupAll = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family,
  }));

/** One webhook message: its id (the event's: the same on every attempt), time and body. */
export interface WebhookMessage {
  id: string;
  timestamp: Date;
  body: string;
}

/**
 * The Standard Webhooks headers of a message: `webhook-signature` holds one `v1,<base64>`
 * signature per secret (two during a rotation), any of which a receiver accepts.
 */
export function signedHeaders(message: WebhookMessage, secrets: readonly string[]) {
  return {
    'content-type': 'application/json',
    'user-agent': 'Trellis-Webhooks/1',
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
    'webhook-signature': secrets
      .map((s) => new Webhook(s).sign(message.id, message.timestamp, message.body))
      .join(' '),
  };
}

/** What one attempt recorded. */
export type Attempt = AttemptResult & {
  startedAt: Date;
  latencyMs: number;
  responseBody?: string;
};

const BODY_LIMIT = 1024;

export interface SenderOptions {
  lookup: LookupAll;
  allowPrivateTargets: boolean;
  timeoutMs: number;
}

/**
 * Sends webhooks over keep-alive connections. Every new connection resolves its host through
 * `lookup` and checks every address (SSRF rules) before connecting to one of them, so the
 * address connected to is the address checked (no DNS rebinding between check and connect);
 * an IP literal is checked before the request.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: SenderOptions) {
    const checkedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolveTarget(hostname, options.lookup, options.allowPrivateTargets).then(
        (addresses) => {
          if (lookupOptions.all) {
            (callback as (e: null, a: typeof addresses) => void)(null, addresses);
          } else {
            callback(null, addresses[0]!.address, addresses[0]!.family);
          }
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };
    this.agent = new Agent({
      connect: { lookup: checkedLookup, timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<Attempt> {
    const startedAt = new Date();
    const elapsed = () => Date.now() - startedAt.getTime();
    try {
      const literal = ipLiteral(new URL(url).hostname);
      if (literal) {
        await resolveTarget(literal, this.options.lookup, this.options.allowPrivateTargets);
      }
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const responseBody = await readStart(res.body);
      return { startedAt, status: res.statusCode, latencyMs: elapsed(), responseBody };
    } catch (error) {
      return { startedAt, error: describe(error), latencyMs: elapsed() };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** The first KiB of a body; the rest is discarded (the connection is then not reused). */
async function readStart(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    if (text.length >= BODY_LIMIT) {
      body.destroy();
      break;
    }
  }
  return text.slice(0, BODY_LIMIT);
}

/** An attempt's error for the record: what went wrong, never a secret (no headers, no body). */
function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e.cause instanceof TargetRefused) return `refused: ${e.cause.message}`;
  if (error instanceof TargetRefused) return `refused: ${error.message}`;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code?.includes('TIMEOUT')) {
    return 'timed out';
  }
  return (e.code ? `${e.code}: ` : '') + (e.message ?? String(error)).slice(0, 300);
}
