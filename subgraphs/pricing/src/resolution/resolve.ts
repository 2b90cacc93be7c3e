/**
 * The price resolver (docs/domain.md "Prices", steps 1-7), as a pure function: candidate rules with
 * their books and one request in, the decision with its explanation out. No I/O, no clock,
 * no randomness: the same inputs always give the same answer, whatever their order.
 */
import { formatAmount, Money, type MoneyValue, roundToMinor } from './money.js';

export type PriceScope = 'GLOBAL' | 'ORG' | 'CHANNEL' | 'ORG_CHANNEL';
export type PriceRuleKind = 'FIXED' | 'PERCENT_OFF' | 'AMOUNT_OFF';
export type PriceBookStatus = 'ACTIVE' | 'INACTIVE';

/** Least specific first: a scope's index is its precedence (step 2). */
export const SCOPES_BY_SPECIFICITY: readonly PriceScope[] = [
  'GLOBAL',
  'ORG',
  'CHANNEL',
  'ORG_CHANNEL',
];
export const specificity = (scope: PriceScope) => SCOPES_BY_SPECIFICITY.indexOf(scope);

export interface CandidateBook {
  id: string;
  scope: PriceScope;
  currency: string;
  orgId: string | null;
  channelId: string | null;
  /** inclusive */
  validFrom: Date;
  /** exclusive; null: open-ended */
  validTo: Date | null;
  priority: number;
  status: PriceBookStatus;
  taxIncluded: boolean;
}

export interface CandidateRule {
  id: string;
  skuId: string;
  kind: PriceRuleKind;
  /** decimal string; FIXED: the price, AMOUNT_OFF: the discount */
  amount: string | null;
  /** decimal string, 0-100; PERCENT_OFF */
  percent: string | null;
  minQuantity: number;
  /** narrows the book's window (inclusive); null: the book's */
  validFrom: Date | null;
  /** exclusive; null: the book's */
  validTo: Date | null;
  priority: number;
  taxCategory: string | null;
  createdAt: Date;
  book: CandidateBook;
}

export interface PriceRequest {
  skuId: string;
  /** the buying organization */
  orgId: string;
  channelId: string;
  at: Date;
  /** ISO 4217; the caller defaults it to the channel's currency */
  currency: string;
  quantity: number;
}

export interface Price {
  amount: string;
  currency: string;
}

/**
 * What became of a candidate:
 * - WON: the answer;
 * - SUPERSEDED: won its own scope, but a more specific scope has a price (its price is the base
 *   of the next more specific scope; the one right below the winner's is `originalPrice`);
 * - OUTRANKED: lost the tie-break chain of its scope (step 3);
 * - SKIPPED: a relative rule with no base price from the less specific scopes (step 4);
 * - NOT_APPLICABLE: fails step 1 (book inactive, other currency, outside a window, quantity
 *   below its minimum).
 */
export type CandidateOutcome = 'WON' | 'SUPERSEDED' | 'OUTRANKED' | 'SKIPPED' | 'NOT_APPLICABLE';

export interface CandidateVerdict {
  rule: CandidateRule;
  outcome: CandidateOutcome;
  /** why, in words that name the rule, criterion or window concerned */
  reason: string;
  /** the unit price this candidate produced (WON and SUPERSEDED), else null */
  amount: string | null;
}

export interface PriceDecision {
  request: PriceRequest;
  reason: 'RESOLVED' | 'NO_PRICE';
  /** null exactly when NO_PRICE */
  price: Price | null;
  /** what the less specific scopes resolve to; null when nothing less specific has a price */
  originalPrice: Price | null;
  scope: PriceScope | null;
  rule: CandidateRule | null;
  /** the rule whose price is `originalPrice` (null with it) */
  originalRule: CandidateRule | null;
  /** placeholder for tax: from the winning rule's book */
  taxIncluded: boolean | null;
  /** placeholder for tax: from the winning rule */
  taxCategory: string | null;
  /** every candidate considered, the winner first */
  explanation: CandidateVerdict[];
}

/** Whether a book addresses this buyer in this channel at all (its scope's audience). */
export function bookAddresses(book: CandidateBook, request: PriceRequest): boolean {
  switch (book.scope) {
    case 'GLOBAL':
      return true;
    case 'ORG':
      return book.orgId === request.orgId;
    case 'CHANNEL':
      return book.channelId === request.channelId;
    case 'ORG_CHANNEL':
      return book.orgId === request.orgId && book.channelId === request.channelId;
  }
}

const iso = (d: Date) => d.toISOString();
const span = (from: Date | null, to: Date | null) =>
  `[${from ? iso(from) : '-∞'}, ${to ? iso(to) : '∞'})`;
