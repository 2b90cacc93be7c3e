import { type Logger, pino } from 'pino';

/** Paths that never reach a log line: credentials, tokens and PII. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-trellis-caller"]',
  'headers.authorization',
  'authorization',
  'token',
  'secret',
  'password',
  'databaseUrl',
  'email',
  'phone',
  '*.email',
  '*.phone',
  '*.secret',
  '*.token',
  '*.password',
];

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
