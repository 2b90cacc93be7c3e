import { describe, expect, it } from 'vitest';
import { SETTINGS_SQL, settingsQuery } from './settings.js';

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
    ]);
    expect(q.argTypes).toHaveLength(6);
  });

  it('sets everything empty without a tenancy (row-level security then shows no tenant rows)', () => {
    expect(settingsQuery('trellis_catalog', undefined).args).toEqual([
      'trellis_catalog',
      '',
      'false',
      '',
      '',
      '',
    ]);
  });
});
