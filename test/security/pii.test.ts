// Personal data is classified in the SDL (`@pii`) and masked without pii:read, on every path
// (root fields, `_entities`); pii:read reveals only the caller's own organization's people
// (engineers who are its members now); logs redact it (and the harness checks the canaries at
// close). Engineers themselves are visible only to organizations they have a membership in
// (row-level security): another organization's are not there at all.

import { piiFields, REDACT_PATHS } from '@trellis/kit';
import { demoOrgId } from '@trellis/prisma/seed';
import { SUBGRAPHS } from '@trellis/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, registerCanary } from '../support/canaries.js';
import { op } from '../support/contract.js';
import { graphql } from '../support/documents.js';
import {
  adminToken,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from '../support/supergraph.js';
import { callerOf, postSubgraph } from './fixtures.js';

const X = demoOrgId('koeln-klima');
const Y = demoOrgId('brooklyn-appliance');
const DAY = 86_400_000;
/** Engineers of X and Y, by their memberships (now: X's, Y's, X's former, X's future, Y's and X's). */
const ENG = {
  ofX: '0199e1e1-0000-7000-8000-0000000000a1',
  ofY: '0199e1e1-0000-7000-8000-0000000000b1',
  formerOfX: '0199e1e1-0000-7000-8000-0000000000a2',
  futureOfX: '0199e1e1-0000-7000-8000-0000000000a3',
  ofBoth: '0199e1e1-0000-7000-8000-0000000000c1',
} as const;

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({ canaries: true });
  const now = Date.now();
  const memberships: [string, string, number, number | null][] = [
    [CANARY.engineerId, CANARY.orgId, -DAY, null],
    [ENG.ofX, X, -30 * DAY, null],
    [ENG.ofY, Y, -30 * DAY, null],
    [ENG.formerOfX, X, -90 * DAY, -DAY],
    [ENG.formerOfX, Y, -DAY, null],
    [ENG.futureOfX, X, DAY, null],
    [ENG.ofBoth, Y, -30 * DAY, null],
    [ENG.ofBoth, X, -30 * DAY, 30 * DAY],
  ];
  for (const [name, id] of Object.entries(ENG)) {
    await sg.db.query(
      `INSERT INTO workforce.engineer (id, display_name, email, phone, home_lat, home_lng, updated_at)
       VALUES ($1, $2, $3, '+49 221 555 0100', 50.94, 6.96, now())`,
      [id, name, `${name}@engineers.example`],
    );
  }
  for (const [engineerId, orgId, from, to] of memberships) {
    await sg.db.query(
      `INSERT INTO workforce.engineer_membership (id, engineer_id, org_id, role, valid_from, valid_to)
       VALUES (gen_random_uuid(), $1, $2, 'TECHNICIAN', $3, $4)`,
      [engineerId, orgId, new Date(now + from), to === null ? null : new Date(now + to)],
    );
  }
});
afterAll(() => sg?.close());

const ENGINEER = graphql(
  `query PiiEngineer($id: ID!) { engineer(id: $id) { id displayName email phone homeLocation { lat lng } } }`,
);

