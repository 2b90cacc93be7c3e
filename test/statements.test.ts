import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND } from './support/database.js';
import { graphql } from './support/documents.js';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph.js';

// A fresh database without the demo seed: 10 organizations, each in 8 channels.
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({ seed: false });
  const owner = await sg.gql(
    graphql(
      `mutation StatementsOwner { createOrganization(input: { name: "Owner", type: MANUFACTURER }) { id } }`,
    ),
  );
  const ownerId = owner.data.createOrganization.id;
  const members: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await sg.gql(
      graphql(
        `mutation StatementsDealer($n: String!) { createOrganization(input: { name: $n, type: DEALER }) { id } }`,
      ),
      { n: `Dealer ${i}` },
    );
    members.push(res.data.createOrganization.id);
  }
  for (let c = 0; c < 8; c++) {
    const res = await sg.gql(
      graphql(
        `mutation StatementsChannel($code: String!, $owner: ID!) { createChannel(input: { ownerOrgId: $owner, code: $code, name: $code, currency: "EUR" }) { id } }`,
      ),
      { code: `CH-${c}`, owner: ownerId },
    );
    for (const orgId of members) {
      await sg.gql(
        graphql(
          `mutation StatementsMember($c: ID!, $o: ID!) { addChannelMember(channelId: $c, orgId: $o) { id } }`,
        ),
        { c: res.data.createChannel.id, o: orgId },
      );
    }
  }
});
afterAll(() => sg?.close());

const QUERY =
  graphql(`query StatementsDealers($first: Int) { organizations(first: $first, type: DEALER) {
  edges { node { id name channels { id code currency owner { id name } members { id } } } } } }`);

async function cost(first: number) {
  const before = await sg.statements('org-graph');
  const sentBefore = await sg.statements('org-graph', 'all');
  const res = await sg.gql(QUERY, { first });
  expect(res.errors).toBeUndefined();
  return {
    statements: (await sg.statements('org-graph')) - before,
    // with the transaction envelope (BEGIN, tenancy settings, COMMIT)
    sent: (await sg.statements('org-graph', 'all')) - sentBefore,
    data: res.data,
  };
}

describe('SQL statements per request', () => {
  it('Organization.channels costs the same for 10 organizations with 8 channels each as for 1', async () => {
    const one = await cost(1);
    const ten = await cost(10);
    expect(one.data.organizations.edges).toHaveLength(1);
    expect(ten.data.organizations.edges).toHaveLength(10);
    for (const edge of ten.data.organizations.edges) {
      expect(edge.node.channels).toHaveLength(8);
      expect(edge.node.channels?.[0]?.members).toHaveLength(10);
    }
    expect(ten.statements).toBe(one.statements);
    expect(one.statements).toBeGreaterThan(0);
    // on PGlite a query shares one transaction: BEGIN, the tenancy settings and COMMIT once;
    // on PostgreSQL each statement carries the settings in its own round trip, with no envelope
    expect(ten.sent).toBe(one.sent);
    expect(ten.sent).toBe(ten.statements + (BACKEND === 'postgres' ? 0 : 3));
  });
});
