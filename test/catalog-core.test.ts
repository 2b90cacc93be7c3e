import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  codes,
  firstErrorExtensions,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(() => sg?.close());

const ACME = demoOrgId('acme');
const BOREALIS = demoOrgId('borealis');

describe('products and SKUs', () => {
  it('lists products with their manufacturer (from org-graph) and SKUs', async () => {
    const res = await sg.gql(op('Products'), { first: 100 });
    expect(res.errors).toBeUndefined();
    expect(res.data.products.totalCount).toBe(20);
    const heatPump = res.data.products.edges.find(
      (e) => e.node.name === 'AeroHeat Air-to-Water Heat Pump',
    )!.node;
    expect(heatPump).toMatchObject({
      status: 'ACTIVE',
      manufacturer: { id: ACME, name: 'Acme Climate Systems' },
    });
    expect(heatPump.skus.map((s) => s.code).sort()).toEqual([
      'ACM-01-12KW',
      'ACM-01-6KW',
      'ACM-01-9KW',
    ]);
    const borealis = await sg.gql(op('Products'), { manufacturerId: BOREALIS, first: 100 });
    expect(borealis.data.products.totalCount).toBe(10);
    expect(
      borealis.data.products.edges.every((e) => e.node.manufacturer.name === 'Borealis Appliances'),
    ).toBe(true);
  });

  it('lists SKUs, filtered by product and paged', async () => {
    const all = await sg.gql(op('Skus'), { first: 100 });
    expect(all.data.skus.totalCount).toBe(60);
    expect(all.data.skus.edges).toHaveLength(60);
    const productId = demoId('product', 'acme:0');
    const one = await sg.gql(op('Skus'), { productId, first: 2 });
    expect(one.data.skus.totalCount).toBe(3);
    expect(one.data.skus.edges).toHaveLength(2);
    expect(one.data.skus.edges[0]!.node.product).toEqual({
      id: productId,
      name: 'AeroHeat Air-to-Water Heat Pump',
    });
  });

  it('creates a product and a SKU for the caller’s own manufacturer', async () => {
    const asAcme = await token({ org: ACME, scope: 'catalog:write' });
    const product = await sg.gql(
      op('CreateProduct'),
      {
        input: { manufacturerId: ACME, name: 'AeroHeat Mini', attributes: { refrigerant: 'R290' } },
      },
      { token: asAcme },
    );
    expect(product.errors).toBeUndefined();
    expect(product.data.createProduct).toMatchObject({
      name: 'AeroHeat Mini',
      status: 'ACTIVE',
      manufacturer: { id: ACME },
    });
    const sku = await sg.gql(
      op('CreateSku'),
      {
        input: {
          productId: product.data.createProduct.id,
          code: 'ACM-11-4KW',
          name: 'AeroHeat Mini, 4 kW',
        },
      },
      { token: asAcme },
    );
    expect(sku.errors).toBeUndefined();
    expect(sku.data.createSku).toMatchObject({
      code: 'ACM-11-4KW',
      status: 'ACTIVE',
      product: { id: product.data.createProduct.id },
    });
  });

  it('refuses a duplicate SKU code, an unknown product, a non-manufacturer and a foreign manufacturer; writes nothing', async () => {
    const count = async () => {
      const [row] = await sg.db.query<{ n: unknown }>(
        'SELECT (SELECT count(*) FROM catalog.product) + (SELECT count(*) FROM catalog.sku) AS n',
      );
      return Number(row?.n);
    };
    const before = await count();
    const dup = await sg.gql(op('CreateSku'), {
      input: { productId: demoId('product', 'acme:0'), code: 'ACM-01-6KW', name: 'dup' },
    });
    expect(codes(dup)).toEqual(['CONFLICT']);
    expect(firstErrorExtensions(dup).field).toBe('input.code');
    const unknown = await sg.gql(op('CreateSku'), {
      input: { productId: '00000000-0000-4000-8000-000000000000', code: 'NEW-1', name: 'x' },
    });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const dealer = await sg.gql(op('CreateProduct'), {
      input: { manufacturerId: demoOrgId('koeln-klima'), name: 'x' },
    });
    expect(codes(dealer)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(dealer).field).toBe('input.manufacturerId');
    const foreign = await sg.gql(
      op('CreateProduct'),
      { input: { manufacturerId: BOREALIS, name: 'x' } },
      { token: await token({ org: ACME, scope: 'catalog:write' }) },
    );
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    const noScope = await sg.gql(
      op('CreateProduct'),
      { input: { manufacturerId: ACME, name: 'x' } },
      { token: await token({ org: ACME }) },
    );
    expect(codes(noScope)).toEqual(['FORBIDDEN']);
    const badCode = await sg.gql(op('CreateSku'), {
      input: { productId: demoId('product', 'acme:0'), code: 'lower case', name: 'x' },
    });
    expect(codes(badCode)).toEqual(['BAD_USER_INPUT']);
    expect(await count()).toBe(before);
  });
});

describe('malformed ids', () => {
  it('answer null for lookups and BAD_USER_INPUT for filters, never an internal error', async () => {
    const product = await sg.gql(
      graphql(`query MalformedCatalogIds { product(id: "not-a-uuid") { id } sku(id: "1") { id } }`),
    );
    expect(product.errors).toBeUndefined();
    expect(product.data).toEqual({ product: null, sku: null });
    const filtered = await sg.gql(op('Products'), { manufacturerId: 'acme' });
    expect(codes(filtered)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(filtered).field).toBe('manufacturerId');
    const org = await sg.gql(
      graphql(`query MalformedOrgIds { organization(id: "x") { id } channel(id: "y") { id } }`),
    );
    expect(org.errors).toBeUndefined();
    expect(org.data).toEqual({ organization: null, channel: null });
    expect(codes(await sg.gql(op('Channels'), { ownerId: 'x' }))).toEqual(['BAD_USER_INPUT']);
  });
});