const contains = (from: Date | null, to: Date | null, at: Date) =>
  (from === null || from.getTime() <= at.getTime()) && (to === null || at.getTime() < to.getTime());

/** Step 1 as a yes/no: `inapplicability` is empty exactly when this holds (a test checks). */
export function isApplicable(rule: CandidateRule, request: PriceRequest): boolean {
  const { book } = rule;
  return (
    book.status === 'ACTIVE' &&
    book.currency === request.currency &&
    contains(book.validFrom, book.validTo, request.at) &&
    contains(rule.validFrom, rule.validTo, request.at) &&
    rule.minQuantity <= request.quantity
  );
}

/** Step 1: why a rule is not a candidate for this request (empty: it is one). */
export function inapplicability(rule: CandidateRule, request: PriceRequest): string[] {
  const { book } = rule;
  const why: string[] = [];
  if (book.status !== 'ACTIVE') why.push(`its book is ${book.status}`);
  if (book.currency !== request.currency)
    why.push(`its book is in ${book.currency}, not ${request.currency}`);
  if (!contains(book.validFrom, book.validTo, request.at))
    why.push(
      `its book's window ${span(book.validFrom, book.validTo)} does not contain ${iso(request.at)}`,
    );
  if (!contains(rule.validFrom, rule.validTo, request.at))
    why.push(
      `its window ${span(rule.validFrom, rule.validTo)} does not contain ${iso(request.at)}`,
    );
  if (rule.minQuantity > request.quantity)
    why.push(`quantity ${request.quantity} is below its minimum quantity ${rule.minQuantity}`);
  return why;
}

/** Where a rule's window starts in effect: the later of its own start and its book's. */
export const windowStart = (rule: CandidateRule): number =>
  Math.max(rule.book.validFrom.getTime(), rule.validFrom?.getTime() ?? Number.NEGATIVE_INFINITY);

interface Criterion {
  name: string;
  /** > 0 when `a` ranks before `b` */
  compare(a: CandidateRule, b: CandidateRule): number;
  show(r: CandidateRule): string;
}

