import { readFileSync } from 'node:fs';
import { SLICE_NAMES, SLICES, schemaPath } from '@trellis/prisma';
import { describe, expect, it } from 'vitest';
import {
  columnType,
  type Datamodel,
  keysOf,
  readDatamodel,
  relationsOf,
  renderErd,
  renderErdDocs,
} from './erd.js';

const HEAD = `
generator client {
  provider = "prisma-client"
  output   = "./generated"
}
datasource db {
  provider = "postgresql"
  schemas  = ["shop"]
}
`;

const SHOP = `${HEAD}
enum Status {
  ACTIVE
  RETIRED @map("retired")

  @@map("status_kind")
  @@schema("shop")
}

/// A customer organization.
model Customer {
  id        String    @id @default(uuid(7)) @db.Uuid
  email     String    @unique
  tags      String[]  @default([])
  status    Status    @default(ACTIVE)
  createdAt DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)
  parentId  String?   @map("parent_id") @db.Uuid
  parent    Customer? @relation("tree", fields: [parentId], references: [id])
  children  Customer[] @relation("tree")
  orders    Order[]
  profile   Profile?
  groups    Group[]

  @@map("customer")
  @@schema("shop")
}

model Profile {
  customerId String   @id @map("customer_id") @db.Uuid
  bio        String?
  customer   Customer @relation(fields: [customerId], references: [id])

  @@map("profile")
  @@schema("shop")
}

model Order {
  id         String      @id @default(uuid(7)) @db.Uuid
  customerId String      @map("customer_id") @db.Uuid
  /// order total
  total      Decimal     @db.Decimal(19, 4)
  number     Int
  note       String?
  customer   Customer    @relation(fields: [customerId], references: [id])
  lines      OrderLine[]

  @@unique([customerId, number])
  @@index([customerId, id])
  @@map("orders")
  @@schema("shop")
}

model OrderLine {
  orderId  String @map("order_id") @db.Uuid
  lineNo   Int    @map("line_no")
  quantity Int    @default(1)
  weight   Float
  order    Order  @relation(fields: [orderId], references: [id])

  @@id([orderId, lineNo])
  @@map("order_line")
  @@schema("shop")
}

model Group {
  id        Int        @id @default(autoincrement())
  name      String
  customers Customer[]

  @@schema("shop")
}
`;

