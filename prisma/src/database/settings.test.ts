import { describe, expect, it } from 'vitest';
import {
  GENERIC_PLAN,
  planCacheMode,
  SETTINGS_SQL,
  settingsQuery,
  settingsScript,
} from './settings.js';

describe('the settings statement', () => {
  it("carries the role and the tenancy's fields, in the statement's order", () => {
    const q = settingsQuery('trellis_pricing', {
      orgId: '6f1c2a5e-0000-4000-8000-000000000001',
      subject: 'alice',
      admin: true,
      requestId: 'r-1',
      onBehalfOf: ['6f1c2a5e-0000-4000-8000-000000000002', '6f1c2a5e-0000-4000-8000-000000000003'],
    });
    expect(q.sql).toBe(SETTINGS_SQL);
    expect(q.args).toEqual([
      'trellis_pricing',
      '6f1c2a5e-0000-4000-8000-000000000001',
      'true',
      'alice',
      'r-1',
      '6f1c2a5e-0000-4000-8000-000000000002,6f1c2a5e-0000-4000-8000-000000000003',
      'auto',
    ]);
    expect(q.argTypes).toHaveLength(7);
  });

  it('sets everything empty without a tenancy (row-level security then shows no tenant rows)', () => {
    expect(settingsQuery('trellis_catalog', undefined).args).toEqual([
      'trellis_catalog',
      '',
      'false',
      '',
      '',
      '',
      'auto',
    ]);
  });

  it('runs a statement marked GENERIC_PLAN on a generic plan, any other as PostgreSQL chooses', () => {
    expect(planCacheMode(`${GENERIC_PLAN}SELECT 1`)).toBe('force_generic_plan');
    expect(planCacheMode('SELECT 1')).toBe('auto');
    // the mark must lead: one inside a statement's text (a value, a comment) counts for nothing
    expect(planCacheMode(`SELECT '${GENERIC_PLAN}'`)).toBe('auto');
  });
});

describe('the settings script (after BEGIN, in one batch)', () => {
  it('carries the same values as literals, a hostile subject escaped', () => {
    const script = settingsScript('trellis_pricing', {
      orgId: null,
      subject: "mallory'); SET ROLE postgres; --\\",
      admin: false,
      requestId: 'r-2',
    });
    expect(script).toBe(
      "SELECT set_config('role', 'trellis_pricing', true), set_config('app.org_id', '', true), set_config('app.is_admin', 'false', true), set_config('app.subject',  E'mallory''); SET ROLE postgres; --\\\\', true), set_config('app.request_id', 'r-2', true), set_config('app.on_behalf_of', '', true), set_config('plan_cache_mode', 'auto', true)",
    );
  });
});
