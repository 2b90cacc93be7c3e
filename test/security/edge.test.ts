// The edge: subgraph ports refuse anyone but the gateway; the gateway refuses abusive requests
// before any SQL runs, without revealing its limits; internal errors reach clients masked, with
// the detail in the log under the request id; production has no introspection or suggestions.

import { LIMITS } from '@trellis/gateway';
import { CALLER_HEADER, MAX_BODY_BYTES, signCaller } from '@trellis/kit';
import { SLICE_NAMES, type SliceName } from '@trellis/prisma';
import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../support/canaries.js';
import { op } from '../support/contract.js';
import { graphql } from '../support/documents.js';
import {
  adminToken,
  BACKEND,
  codes,
  SIGNING_SECRET,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from '../support/supergraph.js';
import { postSubgraph } from './fixtures.js';

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({ canaries: true });
});
afterAll(() => sg?.close());

/** Every statement (queries and transaction control) of every subgraph so far. */
const allStatements = async () => {
  let total = 0;
  for (const slice of SLICE_NAMES) total += await sg.statements(slice, 'all');
  return total;
};

/** Runs `fn` and expects no SQL statement at all meanwhile. */
async function noSql<T>(fn: () => Promise<T>): Promise<T> {
  const before = await allStatements();
  const result = await fn();
  expect(await allStatements(), 'SQL statements sent').toBe(before);
  return result;
}

const ROOT: Record<SliceName, { root: string; entity: { typename: string; id: string } }> = {
  'org-graph': {
    root: '{ organizations { totalCount } }',
    entity: { typename: 'Organization', id: demoOrgId('acme') },
  },
  catalog: {
    root: '{ products { totalCount } }',
    entity: { typename: 'Product', id: demoId('product', 'acme:0') },
  },
  pricing: {
    root: '{ priceBooks { totalCount } }',
    entity: { typename: 'PriceBook', id: demoId('security', 'book-a') },
  },
  'service-policy': {
    root: '{ tickets { totalCount } }',
    entity: { typename: 'Ticket', id: demoId('security', 'ticket-a') },
  },
  workforce: {
    root: '{ engineers { totalCount } }',
    entity: { typename: 'Engineer', id: CANARY.engineerId },
  },
  agreements: {
    root: '{ events { totalCount } }',
    entity: { typename: 'Agreement', id: demoId('security', 'agreement-a') },
  },
};

describe('subgraph ports refuse anyone but the gateway', () => {
  const admin = { subject: 'intruder', orgId: null, scopes: new Set(['admin', 'pii:read']) };
  const forgeries: [string, () => Promise<Record<string, string>>][] = [
    ['no signature', async () => ({})],
    [
      'a signature with another secret',
      async () => ({
        [CALLER_HEADER]: await signCaller(admin, 'not-the-secret-0123456789abcdef0123456789', 'r'),
      }),
    ],
    [
      'the right secret but another issuer',
      async () => ({
        [CALLER_HEADER]: await new SignJWT({ scope: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('intruder')
          .setIssuer('someone-else')
          .setAudience('trellis-subgraphs')
          .setExpirationTime('1m')
          .sign(new TextEncoder().encode(SIGNING_SECRET)),
      }),
    ],
    [
      'an expired signature',
      async () => ({
        [CALLER_HEADER]: await new SignJWT({ scope: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('intruder')
          .setIssuer('trellis-gateway')
          .setAudience('trellis-subgraphs')
          .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 540)
          .sign(new TextEncoder().encode(SIGNING_SECRET)),
      }),
    ],
    ['an unsigned token (alg none)', async () => ({ [CALLER_HEADER]: unsignedToken() })],
  ];

  const cases = SLICE_NAMES.flatMap((slice) =>
    forgeries.map(([how, headers]) => ({ slice, how, headers })),
  );
  it.each(cases)('$slice with $how: `_service`, `_entities` and a root field', async ({
    slice,
    headers,
  }) => {
    const { root, entity } = ROOT[slice];
    const entities = `{ _entities(representations: [{ __typename: "${entity.typename}", id: "${entity.id}" }]) { ... on ${entity.typename} { id } } }`;
    for (const query of ['{ _service { sdl } }', entities, root]) {
      const res = await noSql(async () => {
        const r = await fetch(sg.subgraphs[slice]!, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await headers()) },
          body: JSON.stringify({ query }),
        });
        return { status: r.status, body: (await r.json()) as any };
      });
      expect(res.body.errors?.[0]?.extensions?.code, query).toBe('UNAUTHENTICATED');
      expect(res.body.data ?? null).toBeNull();
    }
  });

  it('reports ready (the migration history read as the slice’s runtime role)', async () => {
    for (const slice of SLICE_NAMES) {
      const res = await fetch(sg.subgraphs[slice]!.replace(/\/graphql$/, '/ready'));
      expect(await res.json()).toEqual({ ready: true, service: slice });
    }
  });

  it('answers the gateway’s signature (the check is not vacuous)', async () => {
    for (const slice of SLICE_NAMES) {
      const res = await postSubgraph(sg.subgraphs[slice]!, '{ _service { sdl } }', {
        subject: 'gateway-test',
        orgId: null,
        scopes: new Set(['admin']),
      });
      expect(res.body.data._service.sdl).toContain('type Query');
    }
  });
});

