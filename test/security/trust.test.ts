// Trust takes two (issue 17): nothing one organization declares alone grants it anything over
// another. A relationship one party creates is PROPOSED until the other accepts; a channel's
// owner invites, the organization accepts. Tried as a hostile organization would, with ordinary
// tokens of ordinary organizations.
import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { describe, expect, it } from 'vitest';
import type { CreateOrgRelationshipInput } from '../__generated__/contract.js';
import type { RelationshipStatus } from '../__generated__/local/graphql.js';
import { op } from '../support/contract.js';
import { graphql } from '../support/documents.js';
import { codes, firstErrorExtensions, supergraphForFile, token } from '../support/supergraph.js';

const sg = supergraphForFile();

const ACME = demoOrgId('acme');
const RHEINLAND = demoOrgId('rheinland');
const LONDON = demoOrgId('london-comfort');
const BROOKLYN = demoOrgId('brooklyn-appliance');
const KOELN = demoOrgId('koeln-klima');
const PACIFIC = demoOrgId('pacific');
const STOCKHOLM = demoOrgId('stockholm-klimat');
const ACME_DACH = demoId('channel', 'ACME-DACH');

/** a user of an organization with the write scopes of org-graph and catalog */
const as = (org: string) =>
  token({ sub: `user@${org}`, org, scope: 'org:write catalog:write catalog:publish' });

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []) {
  const [row] = await sg.db.query<T>(sql, params);
  return row!;
}

/** a published offering of a new Acme SKU, sold by `seller` (set up by admin) */
async function offeringOf(seller: string, code: string) {
  const product = await sg.gql(op('CreateProduct'), {
    input: { manufacturerId: ACME, name: `Product ${code}` },
  });
  const sku = await sg.gql(op('CreateSku'), {
    input: { productId: product.data.createProduct.id, code, name: `SKU ${code}` },
  });
  const created = await sg.gql(op('CreateOffering'), {
    input: { sellerOrgId: seller, skuId: sku.data.createSku.id, name: `Offer ${code}` },
  });
  const id = created.data.createOffering.id as string;
  expect((await sg.gql(op('PublishOffering'), { id })).errors).toBeUndefined();
  return id;
}

const publish = async (seller: string, offeringId: string) =>
  sg.gql(
    op('PublishToChannel'),
    { channelId: ACME_DACH, offeringIds: [offeringId] },
    { token: await as(seller) },
  );

const inView = async (id: string) =>
  (
    await one<{ n: number }>(
      'SELECT count(*)::int AS n FROM org_graph.org_relationship_v1 WHERE id = $1',
      [id],
    )
  ).n;

/** the relationships of `org` as `viewer` sees them, optionally in one status */
async function relationshipsOf(org: string, viewer: string, status?: RelationshipStatus) {
  const res = await sg.gql(
    graphql(`
      query SeenRelationships($id: ID!, $status: RelationshipStatus) {
        organization(id: $id) { relationships(status: $status) { id status } }
      }
    `),
    { id: org, status },
    { token: await as(viewer) },
  );
  expect(res.errors).toBeUndefined();
  return res.data.organization?.relationships ?? [];
}

