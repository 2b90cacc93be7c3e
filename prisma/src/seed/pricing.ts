import { PrismaClient as PricingClient } from '../../pricing/generated/client.ts';
import type { Database } from '../database.js';
import { demoId, demoOrgId } from './demo.js';

// Demo price books on top of the demo network (seed/demo.ts): every scope, tiers, a scheduled
// promotion, an ended one, an inactive draft, a dealer's negotiated prices, relative rules and
// SKUs without a price, so the flagship query (OrgCatalogWithPrices) shows every kind of answer.
// docs/pricing.md ("The demo price books") walks through them.

const sku = (code: string) => demoId('sku', code);
const channel = (code: string) => demoId('channel', code);
export const demoPriceBookId = (key: string) => demoId('price-book', key);
export const demoPriceRuleId = (book: string, skuCode: string, minQuantity = 1) =>
  demoId('price-rule', `${book}:${skuCode}:${minQuantity}`);

type Scope = 'GLOBAL' | 'ORG' | 'CHANNEL' | 'ORG_CHANNEL';
type Kind = 'FIXED' | 'PERCENT_OFF' | 'AMOUNT_OFF';

interface BookSeed {
  key: string;
  name: string;
  scope: Scope;
  currency: string;
  /** org key (seed/demo.ts) for ORG and ORG_CHANNEL books */
  org?: string;
  /** channel code for CHANNEL and ORG_CHANNEL books */
  channel?: string;
  validFrom?: string;
  validTo?: string;
  priority?: number;
  status?: 'ACTIVE' | 'INACTIVE';
  taxIncluded?: boolean;
  /** [SKU code, kind, amount or percent, min quantity, tax category] */
  rules: [code: string, kind: Kind, value: string, minQuantity?: number, taxCategory?: string][];
}

const fixed = (prices: Record<string, string>, minQuantity = 1, tax = 'standard') =>
  Object.entries(prices).map(
    ([code, amount]) => [code, 'FIXED', amount, minQuantity, tax] as BookSeed['rules'][number],
  );
const percentOff = (codes: string[], percent: string) =>
  codes.map((code) => [code, 'PERCENT_OFF', percent] as BookSeed['rules'][number]);

/** Acme list prices in EUR (ACM-09-15M and ACM-10-HD have none anywhere: NO_PRICE). */
const ACME_LIST_EUR: Record<string, string> = {
  'ACM-01-6KW': '4990.00',
  'ACM-01-9KW': '5990.00',
  'ACM-01-12KW': '7490.00',
  'ACM-02-2.5KW': '890.00',
  'ACM-02-3.5KW': '1290.00',
  'ACM-02-5KW': '1690.00',
  'ACM-03-24': '1890.00',
  'ACM-03-30': '2190.00',
  'ACM-03-35': '2490.00',
  'ACM-04-S': '2990.00',
  'ACM-04-M': '3490.00',
  'ACM-04-L': '4190.00',
  'ACM-05-150L': '990.00',
  'ACM-05-200L': '1290.00',
  'ACM-05-300L': '1590.00',
  'ACM-06-BASIC': '89.00',
  'ACM-06-WIFI': '249.00',
  'ACM-06-PRO': '349.00',
  'ACM-07-STD': '1490.00',
  'ACM-07-BUF': '1890.00',
  'ACM-07-DUO': '2290.00',
  'ACM-08-4': '390.00',
  'ACM-08-8': '590.00',
  'ACM-08-12': '790.00',
  'ACM-09-5M': '149.00',
  'ACM-09-10M': '229.00',
  'ACM-10-MINI': '119.00',
  'ACM-10-STD': '169.00',
};

