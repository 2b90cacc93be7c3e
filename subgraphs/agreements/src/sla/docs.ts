/**
 * Renders the worked examples of docs/sla-dsl.md from `SLA_EXAMPLES`: the section between the
 * markers is generated, the prose around it written by hand. `pnpm --filter @trellis/agreements
 * docs` rewrites it; a unit test fails when it is stale.
 */
import { generatedSection } from '@trellis/kit';
import { clockMetric, compilePolicy } from './clock.js';
import { SLA_EXAMPLES, type SlaExample } from './examples.js';

export const EXAMPLES_DOC = generatedSection(
  'sla-dsl.md',
  'subgraphs/agreements/src/sla/examples.ts',
);

/** The engine's answer for an example. */
export function runExample(e: SlaExample) {
  const history = e.history.map(([status, at]) => ({ status, at: new Date(at) }));
  return clockMetric(compilePolicy(e.definition), e.metric, history, new Date(e.now));
}

function render(e: SlaExample, i: number): string[] {
  const clock = runExample(e);
  return [
    `### ${i + 1}. ${e.title}`,
    '',
    '```json',
    JSON.stringify(e.definition, null, 2),
    '```',
    '',
    '| status | since (UTC) |',
    '|---|---|',
    ...e.history.map(([s, at]) => `| ${s} | ${at} |`),
    '',
    `At ${e.now}: **${e.metric}** due **${clock?.dueAt.toISOString()}**, ${clock?.state}` +
      (clock?.pausedMs ? `, paused ${clock.pausedMs / 3_600_000} business hours` : '') +
      '.',
    '',
    e.why,
    '',
  ];
}

export const renderExamplesSection = () => EXAMPLES_DOC.wrap(SLA_EXAMPLES.flatMap(render));