describe('PII', () => {
  it('is classified in the subgraph SDL with @pii, and those field names are redacted from logs', async () => {
    const workforce = SUBGRAPHS.find((s) => s.name === 'workforce')!;
    const service = workforce.create({
      db: sg.db,
      flags: undefined as never,
      metrics: undefined as never,
      logger: undefined as never,
    });
    const fields = piiFields(service.schema);
    expect(fields).toEqual(['Engineer.email', 'Engineer.homeLocation', 'Engineer.phone']);
    for (const f of fields) expect(REDACT_PATHS).toContain(f.split('.')[1]);
  });

  it('answers null for @pii fields without pii:read, through the gateway', async () => {
    const without = await sg.gql(
      ENGINEER,
      { id: CANARY.engineerId },
      {
        token: await token({ sub: 'dispatcher', org: CANARY.orgId, scope: 'workforce:write' }),
      },
    );
    expect(without.errors).toBeUndefined();
    expect(without.data.engineer).toEqual({
      id: CANARY.engineerId,
      displayName: 'Canary Engineer',
      email: null,
      phone: null,
      homeLocation: null,
    });
    const withScope = await sg.gql(
      ENGINEER,
      { id: CANARY.engineerId },
      {
        token: await token({ sub: 'dispatcher', org: CANARY.orgId, scope: 'pii:read' }),
      },
    );
    expect(withScope.data.engineer?.email).toBe(CANARY.email);
    expect(withScope.data.engineer?.homeLocation).toEqual({ lat: 52.52, lng: 13.405 });
  });

  it('answers null for @pii fields without pii:read in `_entities` too', async () => {
    const res = await postSubgraph(
      sg.subgraphs.workforce!,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Engineer { id email phone homeLocation { lat } } } }`,
      { subject: 'gateway-caller', orgId: CANARY.orgId, scopes: new Set(['workforce:write']) },
      { r: [{ __typename: 'Engineer', id: CANARY.engineerId }] },
    );
    expect(res.body.data._entities).toEqual([
      { id: CANARY.engineerId, email: null, phone: null, homeLocation: null },
    ]);
  });

  it('shows pii:read without an organization nobody’s people (not even the engineer)', async () => {
    const res = await sg.gql(
      ENGINEER,
      { id: CANARY.engineerId },
      { token: await token({ sub: 'dispatcher', scope: 'pii:read' }) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.engineer).toBeNull();
  });

  it('never writes the canary PII or secrets to the log (so far: checked again at close)', async () => {
    // a refusal is logged (a security event): with the subject, never the token
    const refused = await sg.gql(ENGINEER, { id: CANARY.engineerId }, { token: 'not-a-token' });
    expect(refused.status).toBe(401);
    const logs = sg.logs();
    expect(logs).toContain('request refused');
    expect(logs).not.toContain('not-a-token');
    for (const value of [CANARY.email, CANARY.webhookSecret, CANARY.connectionString]) {
      expect(logs).not.toContain(value);
    }
  });
});

describe('webhook signing secrets', () => {
  const ROTATE = graphql(
    `mutation PiiRotateSecret($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
  );
  it('are answered once, then never written in clear: not at rest, in the audit, the events, the idempotency record, the logs or an error', async () => {
    const asX = await token({ sub: 'x-integrations', org: X, scope: 'webhooks:manage' });
    const input = {
      orgId: X,
      url: 'https://hooks.pii-canary.example/in',
      eventTypes: ['*'],
      idempotencyKey: 'pii-webhook-1',
    };
    const created = await sg.gql(op('CreateWebhookSubscription'), { input }, { token: asX });
    expect(created.errors).toBeUndefined();
    const { secret, subscription } = created.data.createWebhookSubscription;
    registerCanary(secret);
    // the replay answers the same secret, decrypted again from the encrypted record
    const replayed = await sg.gql(op('CreateWebhookSubscription'), { input }, { token: asX });
    expect(replayed.data.createWebhookSubscription.secret).toBe(secret);
    const rotated = await sg.gql(ROTATE, { id: subscription.id }, { token: asX });
    const fresh = rotated.data.rotateWebhookSecret.secret;
    registerCanary(fresh);
    expect(fresh).not.toBe(secret);
    const bad = await sg.gql(
      op('CreateWebhookSubscription'),
      // percent-encoded: a base64 secret may hold '/', which would end the authority
      {
        input: {
          ...input,
          url: `https://${encodeURIComponent(fresh)}@hooks.example/in`,
          idempotencyKey: null,
        },
      },
      { token: asX },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const table of [
      'webhook_subscription',
      'audit_log',
      'idempotency_record',
      'outbox_event',
    ]) {
      const [row] = await sg.db.query<{ text: string }>(
        `SELECT string_agg(t::text, ' ') AS text FROM agreements.${table} t`,
      );
      for (const value of [secret, fresh]) {
        expect(row!.text, table).not.toContain(value.slice('whsec_'.length));
      }
    }
  });
});

describe('pii:read is scoped to the caller’s own organization', () => {
  const ENGINEERS = graphql(
    `query PiiEngineers { engineers(first: 100) { edges { node { id email phone homeLocation { lat } } } } }`,
  );
  const asX = () => token({ sub: 'x-dispatcher', org: X, scope: 'pii:read' });
  const piiOf = async (bearer: string) => {
    const res = await sg.gql(ENGINEERS, {}, { token: bearer });
    expect(res.errors).toBeUndefined();
    return new Map<string, { email: string | null; phone: string | null; homeLocation: unknown }>(
      res.data.engineers.edges.map((e) => [e.node.id, e.node]),
    );
  };

  it('another organization’s engineers are not there at all', async () => {
    const res = await sg.gql(ENGINEER, { id: ENG.ofY }, { token: await asX() });
    expect(res.errors).toBeUndefined();
    expect(res.data.engineer).toBeNull();
  });

  it('its own engineers’ are revealed, and only those of memberships in force now', async () => {
    const seen = await piiOf(await asX());
    expect(seen.get(ENG.ofX)).toMatchObject({
      email: 'ofX@engineers.example',
      phone: '+49 221 555 0100',
      homeLocation: { lat: 50.94 },
    });
    expect(seen.get(ENG.ofBoth)?.email).toBe('ofBoth@engineers.example');
    // a former or future member is X's engineer too, without its personal data
    for (const id of [ENG.formerOfX, ENG.futureOfX]) {
      expect(seen.get(id)).toMatchObject({ email: null, phone: null, homeLocation: null });
    }
    for (const id of [ENG.ofY, CANARY.engineerId]) expect(seen.has(id)).toBe(false);
  });

  it('the other organization sees its own and not X’s', async () => {
    const seen = await piiOf(await token({ sub: 'y-dispatcher', org: Y, scope: 'pii:read' }));
    expect(seen.get(ENG.ofY)?.email).toBe('ofY@engineers.example');
    expect(seen.get(ENG.formerOfX)?.email).toBe('formerOfX@engineers.example');
    expect(seen.has(ENG.ofX)).toBe(false);
  });

  it('X without pii:read sees none of its own', async () => {
    const seen = await piiOf(await token({ sub: 'x-viewer', org: X, scope: 'workforce:write' }));
    expect(seen.get(ENG.ofX)?.email).toBeNull();
  });

  it('admin sees all', async () => {
    const seen = await piiOf(await adminToken());
    for (const [name, id] of Object.entries(ENG)) {
      expect(seen.get(id)?.email).toBe(`${name}@engineers.example`);
    }
    expect(seen.get(CANARY.engineerId)?.email).toBe(CANARY.email);
  });

  it('holds in `_entities` too', async () => {
    const res = await postSubgraph(
      sg.subgraphs.workforce!,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Engineer { id email phone } } }`,
      callerOf(X, 'pii:read'),
      { r: [ENG.ofY, ENG.ofX].map((id) => ({ __typename: 'Engineer', id })) },
    );
    expect(res.body.data._entities).toEqual([
      null,
      { id: ENG.ofX, email: 'ofX@engineers.example', phone: '+49 221 555 0100' },
    ]);
  });
});
