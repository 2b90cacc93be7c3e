// Every mutation of the supergraph, every argument and input field, with malformed values of
// its type, through the gateway, as an administrator and as an ordinary organization: no
// answer is an internal error or an HTTP 5xx, every error has a code, and a refused request
// writes nothing. The mutations are read from the composed schema, so a new one is walked
// without a change here.
import { readFileSync } from 'node:fs';
import { SLICE_NAMES, SLICES } from '@trellis/prisma';
import { demoOrgId } from '@trellis/prisma/seed';
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from '../support/supergraph.js';

const schema = buildSchema(
  readFileSync(new URL('../../gateway/supergraph.graphql', import.meta.url), 'utf8'),
  { assumeValidSDL: true },
);
const MUTATIONS = Object.values(schema.getMutationType()!.getFields());

/** Malformed values by leaf type; `strict` ones must be refused wherever they appear. */
const NUL = 'Probe\u0000name';
const MALFORMED: Record<string, { strict: unknown[]; loose: unknown[] }> = {
  String: {
    strict: [NUL, 'bell\u0007', 'esc\u001b[0m', 'c1\u0085'],
    loose: ['', 'x'.repeat(100_000)],
  },
  ID: { strict: [`id\u0000`], loose: ['not-an-id', '99999999999', '', 12] },
  Int: { strict: [99_999_999_999, 2 ** 31, 1.5, '7'], loose: [-1, 0, 2 ** 31 - 1] },
  Float: { strict: ['1.5', 'north', true], loose: [1e308, -1e308, 0] },
  Boolean: { strict: ['yes', 2], loose: [] },
  Decimal: {
    strict: [12.5, '1e5', 'NaN', '', ' 1', '1,5', 'Infinity'],
    loose: ['-1', '99999999999999999999.99999'],
  },
  DateTime: {
    strict: [
      '2024-02-30T00:00:00Z',
      '2023-02-29T10:00:00Z',
      'garbage',
      '',
      1700000000000,
      '2024-01-01',
    ],
    loose: ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'],
  },
  Currency: { strict: ['EURO', NUL], loose: [] },
  JSON: {
    strict: [{ note: NUL }, { [NUL]: 1 }],
    loose: [[1, 2], 'a string', 42, true, { deep: { deeper: [{}] } }],
  },
};
const ENUM = { strict: ['NOT_A_VALUE', 'lowercase', NUL], loose: [] };

interface Leaf {
  path: string[];
  type: GraphQLInputType;
}

/** Every argument and input field below a mutation, as paths into its arguments. */
function leaves(args: readonly GraphQLArgument[]): Leaf[] {
  const out: Leaf[] = [];
  const visit = (path: string[], type: GraphQLInputType, depth: number) => {
    out.push({ path, type });
    const named = getNamedType(type);
    if (isInputObjectType(named) && depth < 3) {
      for (const f of Object.values(named.getFields())) visit([...path, f.name], f.type, depth + 1);
    }
  };
  for (const a of args) visit([a.name], a.type, 0);
  return out;
}

interface Ids {
  org: string;
  channel: string;
  sku: string;
  product: string;
  priceBook: string;
  offering: string;
  legacy: string;
}

/** A plausible value for an ID named `name` (so that the malformed field is what is judged). */
function idFor(name: string, returns: string, ids: Ids): string {
  const n = name.toLowerCase();
  if (n.includes('channel')) return ids.channel;
  if (n.includes('sku')) return ids.sku;
  if (n.includes('product')) return ids.product;
  if (n.includes('pricebook')) return ids.priceBook;
  if (n.includes('offering')) return ids.offering;
  if (n === 'id') {
    if (/Manufacturer|Supplier/.test(returns)) return ids.legacy;
    if (/PriceBook/.test(returns)) return ids.priceBook;
    if (/Offering/.test(returns)) return ids.offering;
  }
  return ids.org;
}

/** A well-formed value of a type: required input fields only, enums their first value. */
function valid(type: GraphQLInputType, name: string, returns: string, ids: Ids): unknown {
  if (isNonNullType(type)) return valid(type.ofType, name, returns, ids);
  if (isListType(type)) return [valid(type.ofType, name, returns, ids)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, valid(f.type, f.name, returns, ids)]),
    );
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  switch (type.name) {
    case 'ID':
      return idFor(name, returns, ids);
    case 'Int':
      return 1;
    case 'Boolean':
      return true;
    case 'Decimal':
      return '10.00';
    case 'DateTime':
      return '2030-01-01T00:00:00Z';
    case 'JSON':
      return {};
    default:
      if (/currency/i.test(name)) return 'EUR';
      if (/code/i.test(name)) return 'PROBE-1';
      if (/country|region|territor/i.test(name)) return 'DE';
      if (/website|url/i.test(name)) return 'https://example.com';
      return 'Probe';
  }
}

function withValue(base: Record<string, unknown>, path: string[], value: unknown, remove = false) {
  const copy = structuredClone(base);
  let target = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null || Array.isArray(target[key]))
      target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (remove) delete target[last];
  else target[last] = value;
  return copy;
}

interface Case {
  mutation: string;
  field: string;
  query: string;
  variables: Record<string, unknown>;
  strict: boolean;
}

