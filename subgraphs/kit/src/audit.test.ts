import { describe, expect, it } from 'vitest';
import { deniedAuditEntries } from './audit.js';

const refusal = (path: (string | number)[], code = 'FORBIDDEN', message = 'not yours') => ({
  message,
  path,
  extensions: { code },
});

describe('deniedAuditEntries', () => {
  it('is one row per field and code, counting every refusal, whatever the messages', () => {
    const errors = Array.from({ length: 43 }, (_, i) =>
      refusal(['_entities', i, 'price'], 'FORBIDDEN', `prices of channel ${i % 3}`),
    );
    const rows = deniedAuditEntries('query', errors);
    expect(rows).toEqual([
      {
        action: 'query._entities',
        objectType: 'GraphQLField',
        objectId: '_entities.0.price',
        result: 'DENIED',
        count: 43,
        after: {
          code: 'FORBIDDEN',
          message: 'prices of channel 0',
          paths: [0, 1, 2, 3, 4].map((i) => `_entities.${i}.price`),
        },
      },
    ]);
  });

  it('keeps reasons apart: another root field or another code is another row', () => {
    const rows = deniedAuditEntries('mutation', [
      refusal(['createOrganization']),
      refusal(['addOrgCertification']),
      refusal(['createOrganization']),
      refusal(['createOrganization'], 'UNAUTHENTICATED'),
    ]);
    expect(rows.map((r) => [r.action, (r.after as { code: string }).code, r.count])).toEqual([
      ['mutation.createOrganization', 'FORBIDDEN', 2],
      ['mutation.addOrgCertification', 'FORBIDDEN', 1],
      ['mutation.createOrganization', 'UNAUTHENTICATED', 1],
    ]);
  });

  it('leaves other errors out, and answers no row without a refusal', () => {
    expect(
      deniedAuditEntries('query', [
        refusal(['a'], 'BAD_USER_INPUT'),
        refusal(['b'], 'INTERNAL_SERVER_ERROR'),
        { message: 'no code' },
      ]),
    ).toEqual([]);
    const [row] = deniedAuditEntries('request', [
      { message: 'x', extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(row).toMatchObject({ action: 'request.unknown', objectId: null, count: 1 });
    expect(row?.after).toMatchObject({ paths: [] });
  });
});
