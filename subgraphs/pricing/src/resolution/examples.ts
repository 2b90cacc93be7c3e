/**
 * The precedence matrix: worked examples of price resolution, in one place. docs/pricing.md is
 * rendered from this table (`pnpm --filter @trellis/pricing docs`), `examples.test.ts` runs
 * every example on the pure resolver, and test/pricing-matrix.test.ts runs them through the
 * gateway (books and rules written with the API, answers read with `resolvePrice`).
 */
import type {
  CandidateBook,
  CandidateOutcome,
  CandidateRule,
  PriceBookStatus,
  PriceRequest,
  PriceRuleKind,
  PriceScope,
} from './resolve.js';

export interface ExampleBook {
  key: string;
  scope: PriceScope;
  /** whose ORG / ORG_CHANNEL book: the buyer's (default) or another organization's */
  org?: 'buyer' | 'other';
  /** default: EUR */
  currency?: string;
  /** default: 2026-01-01T00:00:00Z */
  validFrom?: string;
  validTo?: string;
  priority?: number;
  status?: PriceBookStatus;
  taxIncluded?: boolean;
}

export interface ExampleRule {
  key: string;
  book: string;
  kind: PriceRuleKind;
  amount?: string;
  percent?: string;
  minQuantity?: number;
  validFrom?: string;
  validTo?: string;
  priority?: number;
  taxCategory?: string;
  /** pure resolver only: the id (default: derived from the position) */
  id?: string;
  /** pure resolver only: the creation time (default: one second after the previous rule) */
  createdAt?: string;
}

export interface PricingExample {
  id: string;
  topic:
    | 'scope'
    | 'windows'
    | 'tiers'
    | 'relative'
    | 'rounding'
    | 'ties'
    | 'no price'
    | 'currency'
    | 'tax';
  title: string;
  /** why the answer is what it is, in one or two sentences */
  why: string;
  books: ExampleBook[];
  /** in creation order */
  rules: ExampleRule[];
  request: {
    at: string;
    /** default 1 */
    quantity?: number;
    /** default: the channel's */
    currency?: string;
    /** the channel's currency; default EUR */
    channelCurrency?: string;
  };
  expect: {
    reason: 'RESOLVED' | 'NO_PRICE';
    price?: string;
    /** the answer's currency; default: the request's */
    currency?: string;
    originalPrice?: string | null;
    scope?: PriceScope;
    /** the winning rule's key */
    rule?: string;
    /** every rule's outcome, by key */
    outcomes: Record<string, CandidateOutcome>;
    /** the explanation's rules, in order (when it matters) */
    explained?: string[];
    taxIncluded?: boolean;
    taxCategory?: string | null;
  };
  /** why this example runs on the pure resolver only (not reachable through the API) */
  pureOnly?: string;
}

export const EXAMPLE_DEFAULTS = {
  currency: 'EUR',
  validFrom: '2026-01-01T00:00:00.000Z',
  firstCreatedAt: '2026-01-01T00:00:00.000Z',
} as const;

const AT = '2026-06-15T12:00:00.000Z';

