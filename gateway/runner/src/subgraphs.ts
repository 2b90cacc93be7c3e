import { typeDefs as agreements, createAgreements } from '@trellis/agreements';
import { typeDefs as catalog, createCatalog } from '@trellis/catalog';
import type { RequestContext, SubgraphDeps, SubgraphService } from '@trellis/kit';
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
  /** its features' resolver maps */
  features: readonly object[];
}

const moduleOf = <C extends RequestContext>(
  name: SliceName,
  typeDefs: DocumentNode,
  create: ((deps: SubgraphDeps) => SubgraphService<C>) & { features: readonly object[] },
): SubgraphModule => ({
  name,
  typeDefs,
  create: create as SubgraphModule['create'],
  features: create.features,
});

/** The six subgraphs, in port order (4001-4006). */
export const SUBGRAPHS: SubgraphModule[] = [
  moduleOf('org-graph', orgGraph, createOrgGraph),
  moduleOf('catalog', catalog, createCatalog),
  moduleOf('pricing', pricing, createPricing),
  moduleOf('service-policy', servicePolicy, createServicePolicy),
  moduleOf('workforce', workforce, createWorkforce),
  moduleOf('agreements', agreements, createAgreements),
];