async function propose(from: string, to: string) {
  const res = await sg.gql(
    op('CreateOrgRelationship'),
    { input: { fromOrgId: from, toOrgId: to, type: 'DEALER_OF', territories: ['GB'] } },
    { token: await as(from) },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createOrgRelationship;
}

describe("a dealer's DEALER_OF a distributor", () => {
  it('is PROPOSED: no publishing into the distributor’s channel, in no view, not ACTIVE; accepted, it counts', async () => {
    const offering = await offeringOf(LONDON, 'TRUST-LONDON-1');
    const rel = await propose(LONDON, RHEINLAND);
    expect(rel).toMatchObject({ status: 'PROPOSED', from: { id: LONDON }, to: { id: RHEINLAND } });

    const refused = await publish(LONDON, offering);
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(refused).reason).toBe('SELLER_NOT_ALLOWED');
    expect(await inView(rel.id)).toBe(0);
    expect((await relationshipsOf(RHEINLAND, RHEINLAND, 'ACTIVE')).map((r) => r.id)).not.toContain(
      rel.id,
    );
    // the distributor sees what waits for its answer; a stranger sees nothing of it
    const pending = await sg.gql(
      op('PendingTrust'),
      { orgId: RHEINLAND },
      { token: await as(RHEINLAND) },
    );
    expect(pending.errors).toBeUndefined();
    expect(pending.data.organization?.relationships).toContainEqual({
      id: rel.id,
      type: 'DEALER_OF',
      status: 'PROPOSED',
      from: { id: LONDON },
      to: { id: RHEINLAND },
    });
    expect((await relationshipsOf(RHEINLAND, KOELN)).map((r) => r.id)).not.toContain(rel.id);

    const accepted = await sg.gql(
      op('AcceptOrgRelationship'),
      { id: rel.id },
      { token: await as(RHEINLAND) },
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptOrgRelationship).toMatchObject({ id: rel.id, status: 'ACTIVE' });
    expect(await inView(rel.id)).toBe(1);
    expect((await relationshipsOf(RHEINLAND, KOELN, 'ACTIVE')).map((r) => r.id)).toContain(rel.id);
    const published = await publish(LONDON, offering);
    expect(published.errors).toBeUndefined();

    // ended, it no longer counts: another offering of the dealer is refused again
    const ended = await sg.gql(
      op('EndOrgRelationship'),
      { id: rel.id },
      { token: await as(RHEINLAND) },
    );
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endOrgRelationship.status).toBe('ENDED');
    expect(ended.data.endOrgRelationship.validTo).not.toBeNull();
    expect(await inView(rel.id)).toBe(0);
    const later = await publish(LONDON, await offeringOf(LONDON, 'TRUST-LONDON-2'));
    expect(firstErrorExtensions(later).reason).toBe('SELLER_NOT_ALLOWED');
  });

  it('cannot be accepted by its proposer, nor answered or ended by a third organization', async () => {
    const rel = await propose(BROOKLYN, RHEINLAND);
    const before = await one(
      'SELECT status, responded_at FROM org_graph.org_relationship WHERE id = $1',
      [rel.id],
    );
    const own = await sg.gql(
      op('AcceptOrgRelationship'),
      { id: rel.id },
      { token: await as(BROOKLYN) },
    );
    expect(codes(own)).toEqual(['FORBIDDEN']);
    for (const name of [
      'AcceptOrgRelationship',
      'DeclineOrgRelationship',
      'EndOrgRelationship',
    ] as const) {
      const res = await sg.gql(op(name), { id: rel.id }, { token: await as(KOELN) });
      // a proposal is the parties' business: the stranger does not even learn it exists
      expect(codes(res)).toEqual(['NOT_FOUND']);
    }
    expect(
      await one('SELECT status, responded_at FROM org_graph.org_relationship WHERE id = $1', [
        rel.id,
      ]),
    ).toEqual(before);

    // once ACTIVE it is public, and still not the stranger's to end
    expect(
      (await sg.gql(op('AcceptOrgRelationship'), { id: rel.id }, { token: await as(RHEINLAND) }))
        .errors,
    ).toBeUndefined();
    const stranger = await sg.gql(
      op('EndOrgRelationship'),
      { id: rel.id },
      { token: await as(KOELN) },
    );
    expect(codes(stranger)).toEqual(['FORBIDDEN']);
    const again = await sg.gql(
      op('AcceptOrgRelationship'),
      { id: rel.id },
      { token: await as(RHEINLAND) },
    );
    expect(codes(again)).toEqual(['CONFLICT']);
    // the dealer itself may end it
    const ended = await sg.gql(
      op('EndOrgRelationship'),
      { id: rel.id },
      { token: await as(BROOKLYN) },
    );
    expect(ended.data.endOrgRelationship.status).toBe('ENDED');
  });

  it('declined, does not count and may be proposed again', async () => {
    const offering = await offeringOf(STOCKHOLM, 'TRUST-STOCKHOLM-1');
    const rel = await propose(STOCKHOLM, RHEINLAND);
    const declined = await sg.gql(
      op('DeclineOrgRelationship'),
      { id: rel.id },
      { token: await as(RHEINLAND) },
    );
    expect(declined.data.declineOrgRelationship).toEqual({ id: rel.id, status: 'DECLINED' });
    expect(await inView(rel.id)).toBe(0);
    expect(firstErrorExtensions(await publish(STOCKHOLM, offering)).reason).toBe(
      'SELLER_NOT_ALLOWED',
    );
    // a declined proposal neither counts nor blocks a new one
    const second = await propose(STOCKHOLM, RHEINLAND);
    expect(second.id).not.toBe(rel.id);
    const duplicate = await sg.gql(
      op('CreateOrgRelationship'),
      { input: { fromOrgId: STOCKHOLM, toOrgId: RHEINLAND, type: 'DEALER_OF' } },
      { token: await as(STOCKHOLM) },
    );
    expect(codes(duplicate)).toEqual(['CONFLICT']);
  });
});

