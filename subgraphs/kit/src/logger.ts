import { activeTraceIds, ContextSlot } from '@trellis/prisma';
import { type DestinationStream, type Logger, pino } from 'pino';

const CENSOR = '[REDACTED]';

/** Paths that never reach a log line: credentials, tokens, secrets, connection strings and PII. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-trellis-caller"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-trellis-caller"]',
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'secret',
  'signingSecret',
  'password',
  'databaseUrl',
  'DATABASE_URL',
  'connectionString',
  'email',
  'phone',
  'homeLat',
  'homeLng',
  'homeLocation',
  'variables',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.secret',
  '*.signingSecret',
  '*.password',
  '*.databaseUrl',
  '*.DATABASE_URL',
  '*.connectionString',
  '*.email',
  '*.phone',
  '*.homeLat',
  '*.homeLng',
  '*.homeLocation',
  '*.variables',
];

/**
 * Values that are secret or personal whatever field they hide in (an error message that quotes
 * a row, a URL in a stack): they are replaced wherever they appear in a log line.
 */
const PATTERNS: [RegExp, string][] = [
  // connection strings and any URL carrying credentials
  [/\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?):\/\/[^\s'"]+/gi, CENSOR],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@'"]*:[^\s/@'"]*@[^\s'"]*/gi, CENSOR],
  // JWTs (bearer tokens, the forwarded caller) and bearer credentials
  [/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, CENSOR],
  [/\bBearer\s+[\w.~+/=-]+/gi, `Bearer ${CENSOR}`],
  // webhook signing secrets (Standard Webhooks)
  [/\bwhsec_[\w+/=-]+/g, CENSOR],
  // e-mail addresses
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, CENSOR],
];

/** Replaces every secret or personal value in a string. */
export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function scrubDeep(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrub(value);
  if (!value || typeof value !== 'object') return value;
  if (seen.has(value)) return value;
  seen.add(value);
  // an Error's message and stack are not enumerable: serialize it first
  if (value instanceof Error) return scrubDeep(pino.stdSerializers.err(value), seen);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, seen);
  return out;
}

/** The request a log line is written for: set by the HTTP handler, read by every logger. */
const requestLog = new ContextSlot<{ requestId?: string }>();

/** Runs one HTTP request's work; `logRequestId` names its request for every line it logs. */
export const inRequestLog = <R>(fn: () => R): R => requestLog.run({}, fn);

export function logRequestId(requestId: string | undefined): void {
  const store = requestLog.getStore();
  if (store) store.requestId = requestId;
}

const { chindingsSym } = pino.symbols;

/**
 * What every line carries besides its own fields: the request id (unless the logger is a child
 * bound to it already) and, while tracing, the active span's trace and span ids.
 */
function requestFields(_object: object, _level: number, logger: Logger): Record<string, string> {
  const requestId = requestLog.getStore()?.requestId;
  const ids = activeTraceIds();
  if (!requestId && !ids) return {};
  const fields: Record<string, string> = ids ? { ...ids } : {};
  const bound = (logger as unknown as Record<symbol, string>)[chindingsSym] ?? '';
  if (requestId && !bound.includes('"requestId":')) fields.requestId = requestId;
  return fields;
}

export interface LoggerOptions {
  level?: string;
  /** where the JSON lines go (stdout by default); tests capture them */
  destination?: DestinationStream;
}

export function createLogger(name: string, levelOrOptions: string | LoggerOptions = {}): Logger {
  const options = typeof levelOrOptions === 'string' ? { level: levelOrOptions } : levelOrOptions;
  return pino(
    {
      name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: requestFields,
      serializers: {
        err: (err: unknown) =>
          scrubDeep(err instanceof Error ? pino.stdSerializers.err(err) : err, new WeakSet()),
      },
      formatters: { log: (object) => scrubDeep(object, new WeakSet()) as Record<string, unknown> },
      hooks: {
        // the message itself (and format arguments) are scrubbed too
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination,
  );
}

export type { DestinationStream, Logger };