/** Borealis list prices in USD (BOR-10-CRAFT has none). */
const BOREALIS_LIST_USD: Record<string, string> = {
  'BOR-01-28': '2799.00',
  'BOR-01-32': '3199.00',
  'BOR-01-36': '3799.00',
  'BOR-02-30': '1899.00',
  'BOR-02-36': '2699.00',
  'BOR-02-48': '4999.00',
  'BOR-03-STD': '749.00',
  'BOR-03-QUIET': '999.00',
  'BOR-03-PRO': '1299.00',
  'BOR-04-7': '299.00',
  'BOR-04-10': '399.00',
  'BOR-04-15': '549.00',
  'BOR-05-30': '499.00',
  'BOR-05-36': '649.00',
  'BOR-05-ISL': '1199.00',
  'BOR-06-4.5': '899.00',
  'BOR-06-5.0': '1049.00',
  'BOR-06-STEAM': '1299.00',
  'BOR-07-STD': '999.00',
  'BOR-07-XL': '1199.00',
  'BOR-07-STACK': '1149.00',
  'BOR-08-SGL': '2199.00',
  'BOR-08-DBL': '3299.00',
  'BOR-08-COMBI': '3999.00',
  'BOR-09-1PK': '54.99',
  'BOR-09-3PK': '149.99',
  'BOR-09-6PK': '279.99',
  'BOR-10-STD': '199.00',
  'BOR-10-DUAL': '279.00',
};

const SINCE = '2025-01-01T00:00:00Z';

