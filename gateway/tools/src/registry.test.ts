import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ownershipOf, renderApiDocs } from './docs.js';
import {
  apiSchemaOf,
  breakingChanges,
  contractProblems,
  parseAcknowledged,
  parsePending,
} from './registry.js';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/** Composes small subgraphs (name → SDL) into a supergraph SDL. */
function supergraph(subgraphs: Record<string, string>): string {
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl], i) => ({
      name,
      typeDefs: parse(`${LINK}\n${sdl}`),
      url: `http://127.0.0.1:${4001 + i}/graphql`,
    })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

const products = (extra = '', statusValues = 'ACTIVE INACTIVE') => `
  "A product."
  type Product @key(fields: "id") {
    id: ID!
    "The product's name."
    name: String!
    status: Status!
    ${extra}
  }
  enum Status { ${statusValues} }
  input ProductFilter { status: Status, limit: Int = 20 }
  type Query {
    "Products, oldest first."
    products(first: Int = 20, filter: ProductFilter): [Product!]!
    product(id: ID!): Product
  }
  type Mutation { createProduct(name: String!): Product! }
`;
const reviews = `
  type Product @key(fields: "id", resolvable: false) { id: ID! }
  type Review { id: ID! product: Product! stars: Int! }
  type Query { reviews(productId: ID!): [Review!]! }
`;

const BASE = supergraph({ products: products('sku: String'), reviews });

describe('apiSchemaOf', () => {
  it('turns a supergraph into the schema clients see, without federation machinery', () => {
    const schema = apiSchemaOf(BASE);
    expect(schema.getQueryType()?.getFields()).toHaveProperty('reviews');
    expect(schema.getType('join__Graph')).toBeUndefined();
    expect(schema.getType('link__Purpose')).toBeUndefined();
    expect(schema.getDirective('join__type')).toBeUndefined();
  });
});

describe('parseAcknowledged', () => {
  it('reads "<path or message> # reason" lines and skips comments', () => {
    const { entries, errors } = parseAcknowledged(
      '# header\n\nProduct.sku  # nobody used it (issue 12)\n' +
        "Field 'sku' was removed from object type 'Product' # same, by message\n",
    );
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { match: 'Product.sku', reason: 'nobody used it (issue 12)', line: 3 },
      {
        match: "Field 'sku' was removed from object type 'Product'",
        reason: 'same, by message',
        line: 4,
      },
    ]);
  });

  it('refuses a line without a reason', () => {
    const { entries, errors } = parseAcknowledged('Product.sku\nProduct.name #   \n');
    expect(entries).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/line 1: "Product.sku" has no reason/);
  });
});

describe('breakingChanges', () => {
  const removed = supergraph({ products: products(), reviews });

  it('catches a removed field', async () => {
    const report = await breakingChanges(BASE, removed);
    expect(report.breaking.map((c) => c.path)).toEqual(['Product.sku']);
    expect(report.acknowledged).toEqual([]);
  });

  it('passes a breaking change that is acknowledged by path or by message', async () => {
    const byPath = parseAcknowledged('Product.sku # deprecated since v1').entries;
    const report = await breakingChanges(BASE, removed, byPath);
    expect(report.breaking).toEqual([]);
    expect(report.acknowledged.map((a) => [a.change.path, a.by.reason])).toEqual([
      ['Product.sku', 'deprecated since v1'],
    ]);
    expect(report.unused).toEqual([]);

    const message = report.acknowledged[0]!.change.message;
    const byMessage = parseAcknowledged(`${message} # by message`).entries;
    expect((await breakingChanges(BASE, removed, byMessage)).breaking).toEqual([]);
  });

  it('reports acknowledgements that match nothing as unused, without failing', async () => {
    const acks = parseAcknowledged('Product.sku # ok\nQuery.nothing # stale').entries;
    const report = await breakingChanges(BASE, removed, acks);
    expect(report.breaking).toEqual([]);
    expect(report.unused.map((a) => a.match)).toEqual(['Query.nothing']);
  });

  it('does not fail additions; flags a new enum value as dangerous', async () => {
    const added = supergraph({
      products: products('sku: String\n    weight: Int', 'ACTIVE INACTIVE DISCONTINUED'),
      reviews,
    });
    const report = await breakingChanges(BASE, added);
    expect(report.breaking).toEqual([]);
    expect(report.nonBreaking.map((c) => c.path)).toContain('Product.weight');
    expect(report.dangerous.map((c) => c.path)).toContain('Status.DISCONTINUED');
  });

  it('catches a removed root field, a new required argument and a type change', async () => {
    const changed = supergraph({
      products: products('sku: Int').replace('product(id: ID!)', 'product(id: ID!, tenant: ID!)'),
      reviews: reviews.replace('reviews(productId: ID!): [Review!]!', 'stars: Int'),
    });
    const paths = (await breakingChanges(BASE, changed)).breaking.map((c) => c.path).sort();
    expect(paths).toEqual(['Product.sku', 'Query.product.tenant', 'Query.reviews']);
  });

  it('sees no change between equal schemas', async () => {
    const report = await breakingChanges(BASE, BASE);
    expect([...report.breaking, ...report.dangerous, ...report.nonBreaking]).toEqual([]);
  });
});