/** Step 3, in order: the first criterion that differs decides. */
export const TIE_BREAKS: readonly Criterion[] = [
  {
    name: 'the higher minimum quantity',
    compare: (a, b) => a.minQuantity - b.minQuantity,
    show: (r) => String(r.minQuantity),
  },
  {
    name: 'the higher rule priority',
    compare: (a, b) => a.priority - b.priority,
    show: (r) => String(r.priority),
  },
  {
    name: 'the higher book priority',
    compare: (a, b) => a.book.priority - b.book.priority,
    show: (r) => String(r.book.priority),
  },
  {
    name: 'the later window start',
    compare: (a, b) => windowStart(a) - windowStart(b),
    show: (r) => iso(new Date(windowStart(r))),
  },
  {
    name: 'the later creation',
    compare: (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
    show: (r) => iso(r.createdAt),
  },
  {
    name: 'the smaller id',
    compare: (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    show: (r) => r.id,
  },
];

/** Sort order of one scope's candidates: the first one ranks highest. A total order on ids. */
export function byRank(a: CandidateRule, b: CandidateRule): number {
  for (const c of TIE_BREAKS) {
    const d = c.compare(a, b);
    if (d !== 0) return d > 0 ? -1 : 1;
  }
  return 0;
}

/** Which criterion put `winner` before `loser`, in words. */
function decidingCriterion(winner: CandidateRule, loser: CandidateRule): string {
  for (const c of TIE_BREAKS) {
    if (c.compare(winner, loser) !== 0)
      return `${c.name} (${c.show(winner)} over ${c.show(loser)})`;
  }
  return 'nothing (the same rule)';
}

function describe(rule: CandidateRule): string {
  switch (rule.kind) {
    case 'FIXED':
      return `FIXED ${rule.amount}`;
    case 'PERCENT_OFF':
      return `${rule.percent}% off`;
    case 'AMOUNT_OFF':
      return `${rule.amount} off`;
  }
}

const ZERO = new Money(0);
const HUNDRED = new Money(100);

/** Step 4 and 5: the unit price a rule gives on `base` (null: a relative rule without base). */
export function applyRule(
  rule: CandidateRule,
  base: MoneyValue | null,
  currency: string,
): MoneyValue | null {
  let value: MoneyValue;
  if (rule.kind === 'FIXED') value = new Money(rule.amount ?? 0);
  else if (base === null) return null;
  else if (rule.kind === 'PERCENT_OFF')
    value = base.times(HUNDRED.minus(rule.percent ?? 0)).dividedBy(HUNDRED);
  else value = base.minus(rule.amount ?? 0);
  return roundToMinor(value.isNegative() ? ZERO : value, currency);
}

interface ScopeWin {
  scope: PriceScope;
  rule: CandidateRule;
  price: MoneyValue;
  base: ScopeWin | null;
}

/** Steps 1-5 for one request: each scope's candidates ranked, the chain of winners, the rest. */
interface Ranking {
  notApplicable: CandidateRule[];
  /** the candidates of each scope, by specificity, in rank order */
  byScope: CandidateRule[][];
  outranked: [CandidateRule, ScopeWin][];
  skipped: CandidateRule[];
  /** the most specific scope's winner, its base the next less specific one's */
  best: ScopeWin | null;
}

function rank(candidates: readonly CandidateRule[], request: PriceRequest): Ranking {
  // the candidates of each scope, by specificity; the reasons of the others are written only
  // when the explanation is read (a page of 142 prices reads none)
  const notApplicable: CandidateRule[] = [];
  const byScope: CandidateRule[][] = [[], [], [], []];
  const seen = new Set<string>();
  for (const rule of candidates) {
    if (rule.skuId !== request.skuId || !bookAddresses(rule.book, request) || seen.has(rule.id))
      continue;
    seen.add(rule.id);
    if (isApplicable(rule, request)) byScope[specificity(rule.book.scope)]!.push(rule);
    else notApplicable.push(rule);
  }

  // Steps 2-5, least specific scope first: each scope's winner is the base of the next.
  let best = null as ScopeWin | null;
  const outranked: [CandidateRule, ScopeWin][] = [];
  const skipped: CandidateRule[] = [];
  for (let i = 0; i < SCOPES_BY_SPECIFICITY.length; i++) {
    const scope = SCOPES_BY_SPECIFICITY[i]!;
    const rules = byScope[i]!;
    if (rules.length > 1) rules.sort(byRank);
    let win = null as ScopeWin | null;
    for (const rule of rules) {
      if (win) {
        outranked.push([rule, win]);
        continue;
      }
      const price = applyRule(rule, best?.price ?? null, request.currency);
      if (price === null) {
        skipped.push(rule);
        continue;
      }
      win = { scope, rule, price, base: best };
    }
    if (win) best = win;
  }

  return { notApplicable, byScope, outranked, skipped, best };
}

/** Every candidate's verdict and reason, in the explanation's order. */
function explain(
  { notApplicable, byScope, outranked, skipped, best }: Ranking,
  request: PriceRequest,
): CandidateVerdict[] {
  const verdicts: CandidateVerdict[] = [
    ...notApplicable.map(
      (rule): CandidateVerdict => ({
        rule,
        outcome: 'NOT_APPLICABLE',
        reason: `not a candidate: ${inapplicability(rule, request).join('; ')}`,
        amount: null,
      }),
    ),
    ...outranked.map(
      ([rule, win]): CandidateVerdict => ({
        rule,
        outcome: 'OUTRANKED',
        reason: `rule ${win.rule.id} wins ${win.scope} on ${decidingCriterion(win.rule, rule)}`,
        amount: null,
      }),
    ),
    ...skipped.map(
      (rule): CandidateVerdict => ({
        rule,
        outcome: 'SKIPPED',
        reason: `${describe(rule)} needs a base price, and no less specific scope has one`,
        amount: null,
      }),
    ),
  ];
  const chain: Link[] = [];
  for (let w: ScopeWin | null = best; w; w = w.base)
    chain.push({ scope: w.scope, rule: w.rule, amount: formatAmount(w.price, request.currency) });
  if (chain.length) {
    for (const [i, reason] of chainReasons(chain, () => true).entries()) {
      const link = chain[i]!;
      verdicts.push({
        rule: link.rule,
        outcome: i === 0 ? 'WON' : 'SUPERSEDED',
        reason,
        amount: link.amount,
      });
    }
  }
  return order(verdicts, best?.rule.id ?? null, byScope);
}

/**
 * Resolves one request. `candidates` may hold anything the loader found: rules of other SKUs
 * and books addressed to other organizations or channels are ignored (they never appear in
 * the answer or its explanation), and a rule given twice counts once.
 *
 * The explanation is written when first read: most readers ask for the price alone (a page of
 * catalog entries), and its reasons are most of the work.
 */
export function resolvePrice(
  candidates: readonly CandidateRule[],
  request: PriceRequest,
): PriceDecision {
  const { best } = rank(candidates, request);
  // ranked again when read: a decision holds its inputs, not the ranking's arrays (a page's
  // decisions live until its answer is sent)
  let explanation: CandidateVerdict[] | undefined;
  const explained = () => {
    explanation ??= explain(rank(candidates, request), request);
    return explanation;
  };

  if (!best) {
    return {
      request,
      reason: 'NO_PRICE',
      price: null,
      originalPrice: null,
      scope: null,
      rule: null,
      originalRule: null,
      taxIncluded: null,
      taxCategory: null,
      get explanation() {
        return explained();
      },
    };
  }

  const money = (value: MoneyValue): Price => ({
    amount: formatAmount(value, request.currency),
    currency: request.currency,
  });
  return {
    request,
    reason: 'RESOLVED',
    price: money(best.price),
    originalPrice: best.base ? money(best.base.price) : null,
    scope: best.scope,
    rule: best.rule,
    originalRule: best.base?.rule ?? null,
    taxIncluded: best.rule.book.taxIncluded,
    taxCategory: best.rule.taxCategory,
    get explanation() {
      return explained();
    },
  };
}

/** A scope's winning rule and the price it gave: a link of the chain of bases (step 4). */
interface Link {
  scope: PriceScope;
  rule: CandidateRule;
  amount: string;
}

/** Whether the reader of an explanation may see a book (its rules, name, amounts). */
export type BookShown = (book: CandidateBook) => boolean;

/** How a reason names a rule of a book its reader may not see. */
export const HIDDEN_RULE = 'a negotiated price of the buyer';

/** How a link's price came about; a base of a hidden book is named without its amount. */
function how(w: Link, base: Link | undefined, shown: BookShown): string {
  if (w.rule.kind === 'FIXED' || !base) return describe(w.rule);
  const of = shown(base.rule.book) ? `${base.amount} (the ${base.scope} price)` : HIDDEN_RULE;
  return `${describe(w.rule)} ${of} = ${w.amount}`;
}

/** The reasons of the chain's links, the winner (the most specific) first. */
function chainReasons(chain: readonly Link[], shown: BookShown): string[] {
  const winner = chain[0]!;
  return chain.map((w, i) => {
    const base = chain[i + 1];
    if (i === 0)
      return `${w.scope} is the most specific scope with a price, and this rule ranks first in it: ${how(w, base, shown)}`;
    const above = chain[i - 1]!;
    const roles = [
      ...(i === 1 ? ['the original price'] : []),
      ...(above.rule.kind === 'FIXED'
        ? []
        : [
            `the base of ${shown(above.rule.book) ? `${above.scope}'s ${describe(above.rule)}` : HIDDEN_RULE}`,
          ]),
    ];
    return `won ${w.scope} with ${how(w, base, shown)}${roles.length ? ` (${roles.join(', ')})` : ''}, but the more specific ${winner.scope} has a price`;
  });
}

/**
 * The explanation as a reader who may not see some of its books reads it (the channel's owner
 * is not shown the buyer's ORG books): a hidden rule that made the price (WON, SUPERSEDED)
 * stays as one line reading HIDDEN_RULE, without amount; the hidden rules that changed nothing
 * are left out; no other line's reason names a hidden rule or its amount. Every book of one
 * scope that addresses a request has the same audience, so the rules an OUTRANKED line names
 * (its scope's winner) are as visible as the line itself.
 */
export function explainFor(decision: PriceDecision, shown: BookShown): CandidateVerdict[] {
  if (decision.explanation.every((v) => shown(v.rule.book))) return decision.explanation;
  const chain = decision.explanation
    .filter((v) => v.outcome === 'WON' || v.outcome === 'SUPERSEDED')
    .map((v): Link => ({ scope: v.rule.book.scope, rule: v.rule, amount: v.amount! }))
    .sort((a, b) => specificity(b.scope) - specificity(a.scope));
  const reasons = new Map(chainReasons(chain, shown).map((r, i) => [chain[i]!.rule.id, r]));
  return decision.explanation.flatMap((v): CandidateVerdict[] => {
    const reason = reasons.get(v.rule.id);
    if (!shown(v.rule.book)) return reason ? [{ ...v, reason: HIDDEN_RULE, amount: null }] : [];
    return [reason ? { ...v, reason } : v];
  });
}

/**
 * The explanation's order: the winner first, then the candidates of each scope from the most
 * specific, each scope in rank order, then the rules that were not candidates (by scope, then
 * rank). Depends only on the set of rules, never on the order they were given in.
 */
function order(
  verdicts: CandidateVerdict[],
  winnerId: string | null,
  ranked: readonly CandidateRule[][],
): CandidateVerdict[] {
  const position = new Map<string, number>();
  for (const rules of ranked) {
    for (const [i, r] of rules.entries()) position.set(r.id, i);
  }
  const group = (v: CandidateVerdict) =>
    v.rule.id === winnerId ? 0 : v.outcome === 'NOT_APPLICABLE' ? 2 : 1;
  return verdicts.sort(
    (a, b) =>
      group(a) - group(b) ||
      specificity(b.rule.book.scope) - specificity(a.rule.book.scope) ||
      (group(a) === 1
        ? position.get(a.rule.id)! - position.get(b.rule.id)!
        : byRank(a.rule, b.rule)),
  );
}
