/**
 * Renders the precedence matrix of docs/pricing.md from the examples table, so the document and
 * the tests cannot disagree: the section between the markers is generated, the prose around
 * it is written by hand. `pnpm --filter @trellis/pricing docs` rewrites it; a unit test fails
 * when it is stale.
 */
import { generatedSection } from '@trellis/kit';
import {
  EXAMPLE_DEFAULTS,
  type ExampleBook,
  type ExampleRule,
  exampleRequest,
  exampleRules,
  PRICING_EXAMPLES,
  type PricingExample,
} from './examples.js';
import { resolvePrice } from './resolve.js';

/** The generated section of docs/pricing.md. */
export const EXAMPLES_DOC = generatedSection(
  'pricing.md',
  'subgraphs/pricing/src/resolution/examples.ts',
);

const day = (iso: string) => iso.replace(/T00:00:00\.000Z$/, '').replace(/\.000Z$/, 'Z');
const cell = (s: string) => s.replace(/\|/g, '\\|');

function bookCell(b: ExampleBook): string {
  const parts = [`${b.scope}`];
  if (b.scope === 'ORG' || b.scope === 'ORG_CHANNEL')
    parts.push(b.org === 'other' ? 'another org' : 'the buyer');
  parts.push(b.currency ?? EXAMPLE_DEFAULTS.currency);
  const from = b.validFrom ?? EXAMPLE_DEFAULTS.validFrom;
  if (b.validFrom || b.validTo) parts.push(`[${day(from)}, ${b.validTo ? day(b.validTo) : '∞'})`);
  if (b.priority) parts.push(`priority ${b.priority}`);
  if (b.status && b.status !== 'ACTIVE') parts.push(b.status);
  if (b.taxIncluded) parts.push('tax included');
  return `\`${b.key}\` ${parts.join(', ')}`;
}

function ruleCells(r: ExampleRule): string[] {
  const what =
    r.kind === 'FIXED'
      ? `FIXED ${r.amount}`
      : r.kind === 'PERCENT_OFF'
        ? `${r.percent}% off`
        : `${r.amount} off`;
  const extra: string[] = [];
  if (r.validFrom || r.validTo)
    extra.push(`[${r.validFrom ? day(r.validFrom) : '-∞'}, ${r.validTo ? day(r.validTo) : '∞'})`);
  if (r.priority) extra.push(`priority ${r.priority}`);
  if (r.taxCategory) extra.push(`tax ${r.taxCategory}`);
  if (r.id) extra.push(`id …${r.id.slice(-4)}`);
  if (r.createdAt) extra.push(`created ${day(r.createdAt)}`);
  return [`\`${r.key}\``, what, String(r.minQuantity ?? 1), extra.join(', ') || '—'];
}

function answer(e: PricingExample): string {
  const x = e.expect;
  if (x.reason === 'NO_PRICE') return 'NO_PRICE';
  const currency = x.currency ?? e.request.currency ?? e.request.channelCurrency ?? 'EUR';
  const original = x.originalPrice ? ` (was ${x.originalPrice})` : '';
  return `${x.price} ${currency}${original}, ${x.scope} \`${x.rule}\``;
}

function renderExample(e: PricingExample): string {
  const books = new Map(e.books.map((b) => [b.key, b]));
  const request = [
    `at ${day(e.request.at)}`,
    `quantity ${e.request.quantity ?? 1}`,
    e.request.currency
      ? `currency ${e.request.currency} (the channel's: ${e.request.channelCurrency ?? 'EUR'})`
      : `currency: the channel's, ${e.request.channelCurrency ?? 'EUR'}`,
  ].join(', ');
  const rules = exampleRules(e);
  const keyOf = new Map([...rules].map(([key, r]) => [r.id, key]));
  const decision = resolvePrice([...rules.values()], exampleRequest(e));
  const named = (text: string) =>
    text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, (id) => `\`${keyOf.get(id) ?? id}\``);
  const lines = [
    `### ${e.id} · ${e.topic}: ${e.title}`,
    '',
    e.why,
    '',
    '| rule | kind | min qty | window, priority, … | book |',
    '|---|---|---|---|---|',
    ...e.rules.map(
      (r) => `| ${[...ruleCells(r), bookCell(books.get(r.book)!)].map(cell).join(' | ')} |`,
    ),
    '',
    `Request: ${request}.`,
    '',
    `**Answer: ${answer(e)}.**`,
    '',
    '| rule | outcome | why |',
    '|---|---|---|',
    ...decision.explanation.map(
      (v) => `| \`${keyOf.get(v.rule.id)}\` | ${v.outcome} | ${cell(named(v.reason))} |`,
    ),
  ];
  if (e.pureOnly) lines.push('', `_Checked on the resolver only: ${e.pureOnly}._`);
  return lines.join('\n');
}

/** The generated part of docs/pricing.md: the summary table, then every example. */
export function renderExamplesSection(examples: PricingExample[] = PRICING_EXAMPLES): string {
  return EXAMPLES_DOC.wrap([
    '| # | topic | example | answer |',
    '|---|---|---|---|',
    ...examples.map(
      (e) =>
        `| [${e.id}](#${e.id.toLowerCase()}--${slug(e.topic)}-${slug(e.title)}) | ${e.topic} | ${cell(e.title)} | ${cell(answer(e))} |`,
    ),
    '',
    ...examples.map((e) => `${renderExample(e)}\n`),
  ]);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
