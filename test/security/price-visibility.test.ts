// Issue 17: negotiated prices reach only real members. Owning a channel (anyone can create one)
// grants nothing over an organization that is no ACTIVE member of it; the owner of a channel
// an organization did join sees its price there, with the books it may not read summarised.
import { demoId, demoOrgId, demoPriceBookId, demoPriceRuleId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from '../support/contract.js';
import { graphql } from '../support/documents.js';
import { codes, startTestSupergraph, type TestSupergraph, token } from '../support/supergraph.js';

const KOELN = demoOrgId('koeln-klima'); // the victim: ORG book "8% off heat pumps", ACME-DACH member
const RHEINLAND = demoOrgId('rheinland'); // owns ACME-DACH
const NORDIC = demoOrgId('nordic'); // owns ACME-NORDIC, of which Köln Klima is no member
const ATTACKER = demoOrgId('frostfix'); // an ordinary dealer
const DACH = demoId('channel', 'ACME-DACH');
const NORDIC_CHANNEL = demoId('channel', 'ACME-NORDIC');
const sku = (code: string) => demoId('sku', code);
// what Köln Klima's own frame agreement says (docs/pricing.md, the demo price books)
const SECRETS = [/5510\.80/, /\b8(\.0+)?% off/, /Köln Klima frame agreement/];
const KOELN_SECRETS = new RegExp(SECRETS.map((r) => r.source).join('|'));

let sg: TestSupergraph;
let attackerChannel: string;
const as = (orgId: string, scope = 'pricing:write org:write') =>
  token({ sub: `user-of-${orgId}`, org: orgId, scope });

const RESOLVE = graphql(`query VisibleResolvePrice($input: ResolvePriceInput!) {
  resolvePrice(input: $input) {
    price { amount currency } originalPrice { amount } scope
    priceBook { id name } rule { id }
    explanation { scope kind outcome reason amount rule { id } priceBook { id name } }
  } }`);

beforeAll(async () => {
  sg = await startTestSupergraph();
  // the attack starts with a channel of one's own: any organization may create one
  const res = await sg.gql(
    op('CreateChannel'),
    {
      input: { ownerOrgId: ATTACKER, code: 'ATTACKER-EUR', name: 'Price probe', currency: 'EUR' },
    },
    { token: await as(ATTACKER) },
  );
  expect(res.errors).toBeUndefined();
  attackerChannel = res.data.createChannel.id;
});
afterAll(() => sg?.close());

describe('an organization that is no member of the channel', () => {
  it('resolvePrice for the victim in the attacker’s own channel: FORBIDDEN, nothing explained', async () => {
    const res = await sg.gql(
      RESOLVE,
      { input: { skuId: sku('ACM-01-12KW'), orgId: KOELN, channelId: attackerChannel } },
      { token: await as(ATTACKER) },
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data).toBeNull();
    expect(JSON.stringify(res)).not.toMatch(/6890\.80|7490\.00/);
    expect(JSON.stringify(res)).not.toMatch(KOELN_SECRETS);
  });

  it('resolvePrices, 1000 inputs at a time: every one refused, no price answered', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({
      skuId: sku(i % 2 ? 'ACM-01-12KW' : 'ACM-01-9KW'),
      orgId: KOELN,
      channelId: attackerChannel,
      quantity: 1 + (i % 7),
    }));
    const res = await sg.gql(
      graphql(
        `query VisibleResolvePrices($inputs: [ResolvePriceInput!]!) { resolvePrices(inputs: $inputs) { price { amount } explanation { reason } } }`,
      ),
      { inputs },
      { token: await as(ATTACKER) },
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data).toBeNull();
    expect(JSON.stringify(res)).not.toMatch(KOELN_SECRETS);
    // the attacker's own price in its own channel still answers, the victim's beside it refuses
    const own = { skuId: sku('ACM-01-12KW'), orgId: ATTACKER, channelId: attackerChannel };
    const mixed = await sg.gql(
      graphql(
        `query VisiblePrices($inputs: [ResolvePriceInput!]!) { resolvePrices(inputs: $inputs) { price { amount } } }`,
      ),
      { inputs: [own, inputs[1]!] },
      { token: await as(ATTACKER) },
    );
    expect(codes(mixed)).toEqual(['FORBIDDEN']);
    const alone = await sg.gql(
      graphql(
        `query VisiblePrices($inputs: [ResolvePriceInput!]!) { resolvePrices(inputs: $inputs) { price { amount } } }`,
      ),
      { inputs: [own] },
      { token: await as(ATTACKER) },
    );
    expect(alone.errors).toBeUndefined();
  });

  it('the owner of a channel the victim did not join: CatalogEntry.price FORBIDDEN per entry, the rest answered', async () => {
    const res = await sg.gql(
      graphql(`query VisibleCatalog($channelId: ID!, $orgId: ID!) { channel(id: $channelId) { code catalog {
        entries(first: 100) { edges { node { id sku { code } price(orgId: $orgId) { price { amount } } } } } } } }`),
      { channelId: NORDIC_CHANNEL, orgId: KOELN },
      { token: await as(NORDIC) },
    );
    const entries = res.data.channel?.catalog?.entries.edges.map((e) => e.node) ?? [];
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) {
      expect(e.sku.code).toEqual(expect.any(String));
      expect(e.price).toBeNull();
    }
    expect(res.errors).toHaveLength(entries.length);
    expect(new Set(codes(res))).toEqual(new Set(['FORBIDDEN']));
    // the same owner asking for an ACTIVE member of that channel gets the prices
    const member = await sg.gql(
      graphql(`query VisibleCatalogPrices($channelId: ID!, $orgId: ID!) { channel(id: $channelId) { catalog {
        entries(first: 100) { edges { node { price(orgId: $orgId) { price { amount } } } } } } } }`),
      { channelId: NORDIC_CHANNEL, orgId: demoOrgId('stockholm-klimat') },
      { token: await as(NORDIC) },
    );
    expect(member.errors).toBeUndefined();
  });
});