describe('a channel owner adding a victim as member', () => {
  it('does not put its channel in the victim’s channels until the victim accepts', async () => {
    const owner = await as(PACIFIC);
    const created = await sg.gql(
      op('CreateChannel'),
      {
        input: {
          ownerOrgId: PACIFIC,
          code: 'KOELN-OFFICIAL',
          name: 'Köln Klima OFFICIAL price list',
          currency: 'EUR',
        },
      },
      { token: owner },
    );
    const channelId = created.data.createChannel.id as string;
    const added = await sg.gql(
      op('AddChannelMember'),
      { channelId, orgId: KOELN },
      { token: owner },
    );
    expect(added.errors).toBeUndefined();
    expect(added.data.addChannelMember.members).toEqual([]);

    const victim = await as(KOELN);
    const channelsOfVictim = async () => {
      const res = await sg.gql(op('Organization'), { id: KOELN }, { token: victim });
      return res.data.organization?.channels?.map((c) => c.id);
    };
    const memberIds = async () =>
      (
        await one<{ ids: string[] }>(
          'SELECT member_org_ids::text[] AS ids FROM org_graph.channel_v1 WHERE id = $1',
          [channelId],
        )
      ).ids;
    expect(await channelsOfVictim()).not.toContain(channelId);
    expect(await memberIds()).toEqual([]);

    // the invitation waits for the victim, seen by the two sides only
    const pending = await sg.gql(op('PendingTrust'), { orgId: KOELN }, { token: victim });
    expect(pending.data.organization?.memberships).toContainEqual(
      expect.objectContaining({
        channel: { id: channelId, code: 'KOELN-OFFICIAL', owner: { id: PACIFIC } },
        status: 'INVITED',
      }),
    );
    const third = await sg.gql(
      op('PendingTrust'),
      { orgId: KOELN },
      { token: await as(RHEINLAND) },
    );
    expect(third.data.organization?.memberships?.map((m) => m.channel.id)).not.toContain(channelId);

    // the owner cannot answer for the victim, nor can a third organization
    const forged = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: KOELN, accept: true },
      { token: owner },
    );
    expect(codes(forged)).toEqual(['FORBIDDEN']);
    const stranger = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: KOELN, accept: true },
      { token: await as(RHEINLAND) },
    );
    expect(codes(stranger)).toEqual(['NOT_FOUND']);
    expect(await channelsOfVictim()).not.toContain(channelId);

    const accepted = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: KOELN, accept: true },
      { token: victim },
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.respondToChannelMembership).toMatchObject({
      channel: { id: channelId },
      org: { id: KOELN },
      status: 'ACTIVE',
    });
    expect(accepted.data.respondToChannelMembership.respondedAt).not.toBeNull();
    expect(await channelsOfVictim()).toContain(channelId);
    expect(await memberIds()).toEqual([KOELN]);

    // ended by the member, it no longer counts
    const ended = await sg.gql(
      op('EndChannelMembership'),
      { channelId, orgId: KOELN },
      { token: victim },
    );
    expect(ended.data.endChannelMembership.status).toBe('ENDED');
    expect(await channelsOfVictim()).not.toContain(channelId);
    expect(await memberIds()).toEqual([]);
  });

  it('declined, it does not count; a request needs the owner’s approval', async () => {
    const owner = await as(PACIFIC);
    const created = await sg.gql(
      op('CreateChannel'),
      {
        input: {
          ownerOrgId: PACIFIC,
          code: 'PACIFIC-TRUST',
          name: 'Pacific trust',
          currency: 'USD',
        },
      },
      { token: owner },
    );
    const channelId = created.data.createChannel.id as string;
    await sg.gql(op('AddChannelMember'), { channelId, orgId: LONDON }, { token: owner });
    const declined = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: LONDON, accept: false },
      { token: await as(LONDON) },
    );
    expect(declined.data.respondToChannelMembership.status).toBe('DECLINED');
    const members = await sg.gql(op('Channel'), { id: channelId });
    expect(members.data.channel?.members).toEqual([]);

    const requested = await sg.gql(
      op('RequestChannelMembership'),
      { channelId },
      { token: await as(BROOKLYN) },
    );
    expect(requested.data.requestChannelMembership).toEqual({
      channel: { id: channelId },
      org: { id: BROOKLYN },
      status: 'REQUESTED',
    });
    const self = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: BROOKLYN, accept: true },
      { token: await as(BROOKLYN) },
    );
    expect(codes(self)).toEqual(['FORBIDDEN']);
    const approved = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: BROOKLYN, accept: true },
      { token: owner },
    );
    expect(approved.data.respondToChannelMembership.status).toBe('ACTIVE');
    const after = await sg.gql(op('Channel'), { id: channelId });
    expect(after.data.channel?.members.map((m) => m.id)).toEqual([BROOKLYN]);
  });
});

