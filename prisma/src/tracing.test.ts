import { describe, expect, it } from 'vitest';
import { activeTraceIds, inSpan, sanitizeSql, sqlSpan, tracingEnabled } from './tracing.js';

describe('sanitizeSql', () => {
  it('replaces every literal value and keeps placeholders, identifiers and keywords', () => {
    expect(
      sanitizeSql(`SELECT t1."id", 'x''y' AS s FROM "org_graph"."organization" t1
        WHERE t1.id = '6f1c0f5e-8a43-4d0b-9b1a-2c8f4e1d7a10' AND t1.n > 42.5 AND t1.m = -3 AND t1.k = $1
        LIMIT 10 OFFSET $2`),
    ).toBe(
      'SELECT t1."id", ? AS s FROM "org_graph"."organization" t1 WHERE t1.id = ? AND t1.n > ? AND t1.m = ? AND t1.k = $1 LIMIT ? OFFSET $2',
    );
  });

  it('hides dollar-quoted and escape strings', () => {
    expect(sanitizeSql("DO $body$ SELECT 'secret' $body$; SELECT E'a\\'b', $$x$$")).toBe(
      'DO ?; SELECT ?, ?',
    );
  });

  it('leaves the tenancy settings statement as it is (its values are parameters)', () => {
    const sql = "SELECT set_config('role', $1, true)";
    expect(sanitizeSql(sql)).toBe('SELECT set_config(?, $1, true)');
  });
});

describe('off by default', () => {
  it('runs the work itself: no span, no ids, the same promise', async () => {
    expect(tracingEnabled()).toBe(false);
    const work = Promise.resolve(1);
    expect(inSpan('x', {}, () => work)).toBe(work);
    expect(sqlSpan('catalog', 'SELECT 1', () => work)).toBe(work);
    expect(activeTraceIds()).toBeUndefined();
  });
});
