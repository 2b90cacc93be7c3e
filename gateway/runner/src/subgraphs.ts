import { typeDefs as agreements, createAgreements } from '@trellis/agreements';
import { typeDefs as catalog, createCatalog } from '@trellis/catalog';
import type { SubgraphDeps, SubgraphService } from '@trellis/kit';
import { createOrgGraph, typeDefs as orgGraph } from '@trellis/org-graph';
import { createPricing, typeDefs as pricing } from '@trellis/pricing';
import type { SliceName } from '@trellis/prisma';
import { createServicePolicy, typeDefs as servicePolicy } from '@trellis/service-policy';
import { createWorkforce, typeDefs as workforce } from '@trellis/workforce';
import type { DocumentNode } from 'graphql';

export interface SubgraphModule {
  name: SliceName;
  typeDefs: DocumentNode;
  create(deps: SubgraphDeps): SubgraphService;
}

/** The six subgraphs, in port order (4001-4006). */
export const SUBGRAPHS: SubgraphModule[] = [
  { name: 'org-graph', typeDefs: orgGraph, create: createOrgGraph as SubgraphModule['create'] },
  { name: 'catalog', typeDefs: catalog, create: createCatalog as SubgraphModule['create'] },
  { name: 'pricing', typeDefs: pricing, create: createPricing as SubgraphModule['create'] },
  {
    name: 'service-policy',
    typeDefs: servicePolicy,
    create: createServicePolicy as SubgraphModule['create'],
  },
  { name: 'workforce', typeDefs: workforce, create: createWorkforce as SubgraphModule['create'] },
  {
    name: 'agreements',
    typeDefs: agreements,
    create: createAgreements as SubgraphModule['create'],
  },
];
