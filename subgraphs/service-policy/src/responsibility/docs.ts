/**
 * Renders the worked examples of docs/service-policies.md from the examples table, so the
 * document and the engine cannot disagree: the section between the markers is generated, the
 * prose around it is written by hand. `pnpm --filter @trellis/service-policy docs` rewrites it;
 * a unit test fails when it is stale.
 */
import { generatedSection } from '@trellis/kit';
import {
  EXAMPLE_DEFAULTS,
  type ExamplePolicy,
  exampleId,
  exampleInputs,
  RESPONSIBILITY_EXAMPLES,
  type ResponsibilityExample,
} from './examples.js';
import { decideResponsibility } from './rules.js';

/** The generated section of docs/service-policies.md. */
export const EXAMPLES_DOC = generatedSection(
  'service-policies.md',
  'subgraphs/service-policy/src/responsibility/examples.ts',
);

const day = (iso: string) => iso.replace(/T00:00:00\.000Z$/, '');

function policyCell(p: ExamplePolicy): string {
  const parts = [p.chain.join(' → ')];
  if (p.priority) parts.push(`priority ${p.priority}`);
  if (p.enabled === false) parts.push('disabled');
  if (p.requiredCertification) parts.push(`needs ${p.requiredCertification}`);
  if (p.defaultOrg) parts.push(`default \`${p.defaultOrg}\``);
  if (p.regions) parts.push(`regions ${p.regions.join(', ')}`);
  if (p.issueTypes) parts.push(`issue types ${p.issueTypes.join(', ')}`);
  if (p.validTo) parts.push(`until ${day(p.validTo)}`);
  return `\`${p.key}\`: ${parts.join(', ')}`;
}

function renderExample(e: ResponsibilityExample): string {
  const { ticket, policies, network } = exampleInputs(e);
  const decision = decideResponsibility(ticket, policies, network);
  const keys = new Map<string, string>();
  for (const k of Object.keys(e.orgs)) keys.set(exampleId(k), k);
  for (const p of e.policies) keys.set(exampleId(`policy:${p.key}`), p.key);
  const name = (id: string | null) => (id ? `\`${keys.get(id) ?? id}\`` : '—');
  const orgs = Object.entries(e.orgs).map(([key, o]) => {
    const extra = [
      ...(o.inactive ? ['INACTIVE'] : []),
      ...(o.certifications ?? []).map((c) =>
        typeof c === 'string' ? `holds ${c}` : `held ${c.code} until ${day(c.validUntil)}`,
      ),
    ];
    return `\`${key}\` ${o.type}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  });
  const relationships = e.relationships.map(([from, type, to, territories, window]) => {
    const where = territories.length ? territories.join(', ') : 'everywhere';
    const when = [
      window?.validFrom ? `since ${day(window.validFrom)}` : '',
      window?.validTo ? `until ${day(window.validTo)}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return `\`${from}\` ${type} \`${to}\` (${where}${when ? `; ${when}` : ''})`;
  });
  return [
    `### ${e.id}: ${e.title}`,
    '',
    e.why,
    '',
    `- Organizations: ${orgs.join('; ')}.`,
    `- Relationships: ${relationships.join('; ')}.`,
    `- Policies: ${e.policies.map(policyCell).join('; ')}.`,
    `- Ticket: region ${e.ticket.region}, issue ${e.ticket.issueType ?? EXAMPLE_DEFAULTS.issueType}, at ${e.ticket.at ?? EXAMPLE_DEFAULTS.at}.`,
    '',
    `**Responsible: ${name(decision.responsibleOrgId)}** (fallback ${decision.fallback}, policy ${name(decision.policyId)}).`,
    '',
    ...(decision.steps.length
      ? [
          '| step | role | organization | outcome | reason | candidates |',
          '|---|---|---|---|---|---|',
          ...decision.steps.map(
            (s, i) =>
              `| ${i + 1} | ${s.role} | ${name(s.orgId)} | ${s.outcome} | ${s.reason} | ${s.candidates} |`,
          ),
        ]
      : ['No steps: no policy applied.']),
  ].join('\n');
}

/** The generated part of docs/service-policies.md: the summary table, then every example. */
export function renderExamplesSection(
  examples: ResponsibilityExample[] = RESPONSIBILITY_EXAMPLES,
): string {
  return EXAMPLES_DOC.wrap([
    '| # | example | responsible | fallback |',
    '|---|---|---|---|',
    ...examples.map(
      (e) => `| ${e.id} | ${e.title} | \`${e.expect.responsible}\` | ${e.expect.fallback} |`,
    ),
    '',
    ...examples.map((e) => `${renderExample(e)}\n`),
  ]);
}