export const DEMO_PRICE_BOOKS: BookSeed[] = [
  {
    key: 'acme-list-eur',
    name: 'Acme list prices (EUR)',
    scope: 'GLOBAL',
    currency: 'EUR',
    rules: [
      ...fixed(ACME_LIST_EUR),
      // volume tiers: the tier price applies to the whole quantity
      ...fixed(
        { 'ACM-02-2.5KW': '819.00', 'ACM-02-3.5KW': '1190.00', 'ACM-02-5KW': '1549.00' },
        10,
      ),
      ...fixed({ 'ACM-09-5M': '129.00', 'ACM-09-10M': '199.00' }, 20),
    ],
  },
  {
    key: 'acme-list-gbp',
    name: 'Acme list prices (GBP)',
    scope: 'GLOBAL',
    currency: 'GBP',
    taxIncluded: true,
    rules: fixed({
      'ACM-01-6KW': '4390.00',
      'ACM-01-9KW': '5290.00',
      'ACM-01-12KW': '6590.00',
      'ACM-02-2.5KW': '790.00',
      'ACM-02-3.5KW': '1140.00',
      'ACM-02-5KW': '1490.00',
      'ACM-06-BASIC': '79.00',
      'ACM-06-WIFI': '219.00',
      'ACM-06-PRO': '309.00',
    }),
  },
  {
    key: 'borealis-list-usd',
    name: 'Borealis list prices (USD)',
    scope: 'GLOBAL',
    currency: 'USD',
    rules: fixed(BOREALIS_LIST_USD),
  },
  {
    key: 'acme-winter-clearance-2025',
    name: 'Winter clearance 2025 (ended)',
    scope: 'GLOBAL',
    currency: 'EUR',
    validFrom: '2025-12-01T00:00:00Z',
    validTo: '2026-01-01T00:00:00Z',
    priority: 5,
    rules: fixed({ 'ACM-03-24': '1590.00', 'ACM-03-30': '1890.00', 'ACM-03-35': '2190.00' }),
  },
  {
    key: 'acme-dach-channel',
    name: 'Acme via Rheinland: channel prices',
    scope: 'CHANNEL',
    currency: 'EUR',
    channel: 'ACME-DACH',
    rules: [
      ['ACM-01-6KW', 'FIXED', '4790.00', 1, 'standard'],
      ['ACM-01-9KW', 'PERCENT_OFF', '5'],
      ['ACM-03-24', 'FIXED', '1690.00', 1, 'standard'],
      ['ACM-06-WIFI', 'AMOUNT_OFF', '20.00'],
    ],
  },
  {
    key: 'acme-dach-summer-2030',
    name: 'Summer heat-pump promotion 2030 (scheduled)',
    scope: 'CHANNEL',
    currency: 'EUR',
    channel: 'ACME-DACH',
    validFrom: '2030-06-01T00:00:00Z',
    validTo: '2030-07-01T00:00:00Z',
    priority: 10,
    rules: [...percentOff(['ACM-01-9KW'], '12'), ...percentOff(['ACM-01-12KW'], '15')],
  },
  {
    key: 'acme-dach-2027-draft',
    name: 'Acme via Rheinland: 2027 prices (draft, inactive)',
    scope: 'CHANNEL',
    currency: 'EUR',
    channel: 'ACME-DACH',
    status: 'INACTIVE',
    validFrom: '2027-01-01T00:00:00Z',
    rules: fixed({ 'ACM-01-6KW': '4690.00', 'ACM-03-24': '1650.00' }),
  },
  {
    key: 'koeln-klima-frame',
    name: 'Köln Klima frame agreement',
    scope: 'ORG',
    currency: 'EUR',
    org: 'koeln-klima',
    rules: percentOff(['ACM-01-6KW', 'ACM-01-9KW', 'ACM-01-12KW', 'ACM-07-STD', 'ACM-07-BUF'], '8'),
  },
  {
    key: 'koeln-klima-dach',
    name: 'Köln Klima in Acme via Rheinland (negotiated)',
    scope: 'ORG_CHANNEL',
    currency: 'EUR',
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    rules: [
      ...fixed({ 'ACM-01-6KW': '4590.00', 'ACM-05-200L': '1090.00' }),
      ...fixed({ 'ACM-05-200L': '990.00' }, 5),
    ],
  },
  {
    key: 'acme-direct-eu-channel',
    name: 'Acme Direct Europe: channel prices',
    scope: 'CHANNEL',
    currency: 'EUR',
    channel: 'ACME-DIRECT-EU',
    rules: percentOff(['ACM-04-S', 'ACM-04-M', 'ACM-04-L'], '10'),
  },
  {
    key: 'acme-nordic-channel',
    name: 'Acme via Nordic HVAC: channel prices',
    scope: 'CHANNEL',
    currency: 'EUR',
    channel: 'ACME-NORDIC',
    rules: [
      ...percentOff(['ACM-02-2.5KW', 'ACM-02-3.5KW', 'ACM-02-5KW'], '4'),
      ...fixed({ 'ACM-05-150L': '940.00', 'ACM-05-200L': '1225.00', 'ACM-05-300L': '1510.00' }),
    ],
  },
  {
    key: 'stockholm-klimat-nordic',
    name: 'Stockholm Klimat in Acme via Nordic HVAC (negotiated)',
    scope: 'ORG_CHANNEL',
    currency: 'EUR',
    org: 'stockholm-klimat',
    channel: 'ACME-NORDIC',
    rules: fixed({ 'ACM-01-9KW': '5390.00' }),
  },
  {
    key: 'borealis-west-channel',
    name: 'Borealis West Coast: channel prices',
    scope: 'CHANNEL',
    currency: 'USD',
    channel: 'BOREALIS-WEST',
    rules: [
      ['BOR-01-28', 'AMOUNT_OFF', '100.00'],
      ['BOR-01-32', 'AMOUNT_OFF', '100.00'],
      ['BOR-01-36', 'AMOUNT_OFF', '100.00'],
      ['BOR-03-QUIET', 'FIXED', '949.00', 1, 'standard'],
    ],
  },
  {
    key: 'bay-area-home-west',
    name: 'Bay Area Home in Borealis West Coast (negotiated)',
    scope: 'ORG_CHANNEL',
    currency: 'USD',
    org: 'bay-area-home',
    channel: 'BOREALIS-WEST',
    rules: fixed({ 'BOR-01-32': '2599.00' }),
  },
  {
    key: 'brooklyn-appliance-frame',
    name: 'Brooklyn Appliance frame agreement',
    scope: 'ORG',
    currency: 'USD',
    org: 'brooklyn-appliance',
    rules: percentOff(['BOR-02-30', 'BOR-02-36', 'BOR-02-48'], '3'),
  },
  {
    key: 'borealis-pro-parts',
    name: 'Borealis Pro Service Parts: filter tiers',
    scope: 'CHANNEL',
    currency: 'USD',
    channel: 'BOREALIS-PRO',
    taxIncluded: false,
    rules: [
      ...fixed({ 'BOR-09-1PK': '49.99', 'BOR-09-3PK': '139.99' }, 1, 'reduced'),
      ...fixed({ 'BOR-09-1PK': '44.99', 'BOR-09-3PK': '124.99' }, 12, 'reduced'),
    ],
  },
];

