import { describe, expect, it } from 'vitest';
import { EXAMPLES_DOC, renderExamplesSection } from './docs.js';
import {
  exampleMismatches,
  exampleRequest,
  exampleRules,
  type ObservedDecision,
  PRICING_EXAMPLES,
} from './examples.js';
import { type PriceDecision, resolvePrice } from './resolve.js';

const observe = (d: PriceDecision): ObservedDecision => ({
  reason: d.reason,
  price: d.price,
  originalPrice: d.originalPrice,
  scope: d.scope,
  ruleId: d.rule?.id ?? null,
  taxIncluded: d.taxIncluded,
  taxCategory: d.taxCategory,
  explanation: d.explanation.map((v) => ({ ruleId: v.rule.id, outcome: v.outcome })),
});

describe('the precedence matrix (docs/pricing.md) on the pure resolver', () => {
  it('has at least 12 examples, with unique ids, covering every topic', () => {
    expect(PRICING_EXAMPLES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(PRICING_EXAMPLES.map((e) => e.id)).size).toBe(PRICING_EXAMPLES.length);
    expect(new Set(PRICING_EXAMPLES.map((e) => e.topic))).toEqual(
      new Set([
        'scope',
        'windows',
        'tiers',
        'relative',
        'rounding',
        'ties',
        'no price',
        'currency',
        'tax',
      ]),
    );
  });

  it.each(PRICING_EXAMPLES.map((e) => [`${e.id} ${e.title}`, e] as const))('%s', (_, example) => {
    const rules = exampleRules(example);
    const decision = resolvePrice([...rules.values()], exampleRequest(example));
    const ids = new Map([...rules].map(([key, r]) => [key, r.id]));
    expect(exampleMismatches(example, observe(decision), ids)).toEqual([]);
    for (const v of decision.explanation) expect(v.reason).not.toBe('');
  });

  it('docs/pricing.md shows exactly these examples (else run `pnpm --filter @trellis/pricing docs`)', () => {
    const { doc, next } = EXAMPLES_DOC.withSection(renderExamplesSection());
    expect(next).toBe(doc);
  });
});