export const PRICING_EXAMPLES: PricingExample[] = [
  {
    id: 'E01',
    topic: 'scope',
    title: 'ORG_CHANNEL beats CHANNEL, ORG and GLOBAL',
    why: 'The most specific scope with a price wins; the next less specific one (CHANNEL) is the original price.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'dealer', scope: 'ORG' },
      { key: 'channel', scope: 'CHANNEL' },
      { key: 'dealer-in-channel', scope: 'ORG_CHANNEL' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'o', book: 'dealer', kind: 'FIXED', amount: '95.00' },
      { key: 'c', book: 'channel', kind: 'FIXED', amount: '90.00' },
      { key: 'oc', book: 'dealer-in-channel', kind: 'FIXED', amount: '85.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '85.00',
      originalPrice: '90.00',
      scope: 'ORG_CHANNEL',
      rule: 'oc',
      outcomes: { oc: 'WON', c: 'SUPERSEDED', o: 'SUPERSEDED', g: 'SUPERSEDED' },
      explained: ['oc', 'c', 'o', 'g'],
    },
  },
  {
    id: 'E02',
    topic: 'scope',
    title: 'CHANNEL beats ORG, even when ORG is cheaper',
    why: 'Precedence is by scope, not by amount: CHANNEL is more specific than ORG.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'dealer', scope: 'ORG' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'o', book: 'dealer', kind: 'FIXED', amount: '92.00' },
      { key: 'c', book: 'channel', kind: 'FIXED', amount: '95.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '95.00',
      originalPrice: '92.00',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', o: 'SUPERSEDED', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E03',
    topic: 'scope',
    title: "Another organization's negotiated prices never apply, and are not explained",
    why: 'ORG and ORG_CHANNEL books address one buyer; for anyone else they are not even candidates, so they cannot leak.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'other-dealer', scope: 'ORG', org: 'other' },
      { key: 'other-dealer-in-channel', scope: 'ORG_CHANNEL', org: 'other' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'x', book: 'other-dealer', kind: 'FIXED', amount: '50.00' },
      { key: 'y', book: 'other-dealer-in-channel', kind: 'FIXED', amount: '40.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '100.00',
      originalPrice: null,
      scope: 'GLOBAL',
      rule: 'g',
      outcomes: { g: 'WON' },
      explained: ['g'],
    },
  },
  {
    id: 'E04',
    topic: 'windows',
    title: "A book's window ends exclusively",
    why: 'At the instant the CHANNEL book ends it no longer applies; the GLOBAL price answers.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'channel-h1', scope: 'CHANNEL', validTo: '2026-07-01T00:00:00.000Z' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'c', book: 'channel-h1', kind: 'FIXED', amount: '90.00' },
    ],
    request: { at: '2026-07-01T00:00:00.000Z' },
    expect: {
      reason: 'RESOLVED',
      price: '100.00',
      originalPrice: null,
      scope: 'GLOBAL',
      rule: 'g',
      outcomes: { g: 'WON', c: 'NOT_APPLICABLE' },
    },
  },
  {
    id: 'E05',
    topic: 'windows',
    title: 'A scheduled promotion applies from its first instant',
    why: "The promotion rule's window starts inclusively; within CHANNEL its book's higher priority ranks it first.",
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'channel', scope: 'CHANNEL' },
      { key: 'promotion', scope: 'CHANNEL', priority: 10 },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'c', book: 'channel', kind: 'FIXED', amount: '95.00' },
      {
        key: 'promo',
        book: 'promotion',
        kind: 'PERCENT_OFF',
        percent: '20',
        validFrom: '2026-07-01T00:00:00.000Z',
        validTo: '2026-08-01T00:00:00.000Z',
      },
    ],
    request: { at: '2026-07-01T00:00:00.000Z' },
    expect: {
      reason: 'RESOLVED',
      price: '80.00',
      originalPrice: '100.00',
      scope: 'CHANNEL',
      rule: 'promo',
      outcomes: { promo: 'WON', c: 'OUTRANKED', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E06',
    topic: 'windows',
    title: 'The same promotion, one millisecond before it starts',
    why: 'Outside its window the promotion is not a candidate; the regular CHANNEL price answers.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'channel', scope: 'CHANNEL' },
      { key: 'promotion', scope: 'CHANNEL', priority: 10 },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'c', book: 'channel', kind: 'FIXED', amount: '95.00' },
      {
        key: 'promo',
        book: 'promotion',
        kind: 'PERCENT_OFF',
        percent: '20',
        validFrom: '2026-07-01T00:00:00.000Z',
        validTo: '2026-08-01T00:00:00.000Z',
      },
    ],
    request: { at: '2026-06-30T23:59:59.999Z' },
    expect: {
      reason: 'RESOLVED',
      price: '95.00',
      originalPrice: '100.00',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', g: 'SUPERSEDED', promo: 'NOT_APPLICABLE' },
    },
  },
  {
    id: 'E07',
    topic: 'tiers',
    title: 'The highest tier the quantity reaches applies to the whole quantity',
    why: 'Quantity 10 reaches the tiers from 1 and from 10; the higher minimum quantity wins, and the tier from 50 is not a candidate.',
    books: [{ key: 'list', scope: 'GLOBAL' }],
    rules: [
      { key: 'q1', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'q10', book: 'list', kind: 'FIXED', amount: '90.00', minQuantity: 10 },
      { key: 'q50', book: 'list', kind: 'FIXED', amount: '80.00', minQuantity: 50 },
    ],
    request: { at: AT, quantity: 10 },
    expect: {
      reason: 'RESOLVED',
      price: '90.00',
      originalPrice: null,
      scope: 'GLOBAL',
      rule: 'q10',
      outcomes: { q10: 'WON', q1: 'OUTRANKED', q50: 'NOT_APPLICABLE' },
    },
  },
  {
    id: 'E08',
    topic: 'tiers',
    title: 'One below a tier',
    why: 'Quantity 9 does not reach the tier from 10.',
    books: [{ key: 'list', scope: 'GLOBAL' }],
    rules: [
      { key: 'q1', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'q10', book: 'list', kind: 'FIXED', amount: '90.00', minQuantity: 10 },
    ],
    request: { at: AT, quantity: 9 },
    expect: {
      reason: 'RESOLVED',
      price: '100.00',
      originalPrice: null,
      scope: 'GLOBAL',
      rule: 'q1',
      outcomes: { q1: 'WON', q10: 'NOT_APPLICABLE' },
    },
  },
  {
    id: 'E09',
    topic: 'tiers',
    title: 'Scope comes before tiers',
    why: 'A CHANNEL price from quantity 1 beats a cheaper GLOBAL tier from 10: quantity only ranks rules within one scope.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'g10', book: 'list', kind: 'FIXED', amount: '80.00', minQuantity: 10 },
      { key: 'c1', book: 'channel', kind: 'FIXED', amount: '95.00' },
    ],
    request: { at: AT, quantity: 10 },
    expect: {
      reason: 'RESOLVED',
      price: '95.00',
      originalPrice: '80.00',
      scope: 'CHANNEL',
      rule: 'c1',
      outcomes: { c1: 'WON', g10: 'SUPERSEDED' },
    },
  },
  {
    id: 'E10',
    topic: 'relative',
    title: 'A percentage off applies to what the less specific scopes resolve to',
    why: '15% off the GLOBAL 100.00; the base is also the original price.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'dealer-in-channel', scope: 'ORG_CHANNEL' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00' },
      { key: 'oc', book: 'dealer-in-channel', kind: 'PERCENT_OFF', percent: '15' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '85.00',
      originalPrice: '100.00',
      scope: 'ORG_CHANNEL',
      rule: 'oc',
      outcomes: { oc: 'WON', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E11',
    topic: 'relative',
    title: 'Relative rules chain through the scopes',
    why: 'ORG takes 8% off GLOBAL (5510.80), then CHANNEL takes 5% off that (5235.26); each step is rounded.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'dealer', scope: 'ORG' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '5990.00' },
      { key: 'o', book: 'dealer', kind: 'PERCENT_OFF', percent: '8' },
      { key: 'c', book: 'channel', kind: 'PERCENT_OFF', percent: '5' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '5235.26',
      originalPrice: '5510.80',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', o: 'SUPERSEDED', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E12',
    topic: 'relative',
    title: 'An amount off never takes a price below zero',
    why: '15.00 off a base of 10.00 is 0.00, not -5.00.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '10.00' },
      { key: 'c', book: 'channel', kind: 'AMOUNT_OFF', amount: '15.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '0.00',
      originalPrice: '10.00',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E13',
    topic: 'relative',
    title: 'A relative rule without a base is skipped; the next rule of its scope answers',
    why: 'Nothing less specific than CHANNEL has a price, so the higher-priority 10% off is skipped and the FIXED rule wins.',
    books: [
      { key: 'channel-discounts', scope: 'CHANNEL' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'pct', book: 'channel-discounts', kind: 'PERCENT_OFF', percent: '10', priority: 5 },
      { key: 'c', book: 'channel', kind: 'FIXED', amount: '70.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '70.00',
      originalPrice: null,
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', pct: 'SKIPPED' },
    },
  },
  {
    id: 'E14',
    topic: 'rounding',
    title: 'USD: two decimals, half-even',
    why: '50% off 0.45 is 0.225; half-even rounds to the even cent, 0.22 (half-up would say 0.23).',
    books: [
      { key: 'list', scope: 'GLOBAL', currency: 'USD' },
      { key: 'channel', scope: 'CHANNEL', currency: 'USD' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '0.45' },
      { key: 'c', book: 'channel', kind: 'PERCENT_OFF', percent: '50' },
    ],
    request: { at: AT, channelCurrency: 'USD' },
    expect: {
      reason: 'RESOLVED',
      price: '0.22',
      originalPrice: '0.45',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E15',
    topic: 'rounding',
    title: 'JPY: no decimals, half-even',
    why: '10% off ¥1245 is ¥1120.5; half-even gives ¥1120 (half-up would say ¥1121); the amount has no decimal point.',
    books: [
      { key: 'list', scope: 'GLOBAL', currency: 'JPY' },
      { key: 'channel', scope: 'CHANNEL', currency: 'JPY' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '1245' },
      { key: 'c', book: 'channel', kind: 'PERCENT_OFF', percent: '10' },
    ],
    request: { at: AT, channelCurrency: 'JPY' },
    expect: {
      reason: 'RESOLVED',
      price: '1120',
      originalPrice: '1245',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E16',
    topic: 'rounding',
    title: 'KWD: three decimals, half-even',
    why: '10% off 1.245 KWD is 1.1205; half-even gives 1.120 (half-up would say 1.121).',
    books: [
      { key: 'list', scope: 'GLOBAL', currency: 'KWD' },
      { key: 'channel', scope: 'CHANNEL', currency: 'KWD' },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '1.245' },
      { key: 'c', book: 'channel', kind: 'PERCENT_OFF', percent: '10' },
    ],
    request: { at: AT, channelCurrency: 'KWD' },
    expect: {
      reason: 'RESOLVED',
      price: '1.120',
      originalPrice: '1.245',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', g: 'SUPERSEDED' },
    },
  },
  {
    id: 'E17',
    topic: 'rounding',
    title: 'Fixed amounts are rounded too',
    why: 'A book may store four decimals; 2.345 USD answers 2.34 (half-even) and 2.355 would answer 2.36.',
    books: [{ key: 'list', scope: 'GLOBAL', currency: 'USD' }],
    rules: [{ key: 'g', book: 'list', kind: 'FIXED', amount: '2.345' }],
    request: { at: AT, channelCurrency: 'USD' },
    expect: {
      reason: 'RESOLVED',
      price: '2.34',
      originalPrice: null,
      scope: 'GLOBAL',
      rule: 'g',
      outcomes: { g: 'WON' },
    },
  },
  {
    id: 'E18',
    topic: 'ties',
    title: 'Same scope and tier: the higher rule priority wins',
    why: 'Two CHANNEL books price the SKU from quantity 1; the rule with priority 5 ranks first.',
    books: [
      { key: 'channel-a', scope: 'CHANNEL' },
      { key: 'channel-b', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'a', book: 'channel-a', kind: 'FIXED', amount: '97.00', priority: 5 },
      { key: 'b', book: 'channel-b', kind: 'FIXED', amount: '93.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '97.00',
      originalPrice: null,
      scope: 'CHANNEL',
      rule: 'a',
      outcomes: { a: 'WON', b: 'OUTRANKED' },
    },
  },
  {
    id: 'E19',
    topic: 'ties',
    title: 'Equal rule priorities: the higher book priority wins',
    why: 'The rules tie on quantity and rule priority; book priority 2 beats 1.',
    books: [
      { key: 'channel-a', scope: 'CHANNEL', priority: 1 },
      { key: 'channel-b', scope: 'CHANNEL', priority: 2 },
    ],
    rules: [
      { key: 'a', book: 'channel-a', kind: 'FIXED', amount: '97.00' },
      { key: 'b', book: 'channel-b', kind: 'FIXED', amount: '93.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '93.00',
      originalPrice: null,
      scope: 'CHANNEL',
      rule: 'b',
      outcomes: { b: 'WON', a: 'OUTRANKED' },
    },
  },
  {
    id: 'E20',
    topic: 'ties',
    title: 'Equal priorities: the latest window start wins',
    why: "The newer book's window started on 1 March; a rule's window start is the later of its own and its book's.",
    books: [
      { key: 'channel-2026', scope: 'CHANNEL' },
      { key: 'channel-march', scope: 'CHANNEL', validFrom: '2026-03-01T00:00:00.000Z' },
    ],
    rules: [
      { key: 'old', book: 'channel-2026', kind: 'FIXED', amount: '97.00' },
      { key: 'new', book: 'channel-march', kind: 'FIXED', amount: '99.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '99.00',
      originalPrice: null,
      scope: 'CHANNEL',
      rule: 'new',
      outcomes: { new: 'WON', old: 'OUTRANKED' },
    },
  },
  {
    id: 'E21',
    topic: 'ties',
    title: 'Equal windows: the latest created rule wins',
    why: 'Everything else ties; the rule created last ranks first.',
    books: [
      { key: 'channel-a', scope: 'CHANNEL' },
      { key: 'channel-b', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'first', book: 'channel-a', kind: 'FIXED', amount: '97.00' },
      { key: 'second', book: 'channel-b', kind: 'FIXED', amount: '98.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '98.00',
      originalPrice: null,
      scope: 'CHANNEL',
      rule: 'second',
      outcomes: { second: 'WON', first: 'OUTRANKED' },
    },
  },
  {
    id: 'E22',
    topic: 'ties',
    title: 'Created at the same instant: the smallest id wins',
    why: 'The last tie-break makes every answer deterministic.',
    pureOnly:
      'through the API, ids are generated and creation times differ; this last resort is shown on the resolver itself',
    books: [
      { key: 'channel-a', scope: 'CHANNEL' },
      { key: 'channel-b', scope: 'CHANNEL' },
    ],
    rules: [
      {
        key: 'larger',
        book: 'channel-a',
        kind: 'FIXED',
        amount: '97.00',
        id: '0196a000-0000-7000-8000-0000000000b2',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      {
        key: 'smaller',
        book: 'channel-b',
        kind: 'FIXED',
        amount: '98.00',
        id: '0196a000-0000-7000-8000-0000000000b1',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '98.00',
      originalPrice: null,
      scope: 'CHANNEL',
      rule: 'smaller',
      outcomes: { smaller: 'WON', larger: 'OUTRANKED' },
    },
  },
  {
    id: 'E23',
    topic: 'no price',
    title: 'No candidate: NO_PRICE, and the explanation says why for each rule',
    why: 'An inactive book, a book in another currency, an expired window and a tier above the quantity: none is a candidate.',
    books: [
      { key: 'inactive', scope: 'GLOBAL', status: 'INACTIVE' },
      { key: 'dollars', scope: 'GLOBAL', currency: 'USD' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'off', book: 'inactive', kind: 'FIXED', amount: '100.00' },
      { key: 'usd', book: 'dollars', kind: 'FIXED', amount: '110.00' },
      {
        key: 'expired',
        book: 'channel',
        kind: 'FIXED',
        amount: '90.00',
        validTo: '2026-02-01T00:00:00.000Z',
      },
      {
        key: 'bulk',
        book: 'channel',
        kind: 'FIXED',
        amount: '80.00',
        minQuantity: 100,
      },
    ],
    request: { at: AT },
    expect: {
      reason: 'NO_PRICE',
      outcomes: {
        off: 'NOT_APPLICABLE',
        usd: 'NOT_APPLICABLE',
        expired: 'NOT_APPLICABLE',
        bulk: 'NOT_APPLICABLE',
      },
    },
  },
  {
    id: 'E24',
    topic: 'no price',
    title: 'Only relative rules: NO_PRICE',
    why: 'A discount needs something to discount; with no base in any less specific scope, every relative rule is skipped.',
    books: [
      { key: 'dealer', scope: 'ORG' },
      { key: 'channel', scope: 'CHANNEL' },
    ],
    rules: [
      { key: 'o', book: 'dealer', kind: 'PERCENT_OFF', percent: '8' },
      { key: 'c', book: 'channel', kind: 'AMOUNT_OFF', amount: '5.00' },
    ],
    request: { at: AT },
    expect: {
      reason: 'NO_PRICE',
      outcomes: { o: 'SKIPPED', c: 'SKIPPED' },
      explained: ['c', 'o'],
    },
  },
  {
    id: 'E25',
    topic: 'currency',
    title: 'Asking for another currency picks the books in that currency',
    why: 'The channel sells in EUR, but the request asks for USD: only USD books are candidates.',
    books: [
      { key: 'list-eur', scope: 'GLOBAL' },
      { key: 'list-usd', scope: 'GLOBAL', currency: 'USD' },
    ],
    rules: [
      { key: 'eur', book: 'list-eur', kind: 'FIXED', amount: '100.00' },
      { key: 'usd', book: 'list-usd', kind: 'FIXED', amount: '120.00' },
    ],
    request: { at: AT, currency: 'USD' },
    expect: {
      reason: 'RESOLVED',
      price: '120.00',
      currency: 'USD',
      originalPrice: null,
      scope: 'GLOBAL',
      rule: 'usd',
      outcomes: { usd: 'WON', eur: 'NOT_APPLICABLE' },
    },
  },
  {
    id: 'E26',
    topic: 'tax',
    title:
      "Tax placeholders: taxIncluded from the winner's book, taxCategory from the winning rule",
    why: 'The CHANNEL book states gross prices; its rule carries the category.',
    books: [
      { key: 'list', scope: 'GLOBAL' },
      { key: 'channel-gross', scope: 'CHANNEL', taxIncluded: true },
    ],
    rules: [
      { key: 'g', book: 'list', kind: 'FIXED', amount: '100.00', taxCategory: 'reduced' },
      { key: 'c', book: 'channel-gross', kind: 'FIXED', amount: '119.00', taxCategory: 'standard' },
    ],
    request: { at: AT },
    expect: {
      reason: 'RESOLVED',
      price: '119.00',
      originalPrice: '100.00',
      scope: 'CHANNEL',
      rule: 'c',
      outcomes: { c: 'WON', g: 'SUPERSEDED' },
      taxIncluded: true,
      taxCategory: 'standard',
    },
  },
];

/** The organizations, channel and SKU an example is played with. */
export interface ExampleParties {
  buyer: string;
  other: string;
  channel: string;
  sku: string;
}

export const EXAMPLE_PARTIES: ExampleParties = {
  buyer: '0196a000-0000-7000-8000-00000000b0e1',
  other: '0196a000-0000-7000-8000-00000000b0e2',
  channel: '0196a000-0000-7000-8000-00000000c0a1',
  sku: '0196a000-0000-7000-8000-00000000510a',
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** An example's books as the resolver sees them (ids derived from their position). */
export function exampleBooks(
  example: PricingExample,
  parties: ExampleParties = EXAMPLE_PARTIES,
): Map<string, CandidateBook> {
  return new Map(
    example.books.map((b, i) => {
      const org = b.org === 'other' ? parties.other : parties.buyer;
      return [
        b.key,
        {
          id: `0196a000-0000-7000-8000-00000000a${hex(i, 3)}`,
          scope: b.scope,
          currency: b.currency ?? EXAMPLE_DEFAULTS.currency,
          orgId: b.scope === 'ORG' || b.scope === 'ORG_CHANNEL' ? org : null,
          channelId: b.scope === 'CHANNEL' || b.scope === 'ORG_CHANNEL' ? parties.channel : null,
          validFrom: new Date(b.validFrom ?? EXAMPLE_DEFAULTS.validFrom),
          validTo: b.validTo ? new Date(b.validTo) : null,
          priority: b.priority ?? 0,
          status: b.status ?? 'ACTIVE',
          taxIncluded: b.taxIncluded ?? false,
        },
      ];
    }),
  );
}

/** An example's rules, with their books, as the resolver sees them (keyed by rule key). */
export function exampleRules(
  example: PricingExample,
  parties: ExampleParties = EXAMPLE_PARTIES,
): Map<string, CandidateRule> {
  const books = exampleBooks(example, parties);
  const first = new Date(EXAMPLE_DEFAULTS.firstCreatedAt).getTime();
  return new Map(
    example.rules.map((r, i) => [
      r.key,
      {
        id: r.id ?? `0196a000-0000-7000-8000-00000000f${hex(i, 3)}`,
        skuId: parties.sku,
        kind: r.kind,
        amount: r.amount ?? null,
        percent: r.percent ?? null,
        minQuantity: r.minQuantity ?? 1,
        validFrom: r.validFrom ? new Date(r.validFrom) : null,
        validTo: r.validTo ? new Date(r.validTo) : null,
        priority: r.priority ?? 0,
        taxCategory: r.taxCategory ?? null,
        createdAt: new Date(r.createdAt ?? first + i * 1000),
        book: books.get(r.book)!,
      },
    ]),
  );
}

/** The request of an example (the buyer, in the example channel). */
export function exampleRequest(
  example: PricingExample,
  parties: ExampleParties = EXAMPLE_PARTIES,
): PriceRequest {
  return {
    skuId: parties.sku,
    orgId: parties.buyer,
    channelId: parties.channel,
    at: new Date(example.request.at),
    currency: example.request.currency ?? example.request.channelCurrency ?? 'EUR',
    quantity: example.request.quantity ?? 1,
  };
}

/** A decision as a test observes it (from the resolver or from the API), rules named by id. */
export interface ObservedDecision {
  reason: string;
  price: { amount: string; currency: string } | null;
  originalPrice: { amount: string; currency: string } | null;
  scope: string | null;
  ruleId: string | null;
  taxIncluded: boolean | null;
  taxCategory: string | null;
  explanation: { ruleId: string | null; outcome: string }[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Where an observed decision departs from its example ([] when it matches). */
export function exampleMismatches(
  example: PricingExample,
  observed: ObservedDecision,
  ruleIds: ReadonlyMap<string, string>,
): string[] {
  const keyOf = new Map([...ruleIds].map(([key, id]) => [id, key]));
  const name = (id: string | null) => (id === null ? null : (keyOf.get(id) ?? id));
  const want = example.expect;
  const currency =
    want.currency ?? example.request.currency ?? example.request.channelCurrency ?? 'EUR';
  const problems: string[] = [];
  const check = (what: string, got: unknown, expected: unknown) => {
    if (!same(got, expected))
      problems.push(`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  };
  const money = (amount: string | null | undefined) =>
    amount == null ? null : { amount, currency };
  check('reason', observed.reason, want.reason);
  check('price', observed.price, money(want.price));
  check('originalPrice', observed.originalPrice, money(want.originalPrice));
  check('scope', observed.scope, want.scope ?? null);
  check('rule', name(observed.ruleId), want.rule ?? null);
  if (want.reason === 'NO_PRICE') {
    check('taxIncluded', observed.taxIncluded, null);
    check('taxCategory', observed.taxCategory, null);
  } else {
    check('explanation[0]', name(observed.explanation[0]?.ruleId ?? null), want.rule);
  }
  if (want.taxIncluded !== undefined) check('taxIncluded', observed.taxIncluded, want.taxIncluded);
  if (want.taxCategory !== undefined) check('taxCategory', observed.taxCategory, want.taxCategory);
  const outcomes = Object.fromEntries(
    observed.explanation.map((e) => [name(e.ruleId), e.outcome] as const),
  );
  const sorted = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  check('outcomes', sorted(outcomes), sorted(want.outcomes));
  if (want.explained)
    check(
      'explanation order',
      observed.explanation.map((e) => name(e.ruleId)),
      want.explained,
    );
  return problems;
}
