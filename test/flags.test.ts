import { demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import {
  ALL_ON,
  codes,
  firstErrorExtensions,
  startTestSupergraph,
  type TestSupergraph,
} from './support/supergraph.js';

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(() => sg?.close());

const total = async () =>
  (
    await sg.db.query<any>(
      `SELECT (SELECT count(*) FROM org_graph.organization) + (SELECT count(*) FROM org_graph.channel)
          + (SELECT count(*) FROM catalog.product) + (SELECT count(*) FROM org_graph.audit_log)
          + (SELECT count(*) FROM agreements.outbox_event) AS n`,
    )
  )[0].n;

describe('feature flags', () => {
  it('answers FEATURE_DISABLED for organization fields when ENABLE_ORG is off, and writes nothing', async () => {
    sg.setFlags({ ...ALL_ON, ENABLE_ORG: false });
    try {
      const before = await total();
      const read = await sg.gql(op('Organizations'));
      expect(codes(read)).toEqual(['FEATURE_DISABLED']);
      expect(firstErrorExtensions(read).flag).toBe('ENABLE_ORG');
      const write = await sg.gql(op('CreateOrganization'), {
        input: { name: 'Off', type: 'DEALER' },
      });
      expect(codes(write)).toEqual(['FEATURE_DISABLED']);
      expect(await total()).toBe(before);
      // channels stay available: their flag is on
      const channels = await sg.gql(op('Channels'));
      expect(channels.errors).toBeUndefined();
    } finally {
      sg.setFlags(ALL_ON);
    }
  });

  it('answers FEATURE_DISABLED for channels, products and SKUs when ENABLE_CHANNELS is off', async () => {
    sg.setFlags({ ...ALL_ON, ENABLE_CHANNELS: false });
    try {
      const before = await total();
      expect(codes(await sg.gql(op('Channels')))).toEqual(['FEATURE_DISABLED']);
      expect(codes(await sg.gql(op('Products')))).toEqual(['FEATURE_DISABLED']);
      expect(codes(await sg.gql(op('Skus')))).toEqual(['FEATURE_DISABLED']);
      const create = await sg.gql(op('CreateChannel'), {
        input: { ownerOrgId: demoOrgId('acme'), code: 'OFF-1', name: 'Off', currency: 'EUR' },
      });
      expect(codes(create)).toEqual(['FEATURE_DISABLED']);
      // the organization itself still answers; only its channels field is disabled
      const org = await sg.gql(op('Organization'), { id: demoOrgId('acme') });
      expect(org.data.organization).toMatchObject({ name: 'Acme Climate Systems', channels: null });
      expect(codes(org)).toEqual(['FEATURE_DISABLED']);
      expect(await total()).toBe(before);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });

  it('defaults every flag to off', async () => {
    sg.setFlags({});
    try {
      const flags = await sg.gql(op('FeatureFlags'));
      expect(flags.data.featureFlags.filter((f) => f.enabled)).toEqual([]);
      expect(codes(await sg.gql(op('Organizations')))).toEqual(['FEATURE_DISABLED']);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });

  it('evaluates tenant-scoped settings per organization', async () => {
    const tenant = demoOrgId('acme');
    sg.setFlags({
      ...ALL_ON,
      ENABLE_RESP_ORG_ASSIGNMENT: { enabled: false, tenants: { [tenant]: true } },
    });
    try {
      const acme = await sg.gql(op('FeatureFlags'), { orgId: tenant });
      const other = await sg.gql(op('FeatureFlags'), { orgId: demoOrgId('borealis') });
      const flag = (res: typeof acme) =>
        res.data.featureFlags.find((f) => f.key === 'ENABLE_RESP_ORG_ASSIGNMENT')?.enabled;
      expect(flag(acme)).toBe(true);
      expect(flag(other)).toBe(false);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });
});