/**
 * What the precedence matrix predicts for some demo listings (now, quantity 1 unless given):
 * the flagship test checks every entry of the demo catalogs that appears here.
 */
export interface DemoPriceExpectation {
  org: string;
  channel: string;
  sku: string;
  quantity?: number;
  reason: 'RESOLVED' | 'NO_PRICE';
  scope?: Scope;
  /** the winning rule: [book key, SKU code, min quantity] */
  rule?: [book: string, sku: string, minQuantity?: number];
  amount?: string;
  originalPrice?: string | null;
}

export const DEMO_PRICE_EXPECTATIONS: DemoPriceExpectation[] = [
  // Köln Klima, a dealer in ACME-DACH and ACME-DIRECT-EU, with a frame agreement (ORG) and
  // negotiated prices in ACME-DACH (ORG_CHANNEL)
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-01-6KW',
    reason: 'RESOLVED',
    scope: 'ORG_CHANNEL',
    rule: ['koeln-klima-dach', 'ACM-01-6KW'],
    amount: '4590.00',
    originalPrice: '4790.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-01-9KW',
    reason: 'RESOLVED',
    scope: 'CHANNEL',
    rule: ['acme-dach-channel', 'ACM-01-9KW'],
    amount: '5235.26',
    originalPrice: '5510.80',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-01-12KW',
    reason: 'RESOLVED',
    scope: 'ORG',
    rule: ['koeln-klima-frame', 'ACM-01-12KW'],
    amount: '6890.80',
    originalPrice: '7490.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-03-24',
    reason: 'RESOLVED',
    scope: 'CHANNEL',
    rule: ['acme-dach-channel', 'ACM-03-24'],
    amount: '1690.00',
    originalPrice: '1890.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-06-WIFI',
    reason: 'RESOLVED',
    scope: 'CHANNEL',
    rule: ['acme-dach-channel', 'ACM-06-WIFI'],
    amount: '229.00',
    originalPrice: '249.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-05-200L',
    reason: 'RESOLVED',
    scope: 'ORG_CHANNEL',
    rule: ['koeln-klima-dach', 'ACM-05-200L'],
    amount: '1090.00',
    originalPrice: '1290.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-05-200L',
    quantity: 5,
    reason: 'RESOLVED',
    scope: 'ORG_CHANNEL',
    rule: ['koeln-klima-dach', 'ACM-05-200L', 5],
    amount: '990.00',
    originalPrice: '1290.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-02-3.5KW',
    reason: 'RESOLVED',
    scope: 'GLOBAL',
    rule: ['acme-list-eur', 'ACM-02-3.5KW'],
    amount: '1290.00',
    originalPrice: null,
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DACH',
    sku: 'ACM-02-3.5KW',
    quantity: 10,
    reason: 'RESOLVED',
    scope: 'GLOBAL',
    rule: ['acme-list-eur', 'ACM-02-3.5KW', 10],
    amount: '1190.00',
    originalPrice: null,
  },
  { org: 'koeln-klima', channel: 'ACME-DACH', sku: 'ACM-10-HD', reason: 'NO_PRICE' },
  { org: 'koeln-klima', channel: 'ACME-DACH', sku: 'ACM-09-15M', reason: 'NO_PRICE' },
  {
    org: 'koeln-klima',
    channel: 'ACME-DIRECT-EU',
    sku: 'ACM-01-6KW',
    reason: 'RESOLVED',
    scope: 'ORG',
    rule: ['koeln-klima-frame', 'ACM-01-6KW'],
    amount: '4590.80',
    originalPrice: '4990.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DIRECT-EU',
    sku: 'ACM-04-M',
    reason: 'RESOLVED',
    scope: 'CHANNEL',
    rule: ['acme-direct-eu-channel', 'ACM-04-M'],
    amount: '3141.00',
    originalPrice: '3490.00',
  },
  {
    org: 'koeln-klima',
    channel: 'ACME-DIRECT-EU',
    sku: 'ACM-03-24',
    reason: 'RESOLVED',
    scope: 'GLOBAL',
    rule: ['acme-list-eur', 'ACM-03-24'],
    amount: '1890.00',
    originalPrice: null,
  },
  // Stockholm Klimat, a dealer in ACME-NORDIC, with one negotiated price
  {
    org: 'stockholm-klimat',
    channel: 'ACME-NORDIC',
    sku: 'ACM-01-9KW',
    reason: 'RESOLVED',
    scope: 'ORG_CHANNEL',
    rule: ['stockholm-klimat-nordic', 'ACM-01-9KW'],
    amount: '5390.00',
    originalPrice: '5990.00',
  },
  {
    org: 'stockholm-klimat',
    channel: 'ACME-NORDIC',
    sku: 'ACM-02-2.5KW',
    reason: 'RESOLVED',
    scope: 'CHANNEL',
    rule: ['acme-nordic-channel', 'ACM-02-2.5KW'],
    amount: '854.40',
    originalPrice: '890.00',
  },
  {
    org: 'stockholm-klimat',
    channel: 'ACME-NORDIC',
    sku: 'ACM-01-6KW',
    reason: 'RESOLVED',
    scope: 'GLOBAL',
    rule: ['acme-list-eur', 'ACM-01-6KW'],
    amount: '4990.00',
    originalPrice: null,
  },
  // Bay Area Home in BOREALIS-WEST
  {
    org: 'bay-area-home',
    channel: 'BOREALIS-WEST',
    sku: 'BOR-01-32',
    reason: 'RESOLVED',
    scope: 'ORG_CHANNEL',
    rule: ['bay-area-home-west', 'BOR-01-32'],
    amount: '2599.00',
    originalPrice: '3099.00',
  },
  {
    org: 'bay-area-home',
    channel: 'BOREALIS-WEST',
    sku: 'BOR-01-28',
    reason: 'RESOLVED',
    scope: 'CHANNEL',
    rule: ['borealis-west-channel', 'BOR-01-28'],
    amount: '2699.00',
    originalPrice: '2799.00',
  },
  { org: 'bay-area-home', channel: 'BOREALIS-WEST', sku: 'BOR-10-CRAFT', reason: 'NO_PRICE' },
];