/** The cases of one mutation: every leaf with its type's malformed values, missing required. */
function casesOf(field: GraphQLField<unknown, unknown>, ids: Ids, sample: number): Case[] {
  const returns = String(getNamedType(field.type));
  const defs = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `mutation Probe${defs ? `(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''} { __typename } }`;
  const base = Object.fromEntries(
    field.args
      .filter((a) => isNonNullType(a.type))
      .map((a) => [a.name, valid(a.type, a.name, returns, ids)]),
  );
  const cases: Case[] = [];
  for (const { path, type } of leaves(field.args)) {
    const label = `${field.name}.${path.join('.')}`;
    const push = (value: unknown, strict: boolean, remove = false) =>
      cases.push({
        mutation: field.name,
        field: label,
        query,
        variables: withValue(base, path, value, remove),
        strict,
      });
    if (isNonNullType(type)) push(undefined, true, true);
    const named = getNamedType(type);
    if (isInputObjectType(named)) {
      push('not an object', true);
      continue;
    }
    const values = isEnumType(named)
      ? ENUM
      : isScalarType(named)
        ? MALFORMED[named.name]
        : undefined;
    if (!values) throw new Error(`no malformed values for ${named} (${label})`);
    // strict values all; loose ones sampled (a rotating few keep the walk fast)
    const list = isListType(isNonNullType(type) ? type.ofType : type);
    for (const v of values.strict) push(list ? [v] : v, true);
    for (const v of values.loose.slice(0, sample)) push(v, false);
  }
  return cases;
}

let sg: TestSupergraph;
let tables: string[];
beforeAll(async () => {
  sg = await startTestSupergraph();
  const rows = await sg.db.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' AND table_name <> 'audit_log'
     ORDER BY 1`,
    [SLICE_NAMES.map((s) => SLICES[s])],
  );
  tables = rows.map((r) => `"${r.name.replace('.', '"."')}"`);
});
afterAll(() => sg?.close());

/** Row counts of every table but the audit logs (a refusal may be audited). */
async function counts(): Promise<string> {
  const rows = await sg.db.query<{ n: number }>(
    tables.map((t) => `SELECT count(*)::int AS n FROM ${t}`).join(' UNION ALL '),
  );
  return rows.map((r) => r.n).join(',');
}

async function firstId(sql: string): Promise<string> {
  const [row] = await sg.db.query<{ id: string | number }>(sql);
  return String(row!.id);
}

const ORDINARY = demoOrgId('koeln-klima');
const ORDINARY_SCOPES =
  'org:write catalog:write catalog:publish pricing:write policy:write tickets:write workforce:write agreements:write webhooks:manage';

describe.each([
  { who: 'an administrator', org: demoOrgId('acme'), token: adminToken, sample: 2 },
  {
    who: 'an ordinary organization',
    org: ORDINARY,
    token: () => token({ sub: 'dealer-user', org: ORDINARY, scope: ORDINARY_SCOPES }),
    sample: 1,
  },
])('malformed input to every mutation, as $who', ({ org, token: tokenOf, sample }) => {
  // ~550 requests per caller: a correctness walk, not a timed one (minutes on a loaded machine)
  it(
    'answers 4xx or a coded error, never a 5xx, and writes nothing when it refuses',
    { timeout: 300_000 },
    async () => {
      const ids: Ids = {
        org,
        channel: await firstId(
          `SELECT id FROM org_graph.channel ORDER BY (owner_org_id = '${org}') DESC, id LIMIT 1`,
        ),
        sku: await firstId('SELECT id FROM catalog.sku ORDER BY id LIMIT 1'),
        product: await firstId('SELECT id FROM catalog.product ORDER BY id LIMIT 1'),
        priceBook: await firstId('SELECT id FROM pricing.price_book ORDER BY id LIMIT 1'),
        offering: await firstId('SELECT id FROM catalog.offering ORDER BY id LIMIT 1'),
        legacy: await firstId('SELECT id FROM org_graph.manufacturers ORDER BY id LIMIT 1'),
      };
      const bearer = await tokenOf();
      const failures: string[] = [];
      const walked = new Set<string>();
      const fields = new Set<string>();
      let sent = 0;
      let before = await counts();
      for (const mutation of MUTATIONS) {
        for (const c of casesOf(mutation, ids, sample)) {
          walked.add(c.mutation);
          fields.add(c.field);
          const res = await fetch(sg.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
            body: JSON.stringify({ query: c.query, variables: c.variables }),
          });
          sent++;
          const body = (await res.json()) as {
            data?: Record<string, unknown> | null;
            errors?: { message: string; extensions?: { code?: string } }[];
          };
          const what = `${c.field} = ${JSON.stringify(c.variables).slice(0, 160)}`;
          const errorCodes = (body.errors ?? []).map((e) => e.extensions?.code);
          if (res.status >= 500) failures.push(`HTTP ${res.status}: ${what}`);
          if (errorCodes.includes('INTERNAL_SERVER_ERROR'))
            failures.push(`internal error: ${what}`);
          if (errorCodes.some((code) => !code)) failures.push(`error without a code: ${what}`);
          const refused = (body.errors?.length ?? 0) > 0 && !body.data?.[c.mutation];
          if (c.strict && !refused) failures.push(`accepted: ${what}`);
          const after = await counts();
          if (refused && after !== before) failures.push(`refused but wrote: ${what}`);
          before = after;
        }
      }
      expect(failures).toEqual([]);
      // every mutation and every one of its input fields was walked
      expect([...walked].sort()).toEqual(MUTATIONS.map((m) => m.name).sort());
      for (const m of MUTATIONS) {
        for (const leaf of leaves(m.args))
          expect(fields).toContain(`${m.name}.${leaf.path.join('.')}`);
      }
      expect(sent).toBeGreaterThan(MUTATIONS.length * 10);
      console.log(`${MUTATIONS.length} mutations, ${fields.size} fields, ${sent} requests`);
    },
  );
});
