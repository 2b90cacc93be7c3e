import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/**
 * Tracing for every Trellis package (the kit's `startTracing` turns it on). Off by default, and
 * then `inSpan` is one boolean test: no span objects, no context switches on the hot path.
 */
let enabled = false;
let tracer: Tracer = trace.getTracer('trellis');

export const tracingEnabled = (): boolean => enabled;

/**
 * Set by the process's tracing setup, after it registered its tracer provider (and by its
 * shutdown). The tracer is taken from the global provider then: a tracer taken before is bound
 * to its module copy's proxy, which the registration may not reach (the API's CommonJS and ES
 * builds each keep one).
 */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
  tracer = trace.getTracer('trellis');
}

/** Trellis's tracer (a no-op one while tracing is off). */
export const trellisTracer = (): Tracer => tracer;

/**
 * Runs `fn` inside a child span of the active one when tracing is on (a failure marks the span
 * as an error and is rethrown), else just runs it.
 */
export function inSpan<R>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<R>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<R> {
  if (!enabled) return fn();
  return tracer.startActiveSpan(name, { kind, attributes }, async (span: Span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's ids (for log lines), when tracing is on and a span is active. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!enabled) return undefined;
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

// E'…' strings take backslash escapes; the others only doubled quotes
const STRING = /[Ee]'(?:[^'\\]|\\[\s\S]|'')*'|(?:[BbXx]|[Uu]&)?'(?:[^']|'')*'/g;
const DOLLAR_QUOTED = /\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g;
// a number not inside an identifier and not a `$1` placeholder
const NUMBER = /(?<![\w$."])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w"])/g;
const SPACE = /\s+/g;

/**
 * A statement's text with every literal value replaced by `?`: what a span may carry. Prisma
 * sends values as parameters (`$1`), but raw SQL may quote a value inline.
 */
export function sanitizeSql(sql: string): string {
  return sql
    .replace(DOLLAR_QUOTED, '?')
    .replace(STRING, '?')
    .replace(NUMBER, '?')
    .replace(SPACE, ' ')
    .trim();
}

// the statement's first keyword (a CTE's is WITH: its verb would need a parser)
/** a statement's first word, after any leading comments (`GENERIC_PLAN`) */
const FIRST_WORD = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/;

/** The span of one SQL statement a slice sends (OpenTelemetry's database conventions). */
export function sqlSpan<R>(slice: string, sql: string, run: () => Promise<R>): Promise<R> {
  if (!enabled) return run();
  const operation = (FIRST_WORD.exec(sql)?.[1] ?? 'SQL').toUpperCase();
  return inSpan(
    operation,
    {
      'db.system.name': 'postgresql',
      'db.namespace': slice,
      'db.operation.name': operation,
      'db.query.text': sanitizeSql(sql),
    },
    run,
    SpanKind.CLIENT,
  );
}

export { SpanKind };