function unsignedToken() {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'intruder', scope: 'admin', iss: 'trellis-gateway', aud: 'trellis-subgraphs', exp: now + 60 })}.`;
}

/** A query whose selection is exactly `depth` fields deep (graphql-armor's count). */
function nested(depth: number): string {
  const fields = ['organizations(first: 1)', 'edges', 'node'];
  while (fields.length < depth - 1) fields.push(fields.length % 2 ? 'channels' : 'owner');
  return `{ ${fields.join(' { ')} { id }${' }'.repeat(fields.length - 1)} }`;
}

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(sg.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken()}`, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe('gateway limits: refused before any SQL, limits not revealed', () => {
  /** HTTP 400 with a stable code, naming the limit but not its value */
  const refused = (
    res: {
      status: number;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
    limit: keyof typeof LIMITS,
    code = 'GRAPHQL_VALIDATION_FAILED',
  ) => {
    expect(res.status).toBe(400);
    expect(res.errors?.length).toBeGreaterThan(0);
    for (const e of res.errors ?? []) {
      expect(e.message).not.toContain(String(LIMITS[limit]));
      expect(e.message).toContain(limit);
      expect(e.extensions).toMatchObject({ code, limit });
    }
  };

  it(`a query one level deeper than the limit (${LIMITS.maxDepth})`, async () => {
    const atLimit = await sg.gql(nested(LIMITS.maxDepth));
    expect(atLimit.errors).toBeUndefined();
    const res = await noSql(() => sg.gql(nested(LIMITS.maxDepth + 1)));
    refused(res, 'maxDepth');
    expect(res.data ?? null).toBeNull();
  });

  it(`${LIMITS.maxAliases + 1} aliases`, async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: featureFlags { key }`).join(' ')} }`;
    expect((await sg.gql(aliases(LIMITS.maxAliases))).errors).toBeUndefined();
    const res = await noSql(() => sg.gql(aliases(LIMITS.maxAliases + 1)));
    refused(res, 'maxAliases');
  });

  it(`an oversized document: over ${LIMITS.maxTokens} tokens, or over the body cap`, async () => {
    const many = `{ ${Array.from({ length: LIMITS.maxTokens }, () => 'featureFlags { key }').join(' ')} }`;
    const res = await noSql(() => sg.gql(many));
    refused(res, 'maxTokens', 'GRAPHQL_PARSE_FAILED');
    const huge = JSON.stringify({
      query: `{ featureFlags { key } } # ${'x'.repeat(MAX_BODY_BYTES)}`,
    });
    const capped = await noSql(() => post(huge, { 'content-type': 'application/json' }));
    expect(capped.status).toBe(413);
    expect(JSON.parse(capped.text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(capped.text).not.toContain(String(MAX_BODY_BYTES));
  });

  it('a text/plain POST without a preflight header (CSRF)', async () => {
    const res = await noSql(() =>
      post(JSON.stringify({ query: '{ organizations { totalCount } }' }), {
        'content-type': 'text/plain',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('totalCount":');
  });

  it('a batched array of operations', async () => {
    const one = { query: '{ organizations { totalCount } }' };
    const res = await noSql(() =>
      post(JSON.stringify([one, one]), { 'content-type': 'application/json' }),
    );
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('totalCount":');
  });

  it('a cost over the limit', async () => {
    const costly = `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: organizations(first: 100) { edges { node { channels { members { channels { id } } } } } }`).join(' ')} }`;
    const res = await noSql(() => sg.gql(costly));
    refused(res, 'maxCost');
  });
});

describe('production answers: no introspection, no suggestions', () => {
  it('refuses introspection', async () => {
    const res = await noSql(() => sg.gql('{ __schema { types { name } } }'));
    expect(res.data?.__schema ?? null).toBeNull();
    expect(codes(res)).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('names no field the client might have meant', async () => {
    const res = await noSql(() =>
      sg.gql('{ organizaton(id: "x") { id } webhookSubscriptons { totalCount } }'),
    );
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.errors)).not.toMatch(
      /Did you mean|organization\b|webhookSubscriptions/,
    );
  });
});

describe('a client’s mistake is a 4xx with a code, never an internal error', () => {
  const RULE = `mutation Rule($input: CreatePriceRuleInput!) { createPriceRule(input: $input) { id } }`;
  const rule = (amount: unknown) => ({
    priceBookId: demoId('price-book', 'acme-list-eur'),
    skuId: demoId('sku', 'BOR-01-28'),
    kind: 'FIXED',
    amount,
  });
  const CERTIFY = `mutation Certify($at: DateTime) { addOrgCertification(orgId: "${demoOrgId('acme')}", code: "ISO-9001", validUntil: $at) { id } }`;
  const manufacturers = async () =>
    Number(
      (
        await sg.db.query<{ n: number }>('SELECT count(*)::int AS n FROM org_graph.manufacturers')
      )[0]!.n,
    );

  /** refused as a whole with HTTP 400, BAD_USER_INPUT naming the path, before any SQL */
  async function refusedInput(
    field: string,
    send: () => Promise<Awaited<ReturnType<TestSupergraph['gql']>>>,
  ) {
    const res = await noSql(send);
    expect(res.status, field).toBe(400);
    expect(res.errors, field).toHaveLength(1);
    expect(res.errors?.[0]?.extensions, field).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: `));
  }

  it.each([
    ['a number', 12.5],
    ['an exponent', '1e5'],
    ['NaN', 'NaN'],
    ['empty', ''],
  ])('a Decimal given as %s, as a variable and as a literal', async (_, amount) => {
    await refusedInput('createPriceRule.input.amount', () => sg.gql(RULE, { input: rule(amount) }));
    const literal = `mutation { createPriceRule(input: { priceBookId: "${demoId('price-book', 'acme-list-eur')}", skuId: "${demoId('sku', 'BOR-01-28')}", kind: FIXED, amount: ${JSON.stringify(amount)} }) { id } }`;
    await refusedInput('createPriceRule.input.amount', () => sg.gql(literal));
  });

  it.each([
    '2024-02-30T00:00:00Z',
    '2023-02-29T10:00:00Z',
    'tomorrow',
  ])('an impossible DateTime (%s), as a variable and as a literal', async (at) => {
    await refusedInput('addOrgCertification.validUntil', () => sg.gql(CERTIFY, { at }));
    await refusedInput('addOrgCertification.validUntil', () =>
      sg.gql(
        CERTIFY.replace('$at: DateTime', '').replace('()', '').replace('$at', JSON.stringify(at)),
      ),
    );
  });

  it('a NUL or another control character in any string, JSON included; nothing written', async () => {
    const before = await manufacturers();
    const create = graphql(
      `mutation EdgeCreateManufacturer($input: CreateManufacturerInput!) { createManufacturer(input: $input) { id } }`,
    );
    for (const name of ['Acme\u0000', 'Acme\u0007', 'Acme\u001b[31m', 'Acme\u0085']) {
      await refusedInput('createManufacturer.input.name', () =>
        sg.gql(create, { input: { name } }),
      );
    }
    await refusedInput('createManufacturer.input.name', () =>
      sg.gql('mutation { createManufacturer(input: { name: "Acme\\u0000" }) { id } }'),
    );
    await refusedInput('m2.input.country', () =>
      sg.gql(
        'mutation { m1: createSupplier(input: { name: "First" }) { id } m2: createSupplier(input: { name: "Second", country: "D\\u0000E" }) { id } }',
      ),
    );
    await refusedInput('createOffering.input.terms.notes.1', () =>
      sg.gql(
        'mutation O($terms: JSON) { createOffering(input: { sellerOrgId: "x", skuId: "y", name: "n", terms: $terms }) { id } }',
        { terms: { notes: ['fine', 'not\u0000fine'] } },
      ),
    );
    expect(await manufacturers()).toBe(before);
    // tab, line feed and carriage return are text
    const ok = await sg.gql(create, { input: { name: 'Acme\tClimate\r\nSystems' } });
    expect(ok.errors).toBeUndefined();
  });

  it('a legacy id out of the column’s range', async () => {
    const res = await sg.gql(
      'mutation { updateManufacturer(id: "99999999999", input: { name: "x" }) { id } }',
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions).toMatchObject({ field: 'id' });
  });

  it.each([
    ['unique_violation', 'CONFLICT'],
    ['exclusion_violation', 'CONFLICT'],
    ['serialization_failure', 'CONFLICT'],
    ['deadlock_detected', 'CONFLICT'],
    ['numeric_value_out_of_range', 'BAD_USER_INPUT'],
    ['invalid_text_representation', 'BAD_USER_INPUT'],
  ])('a database %s no feature handled answers %s, in one place', async (condition, code) => {
    // a race the feature's own checks could not see, as the database reports it
    await sg.db.exec(`
      CREATE FUNCTION org_graph.race() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '${condition}'; END $$;
      CREATE TRIGGER race BEFORE INSERT ON org_graph.suppliers FOR EACH ROW EXECUTE FUNCTION org_graph.race();`);
    try {
      const res = await sg.gql('mutation { createSupplier(input: { name: "Racer" }) { id } }');
      expect(codes(res)).toEqual([code]);
      expect(res.errors?.[0]?.message).not.toMatch(/simulated|supplier|SQL/i);
    } finally {
      await sg.db.exec(
        'DROP TRIGGER IF EXISTS race ON org_graph.suppliers; DROP FUNCTION IF EXISTS org_graph.race()',
      );
    }
  });

  it('an unknown operationName, or none for several operations: 400', async () => {
    const doc = 'query A { featureFlags { key } } query B { featureFlags { key } }';
    for (const operationName of ['Nope', undefined]) {
      const res = await noSql(() =>
        post(JSON.stringify({ query: doc, operationName }), { 'content-type': 'application/json' }),
      );
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
  });

  it('a syntax error is 400 GRAPHQL_PARSE_FAILED; a subscription 400', async () => {
    const broken = await noSql(() => sg.gql('{ featureFlags { key } '));
    expect(broken.status).toBe(400);
    expect(codes(broken)).toEqual(['GRAPHQL_PARSE_FAILED']);
    const subscription = await noSql(() => sg.gql('subscription { featureFlags { key } }'));
    expect(subscription.status).toBe(400);
    expect(codes(subscription)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('a token whose org claim is not an organization id: 401 UNAUTHENTICATED', async () => {
    for (const org of ['not-a-uuid', `${demoOrgId('acme')}'--`, '42']) {
      const bearer = await token({ org, scope: 'pricing:write' });
      const res = await noSql(() =>
        sg.gql('{ priceBooks { totalCount } }', undefined, { token: bearer }),
      );
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('an Idempotency-Key over several mutations: 400', async () => {
    const res = await noSql(() =>
      sg.gql(
        'mutation { a: createSupplier(input: { name: "A" }) { id } b: createSupplier(input: { name: "B" }) { id } }',
        undefined,
        { headers: { 'idempotency-key': 'several-1' } },
      ),
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('internal errors are masked for clients and detailed in the log', () => {
  /** the errors as the client got them, but their `path` (the field it asked for) */
  const bodyOf = (errors: unknown[] | undefined) =>
    JSON.stringify((errors ?? []).map((e) => ({ ...(e as object), path: undefined })));
  const clean = (body: string) => {
    for (const leak of [
      'permission denied',
      'engineer',
      'SELECT',
      'stack',
      '127.0.0.1',
      'localhost',
      'workforce',
      'org-graph',
      'serviceName',
      'postgres',
      'trellis_',
    ]) {
      expect(body, `the error body mentions "${leak}"`).not.toContain(leak);
    }
  };

  it('a forced database error reaches the client as INTERNAL_SERVER_ERROR, with no stack, SQL or host', async () => {
    await sg.db.exec('REVOKE SELECT ON workforce.engineer FROM trellis_workforce');
    try {
      const requestId = `masked-${Date.now()}`;
      const res = await sg.gql(
        op('Engineers'),
        { first: 5 },
        {
          headers: { 'x-request-id': requestId },
        },
      );
      expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(res.errors![0]).toEqual({
        message: 'Internal server error',
        path: ['engineers'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      clean(bodyOf(res.errors));
      // the log has the detail, under the request id the client got back
      expect(res.headers.get('x-request-id')).toBe(requestId);
      const lines = sg
        .logs()
        .split('\n')
        .filter((l) => l.includes(requestId));
      expect(lines.some((l) => /permission denied for table engineer/.test(l))).toBe(true);
    } finally {
      await sg.db.exec('GRANT SELECT ON workforce.engineer TO trellis_workforce');
    }
  });

  it('secrets and PII inside a database error reach neither the client nor the log', async () => {
    // a trigger that fails with canary values in its message (as a constraint quoting a row might)
    await sg.db.exec(`
      CREATE FUNCTION org_graph.leak() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'cannot write: % % % Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
          '${CANARY.email}', '${CANARY.webhookSecret}', '${CANARY.connectionString}';
      END $$;
      CREATE TRIGGER leak BEFORE INSERT ON org_graph.channel FOR EACH ROW EXECUTE FUNCTION org_graph.leak();`);
    try {
      const requestId = `canary-${Date.now()}`;
      const res = await sg.gql(
        op('CreateChannel'),
        { input: { ownerOrgId: demoOrgId('acme'), code: 'LEAK-1', name: 'Leak', currency: 'EUR' } },
        { headers: { 'x-request-id': requestId } },
      );
      expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      clean(bodyOf(res.errors));
      const logged = sg
        .logs()
        .split('\n')
        .filter((l) => l.includes(requestId))
        .join('\n');
      expect(logged).toMatch(/cannot write/);
      for (const secret of [
        CANARY.email,
        CANARY.webhookSecret,
        CANARY.connectionString,
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0',
      ]) {
        expect(logged).not.toContain(secret);
      }
    } finally {
      await sg.db.exec(
        'DROP TRIGGER IF EXISTS leak ON org_graph.channel; DROP FUNCTION IF EXISTS org_graph.leak()',
      );
    }
  });

  it.runIf(BACKEND === 'postgres')(
    'the test database’s connection string never reaches the log',
    () => {
      // checked for every test file at close(); here only that the harness knows it
      expect(sg.logs()).not.toMatch(/postgres(ql)?:\/\//);
    },
  );
});
