import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { inSpan, setTracingEnabled, tracingEnabled, trellisTracer } from '@trellis/prisma';
import { z } from 'zod';

export { activeTraceIds, inSpan, sanitizeSql, tracingEnabled } from '@trellis/prisma';

/**
 * The API's CommonJS build, the one @apollo/gateway loads: its tracer (taken at load) follows
 * only a provider registered through this copy; ES modules reach the same global.
 */
const api = createRequire(import.meta.url)(
  '@opentelemetry/api',
) as typeof import('@opentelemetry/api');

/**
 * The standard OpenTelemetry variables Trellis reads. Tracing is off unless an OTLP endpoint is
 * set (or `OTEL_TRACES_EXPORTER=otlp`, which exports to the default localhost:4318); the
 * exporter itself also reads `OTEL_EXPORTER_OTLP_HEADERS`, `_TIMEOUT` and `_COMPRESSION`.
 */
export const tracingEnv = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
});

export type TracingEnv = z.infer<typeof tracingEnv>;

/** Where spans go (OTLP/HTTP, JSON), or undefined when tracing stays off. */
export function tracesEndpoint(env: TracingEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base =
    env.OTEL_EXPORTER_OTLP_ENDPOINT ??
    (env.OTEL_TRACES_EXPORTER === 'otlp' ? 'http://localhost:4318' : undefined);
  return base && `${base.replace(/\/+$/, '')}/v1/traces`;
}

function samplerOf(env: TracingEnv): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (env.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

export interface Tracing {
  /** exports the spans ended so far */
  flush(): Promise<void>;
  /** flushes, then turns tracing off again */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on for this process when the environment asks for it (`tracingEnv`): W3C
 * `traceparent` accepted and propagated, spans batched to the OTLP/HTTP endpoint. Call once,
 * before the services start. Undefined when tracing stays off: then no span is ever made.
 */
export function startTracing(
  defaultServiceName: string,
  env: Record<string, string | undefined> = process.env,
): Tracing | undefined {
  const parsed = tracingEnv.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `invalid OpenTelemetry configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const url = tracesEndpoint(parsed.data);
  if (!url) return undefined;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': parsed.data.OTEL_SERVICE_NAME ?? defaultServiceName,
    }),
    sampler: samplerOf(parsed.data),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  setTracingEnabled(true);
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      api.trace.disable();
      api.propagation.disable();
      api.context.disable();
      setTracingEnabled(false);
    },
  };
}

/**
 * Runs one request of a service (over HTTP, or a local call) inside its SERVER span, a child of
 * the caller's `traceparent` when it sends one; the span ends with the request's handling, with
 * the status `statusOf` reads then.
 */
export function inServerSpan<T>(
  service: string,
  req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>,
  handle: () => Promise<T>,
  statusOf: () => number,
): Promise<T> {
  if (!tracingEnabled()) return handle();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const path = (req.url ?? '/').split('?')[0];
  const span = trellisTracer().startSpan(
    `${req.method ?? 'GET'} ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'trellis.service': service,
        'http.request.method': req.method ?? 'GET',
        'url.path': path,
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), handle).finally(() => {
    const status = statusOf();
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}

const headerSetter: TextMapSetter<{ set(name: string, value: string): void }> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Adds the active span's `traceparent` to an outgoing request's headers (when tracing is on). */
export function injectTraceHeaders(headers: { set(name: string, value: string): void }): void {
  if (tracingEnabled()) propagation.inject(context.active(), headers, headerSetter);
}

interface Batching {
  _batchLoadFn: (keys: readonly unknown[]) => PromiseLike<ArrayLike<unknown>>;
}

/**
 * Gives each loader's batches a span named after the loader (`batch product`), with the number
 * of keys: one span per batch of resolvers, under which its SQL runs. Only while tracing.
 */
export function traceLoaders<L>(loaders: L): L {
  if (!tracingEnabled()) return loaders;
  for (const [name, loader] of Object.entries(loaders as object)) {
    const batching = loader as Partial<Batching> | null;
    const load = batching?._batchLoadFn;
    // DataLoader keeps its batch function in this field (dataloader 2.x)
    if (typeof load !== 'function') continue;
    (batching as Batching)._batchLoadFn = (keys) =>
      inSpan(`batch ${name}`, { 'trellis.batch.keys': keys.length }, async () => load(keys));
  }
  return loaders;
}
