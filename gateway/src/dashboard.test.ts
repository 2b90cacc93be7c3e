import { readFileSync } from 'node:fs';
import { Metrics } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import { rateLimitPlugin } from './rate-limit.js';
import { fetchMetrics } from './resilience.js';

const DASHBOARD = new URL('../../docs/ops/grafana-dashboard.json', import.meta.url);
const PROMQL_WORDS = new Set(['sum', 'by', 'rate', 'max', 'histogram_quantile', 'le']);

describe('docs/ops/grafana-dashboard.json', () => {
  it('uses only metric names the processes export', async () => {
    const metrics = new Metrics();
    fetchMetrics(metrics);
    rateLimitPlugin(
      { plans: {}, orgPlans: {} },
      { take: async () => ({ ok: true }), close: async () => {} },
      metrics,
    );
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const used = dashboard.panels
      .flatMap((p) => p.targets.map((t) => t.expr.replace(/\{[^}]*\}|\[[^\]]*\]|"[^"]*"/g, '')))
      .flatMap((expr) => expr.match(/[a-z_:][a-z0-9_:]*/g) ?? [])
      .filter(
        (word) =>
          !PROMQL_WORDS.has(word) &&
          !/^(subgraph|outcome|operation|code|service|kind|limit)$/.test(word),
      );
    expect(used.length).toBeGreaterThan(5);
    for (const name of used)
      expect(exported, name).toContain(name.replace(/_(bucket|count|sum)$/, ''));
  });
});
