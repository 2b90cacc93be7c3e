import { describe, expect, it } from 'vitest';
import { startTracing, tracesEndpoint, tracingEnv } from './tracing.js';

const endpoint = (env: Record<string, string>) => tracesEndpoint(tracingEnv.parse(env));

describe('tracing configuration (OTEL_* variables)', () => {
  it('is off unless an OTLP endpoint is asked for', () => {
    expect(endpoint({})).toBeUndefined();
    expect(startTracing('trellis', {})).toBeUndefined();
  });

  it('exports to the traces path of the base endpoint, or to the traces endpoint as given', () => {
    expect(endpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      endpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
      }),
    ).toBe('http://traces:9999/custom');
    expect(endpoint({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe('http://localhost:4318/v1/traces');
  });

  it('stays off when disabled, whatever the endpoint', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(endpoint({ ...base, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(endpoint({ ...base, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('refuses a malformed setting at start', () => {
    expect(() => startTracing('trellis', { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() =>
      startTracing('trellis', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_SAMPLER: 'sometimes',
      }),
    ).toThrow(/OTEL_TRACES_SAMPLER/);
  });
});
