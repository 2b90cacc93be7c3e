/** The request headers a browser client may send (the preflight's allowed list). */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'idempotency-key',
  'x-request-id',
];
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'OPTIONS'];

export interface CorsOptions {
  /**
   * Allowed origins: exact (`https://app.example.com`), any port of one host
   * (`http://localhost:*`), or `*` (any origin, only without credentials).
   */
  origins: string[];
  /** browsers send cookies and answer `access-control-allow-credentials: true` */
  credentials?: boolean;
}

/** The origins a running embedded demo accepts: any local development server. */
export const DEMO_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

const PORT_WILDCARD = /^(https?:\/\/[^/:*]+):\*$/;

/** Why a CORS configuration cannot be used, or undefined when it can. */
export function corsProblem(options: CorsOptions): string | undefined {
  if (options.credentials && options.origins.includes('*'))
    return '"*" cannot be combined with credentials: list the origins';
  for (const origin of options.origins) {
    if (origin === '*' || PORT_WILDCARD.test(origin)) continue;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return `"${origin}" is not an origin (scheme://host[:port])`;
    }
    if (parsed.origin !== origin) return `"${origin}" is not an origin (scheme://host[:port])`;
  }
  return undefined;
}

/**
 * The `Access-Control-Allow-Origin` value for a request's Origin, or undefined when that origin
 * is not allowed (the answer then carries no CORS header and the browser withholds it).
 */
export function allowedOrigin(options: CorsOptions, origin: string | undefined) {
  if (!origin) return undefined;
  for (const allowed of options.origins) {
    if (allowed === '*') return options.credentials ? undefined : '*';
    if (allowed === origin) return origin;
    const wildcard = PORT_WILDCARD.exec(allowed);
    if (wildcard && new RegExp(`^${escapeRegExp(wildcard[1]!)}(:\\d{1,5})?$`).test(origin))
      return origin;
  }
  return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The CORS headers of an answer to a request from `origin` (empty when not allowed). */
export function corsHeaders(
  options: CorsOptions,
  origin: string | undefined,
  preflight: boolean,
): Record<string, string> {
  const allow = allowedOrigin(options, origin);
  if (!allow) return {};
  return {
    'access-control-allow-origin': allow,
    ...(options.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(preflight
      ? {
          'access-control-allow-methods': CORS_ALLOWED_METHODS.join(', '),
          'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
          'access-control-max-age': '600',
        }
      : { 'access-control-expose-headers': 'x-request-id' }),
  };
}