describe('the owner of a channel the organization is an ACTIVE member of', () => {
  const ask = async (who: string, skuCode: string) =>
    sg.gql(
      RESOLVE,
      { input: { skuId: sku(skuCode), orgId: KOELN, channelId: DACH } },
      { token: await as(who) },
    );

  it('sees the price, with the member’s ORG book summarised: no amount, no rule, no book', async () => {
    const [owner, member] = [await ask(RHEINLAND, 'ACM-01-9KW'), await ask(KOELN, 'ACM-01-9KW')];
    expect(owner.errors).toBeUndefined();
    expect(member.errors).toBeUndefined();
    // the member sees its whole explanation (8% off 5990.00 = 5510.80, then the channel's 5% off)
    for (const secret of SECRETS) expect(JSON.stringify(member.data)).toMatch(secret);
    const answer = owner.data.resolvePrice;
    expect(answer.price).toEqual({ amount: '5235.26', currency: 'EUR' });
    expect(answer.scope).toBe('CHANNEL');
    // the original price is the member's negotiated price: not the owner's to see
    expect(answer.originalPrice).toBeNull();
    expect(member.data.resolvePrice.originalPrice).toEqual({ amount: '5510.80' });
    const hidden = answer.explanation.filter((l: any) => l.scope === 'ORG');
    expect(hidden).toEqual([
      {
        scope: 'ORG',
        kind: 'PERCENT_OFF',
        outcome: 'SUPERSEDED',
        reason: 'a negotiated price of the buyer',
        amount: null,
        rule: null,
        priceBook: null,
      },
    ]);
    const text = JSON.stringify(owner);
    expect(text).not.toMatch(KOELN_SECRETS);
    expect(text).not.toContain(demoPriceBookId('koeln-klima-frame'));
    expect(text).not.toContain(demoPriceRuleId('koeln-klima-frame', 'ACM-01-9KW'));
    // the lines of books the owner may read keep their amounts and reasons
    expect(answer.explanation[0]).toMatchObject({
      scope: 'CHANNEL',
      outcome: 'WON',
      amount: '5235.26',
      reason: expect.stringMatching(/5(\.0+)?% off a negotiated price of the buyer = 5235\.26$/),
    });
  });

  it('sees the price a member’s ORG book decides, without the book', async () => {
    const owner = await ask(RHEINLAND, 'ACM-01-12KW');
    expect(owner.errors).toBeUndefined();
    expect(owner.data.resolvePrice).toMatchObject({
      price: { amount: '6890.80' },
      originalPrice: { amount: '7490.00' }, // the list price: public
      scope: 'ORG',
      rule: null,
      priceBook: null,
    });
    expect(owner.data.resolvePrice.explanation[0]).toEqual({
      scope: 'ORG',
      kind: 'PERCENT_OFF',
      outcome: 'WON',
      reason: 'a negotiated price of the buyer',
      amount: null,
      rule: null,
      priceBook: null,
    });
    expect(JSON.stringify(owner)).not.toMatch(KOELN_SECRETS);
  });
});
