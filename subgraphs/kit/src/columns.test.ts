import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bool,
  char,
  columns,
  decimal,
  int,
  json,
  nullable,
  text,
  timestamptz,
  uuid,
} from './columns.js';

const ROW = columns({
  page: int('k.n'),
  item: {
    id: uuid('t.id'),
    kind: text<'FIXED' | 'PERCENT_OFF'>('t.kind'),
    currency: char('t.currency'),
    amount: nullable(decimal('t.amount')),
    active: bool('t.active'),
    attributes: json<{ color?: string }>('t.attributes'),
    validFrom: timestamptz('t.valid_from'),
    validTo: nullable(timestamptz('t.valid_to')),
  },
});

describe('columns', () => {
  it('writes one json_build_array in the order the columns are declared, groups flattened', () => {
    expect(ROW.jsonArray).toBe(
      "json_build_array(k.n, t.id, t.kind, t.currency, t.amount::text, t.active, t.attributes, date_part('epoch', t.valid_from) * 1000, date_part('epoch', t.valid_to) * 1000)",
    );
  });

  it('decodes an array by the names declared, into nested groups', () => {
    expect(
      ROW.decode([
        2,
        '0190a000-0000-7000-8000-000000000001',
        'FIXED',
        'EUR',
        null,
        true,
        {},
        1767225600000,
        null,
      ]),
    ).toEqual({
      page: 2,
      item: {
        id: '0190a000-0000-7000-8000-000000000001',
        kind: 'FIXED',
        currency: 'EUR',
        amount: null,
        active: true,
        attributes: {},
        validFrom: new Date('2026-01-01T00:00:00Z'),
        validTo: null,
      },
    });
  });

  describe('against PostgreSQL', () => {
    let pg: PGlite;
    beforeAll(async () => {
      pg = new PGlite();
      await pg.exec(`
        CREATE TYPE kind AS ENUM ('FIXED', 'PERCENT_OFF');
        CREATE TABLE t (id uuid, kind kind, currency char(3), amount numeric(19, 4),
          active boolean, attributes jsonb, valid_from timestamptz(3), valid_to timestamptz);
        INSERT INTO t VALUES
          ('0190a000-0000-7000-8000-000000000001', 'PERCENT_OFF', 'EU', 12345678901234.5000, false,
           '{"color": "red"}', '2026-03-01 10:00:00.123+01', '2027-01-01 00:00:00.999999+00');`);
    }, 60_000);
    afterAll(() => pg?.close());

    it('reads back what was written: exact decimals, unpadded chars, instants (to the millisecond, as node-postgres), JSON', async () => {
      const { rows } = await pg.query<{ doc: string }>(
        `SELECT json_agg(${ROW.jsonArray})::text AS doc FROM t CROSS JOIN (SELECT 7 AS n) k`,
      );
      const [tuple] = JSON.parse(rows[0]!.doc) as unknown[][];
      expect(ROW.decode(tuple!)).toEqual({
        page: 7,
        item: {
          id: '0190a000-0000-7000-8000-000000000001',
          kind: 'PERCENT_OFF',
          currency: 'EU',
          amount: '12345678901234.5000',
          active: false,
          attributes: { color: 'red' },
          validFrom: new Date('2026-03-01T09:00:00.123Z'),
          validTo: new Date('2027-01-01T00:00:00.999Z'),
        },
      });
    });
  });
});