const dm: Datamodel = readDatamodel(SHOP);
const mermaidOf = (page: string) => /```mermaid\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
const model = (name: string) => dm.models.find((m) => m.name === name)!;
const field = (m: string, f: string) => model(m).fields.find((x) => x.name === f)!;

describe('readDatamodel (Prisma’s own parser)', () => {
  it('reads models with their @@map and @map names', () => {
    expect(dm.models.map((m) => m.dbName ?? m.name).sort()).toEqual([
      'Group',
      'customer',
      'order_line',
      'orders',
      'profile',
    ]);
    expect(field('Customer', 'createdAt').dbName).toBe('created_at');
  });

  it('throws Prisma’s validation error, without colours', () => {
    expect(() =>
      readDatamodel(`${HEAD}\nmodel X {\n  id Int @id\n  y Strin\n}\n`, 'x.prisma'),
    ).toThrow(/x.prisma does not validate:[\s\S]*Strin/);
    try {
      readDatamodel(`${HEAD}\nmodel X {\n  y Strin\n}\n`);
    } catch (e) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: checks ANSI colours are gone
      expect((e as Error).message).not.toMatch(/\u001b\[/);
    }
  });
});

describe('columnType', () => {
  it('maps scalars and native types to PostgreSQL types', () => {
    expect(columnType(field('Customer', 'id'))).toBe('uuid');
    expect(columnType(field('Customer', 'email'))).toBe('text');
    expect(columnType(field('Customer', 'tags'))).toBe('text[]');
    expect(columnType(field('Customer', 'createdAt'))).toBe('timestamptz(3)');
    expect(columnType(field('Order', 'total'))).toBe('decimal(19,4)');
    expect(columnType(field('Order', 'number'))).toBe('integer');
    expect(columnType(field('OrderLine', 'weight'))).toBe('double precision');
  });

  it('names an enum column by the enum’s database name', () => {
    expect(columnType(field('Customer', 'status'), dm.enums)).toBe('status_kind');
  });
});

describe('keysOf', () => {
  it('marks primary, foreign and single-column unique keys', () => {
    const customer = keysOf(model('Customer'));
    expect(customer.get('id')).toEqual(['PK']);
    expect(customer.get('email')).toEqual(['UK']);
    expect(customer.get('parentId')).toEqual(['FK']);
    expect(customer.get('tags')).toEqual([]);
    expect(customer.has('orders')).toBe(false); // relation fields are no columns
    expect(keysOf(model('Profile')).get('customerId')).toEqual(['PK', 'FK']);
  });

  it('marks every column of a composite primary key, but no column of a composite unique', () => {
    const line = keysOf(model('OrderLine'));
    expect(line.get('orderId')).toEqual(['PK', 'FK']);
    expect(line.get('lineNo')).toEqual(['PK']);
    const order = keysOf(model('Order'));
    expect(order.get('number')).toEqual([]);
    expect(order.get('customerId')).toEqual(['FK']);
  });
});

describe('relationsOf', () => {
  it('gives each relation once, with its cardinality, from the foreign key side', () => {
    expect(relationsOf(dm)).toEqual([
      // implicit many-to-many through Prisma's join table
      { parent: 'Group', child: 'customer', arrow: '}o..o{', label: '_CustomerToGroup' },
      // optional self-relation: zero or one parent, many children
      { parent: 'customer', child: 'customer', arrow: '|o..o{', label: 'parent_id' },
      { parent: 'customer', child: 'orders', arrow: '||..o{', label: 'customer_id' },
      // one-to-one whose key is the foreign key: identifying (solid line)
      { parent: 'customer', child: 'profile', arrow: '||--o|', label: 'customer_id' },
      { parent: 'orders', child: 'order_line', arrow: '||--o{', label: 'order_id' },
    ]);
  });
});

describe('renderErd', () => {
  const md = renderErd(dm, { slice: 'shop', schema: 'shop', source: 'prisma/shop/schema.prisma' });

  it('draws a Mermaid erDiagram of the tables, their columns and relations', () => {
    expect(md).toMatch(/^<!-- Generated by `pnpm docs:build` from prisma\/shop\/schema.prisma/);
    const diagram = mermaidOf(md);
    expect(diagram.split('\n')[0]).toBe('erDiagram');
    expect(diagram).toContain(
      [
        '  customer {',
        '    uuid id PK',
        '    text email UK',
        '    text[] tags',
        '    status_kind status',
        '    timestamptz created_at',
        '    uuid parent_id FK "nullable"',
        '  }',
      ].join('\n'),
    );
    expect(diagram).toContain('    decimal total\n');
    expect(diagram).toContain('    double_precision weight\n');
    expect(diagram).toContain('  orders ||--o{ order_line : "order_id"');
    // tables sorted by name
    const tables = [...diagram.matchAll(/^ {2}(\w+) \{$/gm)].map((m) => m[1]);
    expect(tables).toEqual(['Group', 'customer', 'order_line', 'orders', 'profile']);
  });

  it('keeps every attribute line within Mermaid’s grammar', () => {
    const diagram = mermaidOf(md);
    const attributes = diagram.split('\n').filter((l) => l.startsWith('    '));
    expect(attributes.length).toBeGreaterThan(10);
    for (const line of attributes)
      expect(line).toMatch(
        /^ {4}[A-Za-z_][\w[\]-]* [A-Za-z_]\w*( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"]*")?$/,
      );
  });

  it('tabulates the columns with types, keys, defaults, references and constraints', () => {
    expect(md).toContain('### `orders`\n\nModel `Order`.');
    expect(md).toContain('### `customer`\n\nModel `Customer`. A customer organization.');
    expect(md).toContain('| `total` | `decimal(19,4)` |  |  |  | order total |');
    expect(md).toContain('| `customer_id` | `uuid` |  | FK |  | → `customer.id` |');
    expect(md).toContain('| `status` | `status_kind` |  |  | `ACTIVE` |  |');
    expect(md).toContain('| `id` | `integer` |  | PK | `autoincrement()` |  |');
    expect(md).toContain('| `tags` | `text[]` |  |  | `[]` |  |');
    expect(md).toContain(
      'Constraints and indexes: unique `(customer_id, number)`; index `(customer_id, id)`.',
    );
    expect(md).toContain('Constraints and indexes: primary key `(order_id, line_no)`.');
    expect(md).toContain('| `status_kind` | `ACTIVE`, `retired` |');
  });

  it('is deterministic', () => {
    const again = renderErd(readDatamodel(SHOP), {
      slice: 'shop',
      schema: 'shop',
      source: 'prisma/shop/schema.prisma',
    });
    expect(again).toBe(md);
  });
});

describe('renderErdDocs over the project’s slices', () => {
  const slices = SLICE_NAMES.map((slice) => ({
    slice,
    schema: SLICES[slice],
    source: `prisma/${slice}/schema.prisma`,
    text: readFileSync(schemaPath(slice), 'utf8'),
  }));
  const files = renderErdDocs(slices);

  it('writes one page per slice and an index', () => {
    expect([...files.keys()].sort()).toEqual(
      ['README.md', ...SLICE_NAMES.map((s) => `${s}.md`)].sort(),
    );
    for (const s of SLICE_NAMES) expect(files.get('README.md')).toContain(`[${s}](${s}.md)`);
  });

  it('draws every table of every slice', () => {
    for (const s of slices) {
      const dm = readDatamodel(s.text);
      const page = files.get(`${s.slice}.md`)!;
      for (const m of dm.models) expect(page).toContain(`  ${m.dbName ?? m.name} {`);
    }
  });
});
