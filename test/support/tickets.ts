import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { expect } from 'vitest';
import type { CreateTicketInput } from '../__generated__/contract.js';
import { op } from './contract.js';
import type { TestSupergraph } from './supergraph.js';

/**
 * Reports a P2 leak in DE-NW on the demo's ACM-01-9KW for Köln Klima with `token`, expecting
 * no error; `more` adds to the input (a location, required skills). Acme's refrigerant policy
 * makes Köln Klima responsible. Answers the new ticket.
 */
export async function reportLeak(
  sg: TestSupergraph,
  token: string,
  more: Partial<CreateTicketInput> = {},
) {
  const res = await sg.gql(
    op('CreateTicket'),
    {
      input: {
        skuId: demoId('sku', 'ACM-01-9KW'),
        region: 'DE-NW',
        issueType: 'LEAK',
        priority: 'P2',
        reportedByOrgId: demoOrgId('koeln-klima'),
        ...more,
      },
    },
    { token },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createTicket;
}