/** Ids of the objects the expectations name. */
export const demoExpectationIds = (e: DemoPriceExpectation) => ({
  orgId: demoOrgId(e.org),
  channelId: channel(e.channel),
  skuId: sku(e.sku),
  ruleId: e.rule ? demoPriceRuleId(e.rule[0], e.rule[1], e.rule[2]) : null,
});

/** Adds the demo price books once (after seedDemo); answers false when they are there. */
export async function seedPricing(db: Database): Promise<boolean> {
  const pricing = new PricingClient({ adapter: db.ownerAdapter('pricing') });
  try {
    const first = demoPriceBookId(DEMO_PRICE_BOOKS[0]!.key);
    if (await pricing.priceBook.findUnique({ where: { id: first } })) return false;
    await pricing.$transaction(async (tx) => {
      await tx.priceBook.createMany({
        data: DEMO_PRICE_BOOKS.map((b) => ({
          id: demoPriceBookId(b.key),
          name: b.name,
          scope: b.scope,
          currency: b.currency,
          orgId: b.org ? demoOrgId(b.org) : null,
          channelId: b.channel ? channel(b.channel) : null,
          validFrom: new Date(b.validFrom ?? SINCE),
          validTo: b.validTo ? new Date(b.validTo) : null,
          priority: b.priority ?? 0,
          status: b.status ?? 'ACTIVE',
          taxIncluded: b.taxIncluded ?? false,
        })),
      });
      await tx.priceRule.createMany({
        data: DEMO_PRICE_BOOKS.flatMap((b) =>
          b.rules.map(([code, kind, value, minQuantity = 1, taxCategory]) => ({
            id: demoPriceRuleId(b.key, code, minQuantity),
            priceBookId: demoPriceBookId(b.key),
            skuId: sku(code),
            kind,
            amount: kind === 'PERCENT_OFF' ? null : value,
            percent: kind === 'PERCENT_OFF' ? value : null,
            minQuantity,
            taxCategory: taxCategory ?? null,
          })),
        ),
      });
    });
    return true;
  } finally {
    await pricing.$disconnect();
  }
}
