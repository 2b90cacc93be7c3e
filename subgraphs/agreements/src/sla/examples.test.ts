import { describe, expect, it } from 'vitest';
import { EXAMPLES_DOC, renderExamplesSection, runExample } from './docs.js';
import { checkDefinition } from './dsl.js';
import { SLA_EXAMPLES } from './examples.js';

describe('the worked examples of docs/sla-dsl.md', () => {
  it.each(SLA_EXAMPLES.map((e) => [e.title, e] as const))('%s', (_, e) => {
    expect(checkDefinition(e.definition)).toBeNull();
    const clock = runExample(e);
    expect(clock?.dueAt.toISOString()).toBe(e.dueAt);
    expect(clock?.state).toBe(e.state);
    expect(clock?.pausedMs).toBe((e.pausedHours ?? 0) * 3_600_000);
  });

  it('holds the current rendering of the worked examples', () => {
    const { doc, next } = EXAMPLES_DOC.withSection(renderExamplesSection());
    expect(doc, 'run pnpm --filter @trellis/agreements docs').toBe(next);
  });
});
