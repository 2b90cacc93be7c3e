import { demoOrgId } from '@trellis/prisma/seed';
import { describe, expect, it } from 'vitest';
import type {
  CreateChannelInput,
  CreateOrganizationInput,
  CreateOrgRelationshipInput,
} from './__generated__/contract.js';
import { op } from './support/contract.js';
import { codes, firstErrorExtensions, supergraphForFile, token } from './support/supergraph.js';

const sg = supergraphForFile();

const ACME = demoOrgId('acme');
const RHEINLAND = demoOrgId('rheinland');
const KOELN = demoOrgId('koeln-klima');

async function count(table: string): Promise<number> {
  const [row] = await sg.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

describe('organizations', () => {
  it('lists organizations as a Relay connection, filtered by type and paged', async () => {
    const all = await sg.gql(op('Organizations'), { first: 100 });
    expect(all.errors).toBeUndefined();
    expect(all.data.organizations.totalCount).toBe(18);
    const dealers = await sg.gql(op('Organizations'), { type: 'DEALER', first: 4 });
    expect(dealers.data.organizations.totalCount).toBe(10);
    expect(dealers.data.organizations.edges).toHaveLength(4);
    expect(dealers.data.organizations.edges.every((e) => e.node.type === 'DEALER')).toBe(true);
    expect(dealers.data.organizations.pageInfo.hasNextPage).toBe(true);
    const seen = new Set(dealers.data.organizations.edges.map((e) => e.node.id));
    let after = dealers.data.organizations.pageInfo.endCursor;
    for (;;) {
      const next = await sg.gql(op('Organizations'), { type: 'DEALER', first: 4, after });
      for (const e of next.data.organizations.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      if (!next.data.organizations.pageInfo.hasNextPage) break;
      after = next.data.organizations.pageInfo.endCursor;
    }
    expect(seen.size).toBe(10);
  });

  it('answers an organization with certifications, relationships in both directions and channels', async () => {
    const res = await sg.gql(op('Organization'), { id: RHEINLAND });
    expect(res.errors).toBeUndefined();
    const org = res.data.organization!;
    expect(org).toMatchObject({
      id: RHEINLAND,
      name: 'Rheinland Technik Vertrieb',
      type: 'DISTRIBUTOR',
      status: 'ACTIVE',
      externalRef: 'demo:rheinland',
    });
    expect(org.certifications).toEqual([{ code: 'F-GAS', validUntil: '2030-12-31T00:00:00.000Z' }]);
    const outgoing = org.relationships.filter((r) => r.from.id === RHEINLAND);
    expect(outgoing).toHaveLength(1);
    expect(outgoing[0]).toMatchObject({
      type: 'DISTRIBUTOR_OF',
      status: 'ACTIVE',
      territories: ['DE', 'AT', 'CH'],
      to: { id: ACME, name: 'Acme Climate Systems', type: 'MANUFACTURER' },
    });
    const dealers = org.relationships
      .filter((r) => r.to.id === RHEINLAND)
      .map((r) => r.from.name)
      .sort();
    expect(dealers).toEqual(['Köln Klima GmbH', 'Wien Wärme GmbH', 'Zürich Luft AG']);
    expect(org.channels!.map((c) => c.code).sort()).toEqual(['ACME-DACH', 'ACME-DIRECT-EU']);
    const owned = org.channels!.find((c) => c.code === 'ACME-DACH');
    expect(owned).toMatchObject({
      currency: 'EUR',
      regions: ['DE', 'AT', 'CH'],
      status: 'ACTIVE',
      owner: { id: RHEINLAND },
    });
  });

  it('answers null for an unknown organization', async () => {
    const res = await sg.gql(op('Organization'), {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.organization).toBeNull();
  });

  it('creates an organization (admin), audited and evented', async () => {
    const input: CreateOrganizationInput = {
      name: 'Helix Heat Pumps',
      type: 'MANUFACTURER',
      externalRef: 'crm:helix',
    };
    const res = await sg.gql(op('CreateOrganization'), { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.createOrganization).toMatchObject({ ...input, status: 'ACTIVE' });
    const id = res.data.createOrganization.id;
    const [audit] = await sg.db.query<{ action: string; actor: string }>(
      'SELECT action, actor FROM org_graph.audit_log WHERE object_id = $1',
      [id],
    );
    expect(audit).toMatchObject({ action: 'organization.create', actor: 'platform-admin' });
    const [event] = await sg.db.query<{ type: string }>(
      'SELECT type FROM agreements.outbox_event WHERE aggregate_id = $1',
      [id],
    );
    expect(event?.type).toBe('organization.created');
  });

  it('refuses to create an organization without admin, and a duplicate externalRef', async () => {
    const before = await count('org_graph.organization');
    const dealer = await token({ org: KOELN, scope: 'org:write' });
    const denied = await sg.gql(
      op('CreateOrganization'),
      { input: { name: 'X', type: 'DEALER' } },
      { token: dealer },
    );
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    const dup = await sg.gql(op('CreateOrganization'), {
      input: { name: 'Again', type: 'DEALER', externalRef: 'demo:acme' },
    });
    expect(codes(dup)).toEqual(['CONFLICT']);
    expect(firstErrorExtensions(dup).field).toBe('input.externalRef');
    const blank = await sg.gql(op('CreateOrganization'), {
      input: { name: '  ', type: 'DEALER' },
    });
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(blank).field).toBe('input.name');
    expect(await count('org_graph.organization')).toBe(before + 0);
  });
});

describe('relationships and certifications', () => {
  it('creates a dated relationship with territories', async () => {
    const input: CreateOrgRelationshipInput = {
      fromOrgId: demoOrgId('london-comfort'),
      toOrgId: ACME,
      type: 'DEALER_OF',
      territories: ['GB'],
      validFrom: '2026-01-01T00:00:00+01:00',
    };
    const res = await sg.gql(op('CreateOrgRelationship'), { input });
    expect(res.errors).toBeUndefined();
    // created by an administrator: ACTIVE at once
    expect(res.data.createOrgRelationship).toMatchObject({
      type: 'DEALER_OF',
      status: 'ACTIVE',
      territories: ['GB'],
      validFrom: '2025-12-31T23:00:00.000Z',
      validTo: null,
      from: { id: demoOrgId('london-comfort') },
      to: { id: ACME },
    });
    const again = await sg.gql(op('CreateOrgRelationship'), { input });
    expect(codes(again)).toEqual(['CONFLICT']);
  });

  it('refuses self-relationships, wrong organization types, unknown ids, bad windows; writes nothing', async () => {
    const before = await count('org_graph.org_relationship');
    const self = await sg.gql(op('CreateOrgRelationship'), {
      input: { fromOrgId: KOELN, toOrgId: KOELN, type: 'DEALER_OF' },
    });
    expect(codes(self)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(self).field).toBe('input.toOrgId');
    const wrongType = await sg.gql(op('CreateOrgRelationship'), {
      input: { fromOrgId: ACME, toOrgId: RHEINLAND, type: 'DISTRIBUTOR_OF' },
    });
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
    const unknown = await sg.gql(op('CreateOrgRelationship'), {
      input: {
        fromOrgId: KOELN,
        toOrgId: '00000000-0000-4000-8000-000000000000',
        type: 'DEALER_OF',
      },
    });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(firstErrorExtensions(unknown).field).toBe('input.toOrgId');
    const window = await sg.gql(op('CreateOrgRelationship'), {
      input: {
        fromOrgId: KOELN,
        toOrgId: ACME,
        type: 'DEALER_OF',
        validFrom: '2026-02-01T00:00:00Z',
        validTo: '2026-01-01T00:00:00Z',
      },
    });
    expect(codes(window)).toEqual(['BAD_USER_INPUT']);
    const territory = await sg.gql(op('CreateOrgRelationship'), {
      input: { fromOrgId: KOELN, toOrgId: ACME, type: 'DEALER_OF', territories: ['germany'] },
    });
    expect(codes(territory)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(territory).field).toBe('input.territories.0');
    expect(await count('org_graph.org_relationship')).toBe(before);
  });

  it('lets an organization relate itself but not others', async () => {
    const asKoeln = await token({ org: KOELN, scope: 'org:write' });
    const foreign = await sg.gql(
      op('CreateOrgRelationship'),
      {
        input: {
          fromOrgId: demoOrgId('wien-waerme'),
          toOrgId: ACME,
          type: 'DEALER_OF',
          territories: ['AT'],
        },
      },
      { token: asKoeln },
    );
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    const noScope = await sg.gql(
      op('CreateOrgRelationship'),
      { input: { fromOrgId: KOELN, toOrgId: ACME, type: 'DEALER_OF', territories: ['AT'] } },
      { token: await token({ org: KOELN }) },
    );
    expect(codes(noScope)).toEqual(['FORBIDDEN']);
  });

  it("makes a party's relationship PROPOSED until the other party accepts; audited and evented for both", async () => {
    const wien = demoOrgId('wien-waerme');
    const asWien = await token({ sub: 'user@wien', org: wien, scope: 'org:write' });
    const created = await sg.gql(
      op('CreateOrgRelationship'),
      { input: { fromOrgId: wien, toOrgId: ACME, type: 'DEALER_OF', territories: ['AT'] } },
      { token: asWien },
    );
    expect(created.errors).toBeUndefined();
    const rel = created.data.createOrgRelationship;
    expect(rel).toMatchObject({ status: 'PROPOSED', from: { id: wien }, to: { id: ACME } });
    const asAcme = await token({ sub: 'user@acme', org: ACME, scope: 'org:write' });
    const accepted = await sg.gql(op('AcceptOrgRelationship'), { id: rel.id }, { token: asAcme });
    expect(accepted.data.acceptOrgRelationship).toMatchObject({
      id: rel.id,
      status: 'ACTIVE',
      validTo: null,
    });
    // ending refuses a validTo before validFrom, and ends in the future: in force until then
    const early = await sg.gql(
      op('EndOrgRelationship'),
      { id: rel.id, validTo: '2000-01-01T00:00:00Z' },
      { token: asWien },
    );
    expect(codes(early)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(early).field).toBe('validTo');
    const later = await sg.gql(
      op('EndOrgRelationship'),
      { id: rel.id, validTo: '2099-01-01T00:00:00Z' },
      { token: asWien },
    );
    expect(later.data.endOrgRelationship).toEqual({
      id: rel.id,
      status: 'ACTIVE',
      validTo: '2099-01-01T00:00:00.000Z',
    });
    const audit = await sg.db.query<{ action: string; actor: string }>(
      'SELECT action, actor FROM org_graph.audit_log WHERE object_id = $1 ORDER BY occurred_at, id',
      [rel.id],
    );
    expect(audit).toEqual([
      { action: 'relationship.create', actor: 'user@wien' },
      { action: 'relationship.accept', actor: 'user@acme' },
      { action: 'relationship.end', actor: 'user@wien' },
    ]);
    const events = await sg.db.query<{ type: string; org: string }>(
      'SELECT type, org_id::text AS org FROM agreements.outbox_event WHERE aggregate_id = $1 ORDER BY id',
      [rel.id],
    );
    expect(events).toEqual([
      { type: 'relationship.proposed', org: wien },
      { type: 'relationship.proposed', org: ACME },
      { type: 'relationship.accepted', org: wien },
      { type: 'relationship.accepted', org: ACME },
      { type: 'relationship.ended', org: wien },
      { type: 'relationship.ended', org: ACME },
    ]);
    const unknown = await sg.gql(op('DeclineOrgRelationship'), {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const malformed = await sg.gql(op('DeclineOrgRelationship'), { id: 'nope' });
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
  });

  it('adds and renews a certification', async () => {
    const first = await sg.gql(op('AddOrgCertification'), {
      orgId: KOELN,
      code: 'HEAT-PUMP-L1',
      validUntil: '2027-06-30T00:00:00Z',
    });
    expect(first.errors).toBeUndefined();
    expect(first.data.addOrgCertification.certifications).toEqual([
      { code: 'F-GAS', validUntil: '2030-12-31T00:00:00.000Z' },
      { code: 'HEAT-PUMP-L1', validUntil: '2027-06-30T00:00:00.000Z' },
    ]);
    const renewed = await sg.gql(op('AddOrgCertification'), {
      orgId: KOELN,
      code: 'HEAT-PUMP-L1',
      validUntil: '2028-06-30T00:00:00Z',
    });
    expect(renewed.data.addOrgCertification.certifications[1]).toEqual({
      code: 'HEAT-PUMP-L1',
      validUntil: '2028-06-30T00:00:00.000Z',
    });
    const bad = await sg.gql(op('AddOrgCertification'), {
      orgId: KOELN,
      code: 'no spaces please',
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('channels', () => {
  it('lists channels with owner and members, filtered by owner', async () => {
    const res = await sg.gql(op('Channels'), { first: 100 });
    expect(res.data.channels.totalCount).toBe(8);
    const byOwner = await sg.gql(op('Channels'), { ownerId: demoOrgId('atlantic') });
    expect(byOwner.data.channels.edges.map((e) => e.node.code).sort()).toEqual([
      'ACME-UK',
      'BOREALIS-EAST',
    ]);
    const uk = byOwner.data.channels.edges.find((e) => e.node.code === 'ACME-UK')!.node;
    expect(uk).toMatchObject({
      currency: 'GBP',
      regions: ['GB', 'IE'],
      owner: { name: 'Atlantic Home Wholesale' },
      members: [{ id: demoOrgId('london-comfort') }],
    });
  });

  it('creates a channel and adds members', async () => {
    const created = await sg.gql(op('CreateChannel'), {
      input: {
        ownerOrgId: RHEINLAND,
        code: 'RHEIN-PRO',
        name: 'Rheinland Pro',
        currency: 'CHF',
        regions: ['CH', 'DE'],
      },
    });
    expect(created.errors).toBeUndefined();
    const channel = created.data.createChannel;
    expect(channel).toMatchObject({
      code: 'RHEIN-PRO',
      currency: 'CHF',
      regions: ['CH', 'DE'],
      status: 'ACTIVE',
      owner: { id: RHEINLAND },
    });
    const added = await sg.gql(op('AddChannelMember'), {
      channelId: channel.id,
      orgId: demoOrgId('zuerich-luft'),
    });
    expect(added.data.addChannelMember.members).toEqual([{ id: demoOrgId('zuerich-luft') }]);
    const again = await sg.gql(op('AddChannelMember'), {
      channelId: channel.id,
      orgId: demoOrgId('zuerich-luft'),
    });
    expect(again.data.addChannelMember.members).toHaveLength(1);
    const read = await sg.gql(op('Channel'), { id: channel.id });
    expect(read.data.channel!.members).toEqual([
      { id: demoOrgId('zuerich-luft'), name: 'Zürich Luft AG' },
    ]);
  });

  it('invites as the owner, ACTIVE once the organization accepts; request, end, audit and events', async () => {
    const asRheinland = await token({ sub: 'user@rheinland', org: RHEINLAND, scope: 'org:write' });
    const created = await sg.gql(
      op('CreateChannel'),
      { input: { ownerOrgId: RHEINLAND, code: 'RHEIN-INVITE', name: 'Invite', currency: 'EUR' } },
      { token: asRheinland },
    );
    const channelId = created.data.createChannel.id as string;
    const wien = demoOrgId('wien-waerme');
    const invited = await sg.gql(
      op('AddChannelMember'),
      { channelId, orgId: wien },
      { token: asRheinland },
    );
    expect(invited.data.addChannelMember).toEqual({ id: channelId, members: [] });
    const asWien = await token({ sub: 'user@wien', org: wien, scope: 'org:write' });
    const pending = await sg.gql(op('PendingTrust'), { orgId: wien }, { token: asWien });
    const invitation = pending.data.organization?.memberships?.find(
      (m) => m.channel.id === channelId,
    );
    expect(invitation).toMatchObject({
      status: 'INVITED',
      channel: { code: 'RHEIN-INVITE', owner: { id: RHEINLAND } },
    });
    expect(invitation!.invitedAt).not.toBeNull();
    const accepted = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: wien, accept: true },
      { token: asWien },
    );
    expect(accepted.data.respondToChannelMembership).toMatchObject({
      status: 'ACTIVE',
      org: { id: wien },
    });
    expect((await sg.gql(op('Channel'), { id: channelId })).data.channel!.members).toEqual([
      { id: wien, name: 'Wien Wärme GmbH' },
    ]);
    // asking to join a channel one was invited to is the answer; the owner may end it
    const zuerich = demoOrgId('zuerich-luft');
    await sg.gql(op('AddChannelMember'), { channelId, orgId: zuerich }, { token: asRheinland });
    const asked = await sg.gql(
      op('RequestChannelMembership'),
      { channelId },
      { token: await token({ sub: 'user@zuerich', org: zuerich, scope: 'org:write' }) },
    );
    expect(asked.data.requestChannelMembership.status).toBe('ACTIVE');
    const ended = await sg.gql(
      op('EndChannelMembership'),
      { channelId, orgId: zuerich },
      { token: asRheinland },
    );
    expect(ended.data.endChannelMembership).toEqual({
      channel: { id: channelId },
      org: { id: zuerich },
      status: 'ENDED',
    });
    const again = await sg.gql(
      op('EndChannelMembership'),
      { channelId, orgId: zuerich },
      { token: asRheinland },
    );
    expect(codes(again)).toEqual(['CONFLICT']);
    const malformed = await sg.gql(
      op('RespondToChannelMembership'),
      { channelId, orgId: 'not-an-id', accept: true },
      { token: asRheinland },
    );
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(malformed).field).toBe('orgId');
    const own = await sg.gql(
      op('AddChannelMember'),
      { channelId, orgId: RHEINLAND },
      { token: asRheinland },
    );
    expect(codes(own)).toEqual(['BAD_USER_INPUT']);
    const audit = await sg.db.query<{ action: string }>(
      "SELECT action FROM org_graph.audit_log WHERE object_id = $1 AND action LIKE 'channel.member.%' ORDER BY occurred_at, id",
      [channelId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'channel.member.invite',
      'channel.member.accept',
      'channel.member.invite',
      'channel.member.request',
      'channel.member.end',
    ]);
    const events = await sg.db.query<{ type: string; org: string }>(
      "SELECT type, org_id::text AS org FROM agreements.outbox_event WHERE aggregate_id = $1 AND type LIKE 'channel.member_%' ORDER BY id",
      [channelId],
    );
    expect(events.slice(0, 4)).toEqual([
      { type: 'channel.member_invited', org: RHEINLAND },
      { type: 'channel.member_invited', org: wien },
      { type: 'channel.member_accepted', org: RHEINLAND },
      { type: 'channel.member_accepted', org: wien },
    ]);
    expect(events).toHaveLength(10);
  });

  it('refuses an unknown currency, a duplicate code and a foreign owner; writes nothing', async () => {
    const before = await count('org_graph.channel');
    const currency = await sg.gql(op('CreateChannel'), {
      input: { ownerOrgId: RHEINLAND, code: 'X-1', name: 'X', currency: 'XYZ' },
    });
    expect(codes(currency)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(currency).field).toBe('input.currency');
    const dup = await sg.gql(op('CreateChannel'), {
      input: { ownerOrgId: RHEINLAND, code: 'ACME-DACH', name: 'X', currency: 'EUR' },
    });
    expect(codes(dup)).toEqual(['CONFLICT']);
    const foreign = await sg.gql(
      op('CreateChannel'),
      { input: { ownerOrgId: ACME, code: 'X-2', name: 'X', currency: 'EUR' } },
      { token: await token({ org: RHEINLAND, scope: 'org:write' }) },
    );
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    expect(await count('org_graph.channel')).toBe(before);
  });

  it('refuses first: 1000 and a forged cursor', async () => {
    const big = await sg.gql(op('Channels'), { first: 1000 });
    expect(codes(big)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(big).field).toBe('first');
    const cursor = await sg.gql(op('Organizations'), { after: 'bm90LWEtY3Vyc29y' });
    expect(codes(cursor)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key and input, refuses other input', async () => {
    const input: CreateChannelInput = {
      ownerOrgId: ACME,
      code: 'ACME-IDEM',
      name: 'Idempotent',
      currency: 'EUR',
      idempotencyKey: 'k-1',
    };
    const first = await sg.gql(op('CreateChannel'), { input });
    const second = await sg.gql(op('CreateChannel'), { input });
    expect(second.errors).toBeUndefined();
    expect(second.data.createChannel.id).toBe(first.data.createChannel.id);
    const other = await sg.gql(op('CreateChannel'), { input: { ...input, name: 'Other' } });
    expect(codes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await count("org_graph.channel WHERE code = 'ACME-IDEM'")).toBe(1);
  });
});

describe('legacy manufacturers and suppliers', () => {
  it('reads, creates and updates with the legacy shape', async () => {
    const list = await sg.gql(op('Manufacturers'));
    expect(list.data.manufacturers).toEqual([
      {
        id: '1',
        name: 'Acme Climate Systems',
        country: 'DE',
        website: 'https://acme-climate.example',
      },
      { id: '2', name: 'Borealis Appliances', country: 'US', website: 'https://borealis.example' },
    ]);
    const created = await sg.gql(op('CreateManufacturer'), {
      input: { name: 'Helix', country: 'NL' },
    });
    expect(created.data.createManufacturer).toEqual({
      id: '3',
      name: 'Helix',
      country: 'NL',
      website: null,
    });
    const updated = await sg.gql(op('UpdateManufacturer'), {
      id: '3',
      input: { website: 'https://helix.example' },
    });
    expect(updated.data.updateManufacturer).toEqual({
      id: '3',
      name: 'Helix',
      country: 'NL',
      website: 'https://helix.example',
    });
    const missing = await sg.gql(op('UpdateManufacturer'), {
      id: '999',
      input: { name: 'Nope' },
    });
    expect(codes(missing)).toEqual(['NOT_FOUND']);

    const suppliers = await sg.gql(op('Suppliers'));
    expect(suppliers.data.suppliers).toHaveLength(2);
    const supplier = await sg.gql(op('CreateSupplier'), {
      input: { name: 'Delta Parts', country: 'PL' },
    });
    expect(supplier.data.createSupplier).toEqual({ id: '3', name: 'Delta Parts', country: 'PL' });
    const renamed = await sg.gql(op('UpdateSupplier'), {
      id: '3',
      input: { name: 'Delta Parts Sp. z o.o.' },
    });
    expect(renamed.data.updateSupplier).toEqual({
      id: '3',
      name: 'Delta Parts Sp. z o.o.',
      country: 'PL',
    });
    const badCountry = await sg.gql(op('CreateSupplier'), {
      input: { name: 'Z', country: 'Poland' },
    });
    expect(codes(badCountry)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('feature flags', () => {
  it('answers the flags in force for the caller, and refuses other tenants to non-admins', async () => {
    const res = await sg.gql(op('FeatureFlags'));
    expect(res.data.featureFlags).toHaveLength(12);
    expect(res.data.featureFlags.every((f) => f.enabled)).toBe(true);
    const dealer = await token({ org: KOELN });
    const own = await sg.gql(op('FeatureFlags'), { orgId: KOELN }, { token: dealer });
    expect(own.errors).toBeUndefined();
    const other = await sg.gql(op('FeatureFlags'), { orgId: ACME }, { token: dealer });
    expect(codes(other)).toEqual(['FORBIDDEN']);
  });
});

describe('the Idempotency-Key header', () => {
  it('makes a single mutation idempotent and refuses a request with several', async () => {
    const input: CreateChannelInput = {
      ownerOrgId: ACME,
      code: 'ACME-HEADER',
      name: 'Header',
      currency: 'EUR',
    };
    const headers = { 'idempotency-key': 'hdr-1' };
    const first = await sg.gql(op('CreateChannel'), { input }, { headers });
    const replay = await sg.gql(op('CreateChannel'), { input }, { headers });
    expect(replay.data.createChannel.id).toBe(first.data.createChannel.id);
    const two = await sg.gql(
      'mutation { a: createSupplier(input: { name: "A" }) { id } b: createSupplier(input: { name: "B" }) { id } }',
      {},
      { headers: { 'idempotency-key': 'hdr-2' } },
    );
    expect(codes(two)).toEqual(['BAD_USER_INPUT']);
    expect(await count("org_graph.suppliers WHERE name IN ('A', 'B')")).toBe(0);
  });
});