describe('parallel duplicates', () => {
  it('30 identical relationships at once: one row, no server error', async () => {
    const dealer = await as(demoOrgId('seattle-kitchens'));
    const input: CreateOrgRelationshipInput = {
      fromOrgId: demoOrgId('seattle-kitchens'),
      toOrgId: RHEINLAND,
      type: 'DEALER_OF',
    };
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        sg.gql(op('CreateOrgRelationship'), { input }, { token: dealer }),
      ),
    );
    for (const res of results) {
      expect(res.status).toBeLessThan(500);
      expect(codes(res).filter((c) => c !== 'CONFLICT')).toEqual([]);
    }
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const { n } = await one<{ n: number }>(
      'SELECT count(*)::int AS n FROM org_graph.org_relationship WHERE from_org_id = $1 AND to_org_id = $2',
      [input.fromOrgId, RHEINLAND],
    );
    expect(n).toBe(1);
  });

  it('30 identical invitations at once: one row, every answer the same', async () => {
    const owner = await as(RHEINLAND);
    const orgId = demoOrgId('bay-area-home');
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        sg.gql(op('AddChannelMember'), { channelId: ACME_DACH, orgId }, { token: owner }),
      ),
    );
    for (const res of results) {
      expect(res.status).toBeLessThan(500);
      expect(res.errors).toBeUndefined();
    }
    const rows = await sg.db.query<{ status: string }>(
      'SELECT status::text FROM org_graph.channel_member WHERE channel_id = $1 AND org_id = $2',
      [ACME_DACH, orgId],
    );
    expect(rows).toEqual([{ status: 'INVITED' }]);
  });

  it('the database itself refuses an overlapping PROPOSED or ACTIVE copy (exclusion constraint)', async () => {
    const insert = (status: string, validFrom: string) =>
      sg.db.query(
        `INSERT INTO org_graph.org_relationship (id, from_org_id, to_org_id, type, valid_from, status)
         VALUES (gen_random_uuid(), $1, $2, 'DEALER_OF', $3, $4::org_graph."RelationshipStatus")`,
        [KOELN, RHEINLAND, validFrom, status],
      );
    // the demo's koeln-klima DEALER_OF rheinland is ACTIVE from the epoch on, open-ended
    await expect(insert('PROPOSED', '2030-01-01T00:00:00Z')).rejects.toThrow(
      /org_relationship_no_overlap/,
    );
    await expect(insert('ACTIVE', '2020-01-01T00:00:00Z')).rejects.toThrow(
      /org_relationship_no_overlap/,
    );
    await insert('DECLINED', '2030-01-01T00:00:00Z');
  });
});
