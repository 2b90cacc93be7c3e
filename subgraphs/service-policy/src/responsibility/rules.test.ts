import { describe, expect, it } from 'vitest';
import { EXAMPLES_DOC, renderExamplesSection } from './docs.js';
import { exampleId, exampleInputs, RESPONSIBILITY_EXAMPLES } from './examples.js';
import { coverage, decideResponsibility, selectPolicy } from './rules.js';

const keyOf = (e: (typeof RESPONSIBILITY_EXAMPLES)[number]) => {
  const keys = new Map<string, string>();
  for (const k of Object.keys(e.orgs)) keys.set(exampleId(k), k);
  for (const p of e.policies) keys.set(exampleId(`policy:${p.key}`), p.key);
  return (id: string | null) => (id === null ? null : (keys.get(id) ?? id));
};

describe('the worked examples (docs/service-policies.md) on the engine', () => {
  it('cover every fallback and every step reason', () => {
    const decisions = RESPONSIBILITY_EXAMPLES.map((e) => e.expect);
    expect(new Set(decisions.map((d) => d.fallback))).toEqual(
      new Set(['CHAIN', 'DEFAULT_ORG', 'MANUFACTURER', 'NO_POLICY']),
    );
    expect(new Set(decisions.flatMap((d) => d.steps.map((s) => s[2])))).toEqual(
      new Set([
        'NO_RELATIONSHIP',
        'TERRITORY_MISMATCH',
        'INACTIVE',
        'CERTIFICATION_MISSING',
        'SELECTED',
      ]),
    );
    expect(new Set(RESPONSIBILITY_EXAMPLES.map((e) => e.id)).size).toBe(
      RESPONSIBILITY_EXAMPLES.length,
    );
  });

  it.each(RESPONSIBILITY_EXAMPLES.map((e) => [`${e.id} ${e.title}`, e] as const))('%s', (_, e) => {
    const { ticket, policies, network } = exampleInputs(e);
    const d = decideResponsibility(ticket, policies, network);
    const name = keyOf(e);
    expect({
      responsible: name(d.responsibleOrgId),
      policy: name(d.policyId),
      fallback: d.fallback,
      steps: d.steps.map((s) => [s.role, name(s.orgId), s.reason]),
    }).toEqual(e.expect);
    expect(d.decidedAt).toEqual(ticket.at);
    for (const s of d.steps)
      expect(s.outcome).toBe(s.reason === 'SELECTED' ? 'SELECTED' : 'SKIPPED');
  });
});

describe('coverage', () => {
  it('a country covers itself and its subdivisions; a subdivision only itself; none: everywhere', () => {
    expect(coverage([], 'DE')).toBe(0);
    expect(coverage(['US'], 'US-CA')).toBe(1);
    expect(coverage(['US'], 'US')).toBe(1);
    expect(coverage(['US-CA'], 'US-CA')).toBe(2);
    expect(coverage(['US', 'US-CA'], 'US-CA')).toBe(2);
    expect(coverage(['US-CA'], 'US')).toBe(-1);
    expect(coverage(['US-CA'], 'US-OR')).toBe(-1);
    expect(coverage(['DE'], 'DK')).toBe(-1);
  });
});

describe('policy selection', () => {
  const e = RESPONSIBILITY_EXAMPLES.find((x) => x.id === 'R8')!;
  const { ticket, policies } = exampleInputs(e);

  it('orders by priority, then the latest start, then id', () => {
    const same = policies.map((p) => ({ ...p, priority: 5 }));
    const later = { ...same[0]!, validFrom: new Date('2026-01-01T00:00:00Z') };
    expect(selectPolicy(ticket, [same[1]!, later])?.id).toBe(later.id);
    const [a, b] = [...same].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(selectPolicy(ticket, [b!, a!])?.id).toBe(a!.id);
  });

  it('matches conditions: products, SKUs, regions (a country covers its subdivisions), issue types', () => {
    const base = policies[0]!;
    const cond = (c: Partial<typeof base.conditions>) => ({
      ...base,
      conditions: { ...base.conditions, ...c },
    });
    expect(selectPolicy(ticket, [cond({ regions: ['DE'] })])).not.toBeNull();
    expect(
      selectPolicy({ ...ticket, region: 'DE-BY' }, [cond({ regions: ['DE'] })]),
    ).not.toBeNull();
    expect(selectPolicy(ticket, [cond({ regions: ['AT'] })])).toBeNull();
    expect(selectPolicy(ticket, [cond({ skuIds: [ticket.skuId] })])).not.toBeNull();
    expect(selectPolicy(ticket, [cond({ productIds: [exampleId('other')] })])).toBeNull();
    expect(selectPolicy(ticket, [cond({ issueTypes: ['LEAK'] })])).toBeNull();
    expect(
      selectPolicy(ticket, [{ ...base, validFrom: new Date('2027-01-01T00:00:00Z') }]),
    ).toBeNull();
  });
});

describe('docs/service-policies.md', () => {
  it('holds the current rendering of the worked examples', () => {
    const { doc, next } = EXAMPLES_DOC.withSection(renderExamplesSection());
    expect(next).toBe(doc);
  });
});
