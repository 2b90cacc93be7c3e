// Personal data is classified in the SDL (`@pii`) and masked without pii:read, on every path
// (root fields, `_entities`); logs redact it (and the harness checks the canaries at close).

import { SUBGRAPHS } from '@trellis/gateway';
import { piiFields, REDACT_PATHS } from '@trellis/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../support/canaries.js';
import { startTestSupergraph, type TestSupergraph, token } from '../support/supergraph.js';
import { postSubgraph } from './fixtures.js';

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({ canaries: true });
});
afterAll(() => sg?.close());

const ENGINEER = `query($id: ID!) { engineer(id: $id) { id displayName email phone homeLocation { lat lng } } }`;

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
    const without = await sg.gql<any>(
      ENGINEER,
      { id: CANARY.engineerId },
      {
        token: await token({ sub: 'dispatcher', scope: 'workforce:write' }),
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
    const withScope = await sg.gql<any>(
      ENGINEER,
      { id: CANARY.engineerId },
      {
        token: await token({ sub: 'dispatcher', scope: 'pii:read' }),
      },
    );
    expect(withScope.data.engineer.email).toBe(CANARY.email);
    expect(withScope.data.engineer.homeLocation).toEqual({ lat: 52.52, lng: 13.405 });
  });

  it('answers null for @pii fields without pii:read in `_entities` too', async () => {
    const res = await postSubgraph(
      sg.subgraphs.workforce!,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Engineer { id email phone homeLocation { lat } } } }`,
      { subject: 'gateway-caller', orgId: null, scopes: new Set(['workforce:write']) },
      { r: [{ __typename: 'Engineer', id: CANARY.engineerId }] },
    );
    expect(res.body.data._entities).toEqual([
      { id: CANARY.engineerId, email: null, phone: null, homeLocation: null },
    ]);
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