describe('parsePending', () => {
  it('reads "<Operation> # issue N" lines', () => {
    const { entries, errors } = parsePending(
      '# comment\n\nOfferings # issue 3\nCreateTicket   #  issue #6 (policies)\n',
    );
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { operation: 'Offerings', issue: 3, line: 3 },
      { operation: 'CreateTicket', issue: 6, line: 4 },
    ]);
  });

  it('refuses lines without an issue and names listed twice', () => {
    const { errors } = parsePending('Offerings\nOfferings # issue 3\nOfferings # issue 3\n');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/line 1: "Offerings" is not/);
    expect(errors[1]).toMatch(/line 3: Offerings is listed twice/);
  });
});

describe('contractProblems', () => {
  const schema = apiSchemaOf(BASE);
  const files = [
    {
      name: 'products.graphql',
      source: `
        query Products { products(first: 5) { ...P } }
        mutation CreateProduct { createProduct(name: "x") { id } }
        query Weights { products { id weight } }`,
    },
    {
      name: 'reviews.graphql',
      source: `
        query Reviews($id: ID!) { reviews(productId: $id) { stars product { ...P } } }
        fragment P on Product { id name status }`,
    },
  ];
  const pending = (text: string) => parsePending(text).entries;

  it('validates every operation, with fragments from any file', () => {
    const report = contractProblems(schema, files, pending('Weights # issue 9'));
    expect(report.problems).toEqual([]);
    expect(report.valid).toEqual(['CreateProduct', 'Products', 'Reviews']);
    expect(report.pending.map((p) => [p.operation, p.issue])).toEqual([['Weights', 9]]);
    expect(report.pending[0]!.errors[0]).toMatch(/Cannot query field "weight"/);
  });

  it('fails an operation that does not validate and is not pending', () => {
    const report = contractProblems(schema, files, []);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/products.graphql: Weights does not validate/);
  });

  it('fails a pending operation that validates now, and a pending name that is no operation', () => {
    const report = contractProblems(
      schema,
      files,
      pending('Weights # issue 9\nProducts # issue 2\nGone # issue 4'),
    );
    expect(report.problems).toEqual([
      'PENDING lists Gone (issue 4): no such operation',
      'products.graphql: Products validates now: remove it from PENDING (issue 2)',
    ]);
  });

  it('fails anonymous and duplicated operations and unparsable files', () => {
    const report = contractProblems(
      schema,
      [
        { name: 'a.graphql', source: '{ products { id } }\nquery Dup { products { id } }' },
        { name: 'b.graphql', source: 'query Dup { product(id: "1") { id } }' },
        { name: 'c.graphql', source: 'query Broken {' },
      ],
      [],
    );
    expect(report.problems).toHaveLength(3);
    expect(report.problems[0]).toMatch(/a.graphql: an anonymous query/);
    expect(report.problems[1]).toMatch(/b.graphql: Dup is also defined in a.graphql/);
    expect(report.problems[2]).toMatch(/c.graphql: does not parse/);
  });
});

describe('API reference (docs.ts)', () => {
  it('reads which subgraph serves each type and field from the join directives', () => {
    const own = ownershipOf(parse(BASE));
    expect([...own.subgraphs.keys()]).toEqual(['products', 'reviews']);
    expect(own.types.get('Product')).toEqual([
      { graph: 'products', key: 'id', resolvable: true },
      { graph: 'reviews', key: 'id', resolvable: false },
    ]);
    expect(own.fields.get('Product.id')).toEqual(['products', 'reviews']);
    expect(own.fields.get('Product.name')).toEqual(['products']);
    expect(own.fields.get('Query.reviews')).toEqual(['reviews']);
    expect(own.fields.get('Review.stars')).toEqual(['reviews']);
  });

  it('renders a deterministic reference of root fields and types with their subgraphs', () => {
    const files = renderApiDocs(BASE);
    expect([...files.keys()]).toEqual(['README.md', 'products.md', 'reviews.md']);
    expect(renderApiDocs(BASE)).toEqual(files);
    const readme = files.get('README.md')!;
    expect(readme).toMatch(/^<!-- Generated by `pnpm docs:build`/);
    // root fields, sorted, with arguments, defaults, descriptions and the serving subgraph
    const roots = [...readme.matchAll(/^### `((?:Query|Mutation)\.\w+)`/gm)].map((m) => m[1]);
    expect(roots).toEqual([
      'Query.product',
      'Query.products',
      'Query.reviews',
      'Mutation.createProduct',
    ]);
    expect(readme).toContain('products(first: Int = 20, filter: ProductFilter): [Product!]!');
    expect(readme).toContain('Products, oldest first.');
    expect(readme).toContain('Returns [[Review](#review)!]! · served by **reviews**');
    expect(readme).toContain('| `first` | Int | `20` |  |');
    // object types: owners, keys, per-field subgraphs when shared
    expect(readme).toContain('Subgraphs: products (key `id`); reviews (key `id`, reference only)');
    expect(readme).toContain("| `name` | String! |  | products | The product's name. |");
    expect(readme).toContain('| `id` | ID! |  | products, reviews |  |');
    // inputs and enums
    expect(readme).toContain('| `limit` | Int | `20` |  |');
    expect(readme).toMatch(/### `Status`[\s\S]*\| `ACTIVE` \|/);
    expect(readme).not.toMatch(/### `(join|link)__/);
    const page = files.get('reviews.md')!;
    expect(page).toContain('[`reviews`](README.md#queryreviews)');
    expect(page).toContain('| [Product](README.md#product) | `id` | no (reference only) | `id` |');
    expect(page).toContain('| [Review](README.md#review) | `id`, `product`, `stars` |');
  });
});
