import type { Database } from '../database.js';
import { seedCatalogPublishing } from './catalog.js';
import { seedDemoNetwork } from './demo.js';
import { seedAssignments, seedEngineers } from './engineers.js';
import { seedPricing } from './pricing.js';
import { seedServicePolicies } from './service.js';
import { seedSla } from './sla.js';

export { demoCatalogVersionId, demoOfferingId, seedCatalogPublishing } from './catalog.js';
export { DEMO_CHANNELS, DEMO_ORGS, DEMO_RELATIONSHIPS, demoId, demoOrgId } from './demo.js';
export {
  DEMO_ASSIGNMENTS,
  DEMO_ENGINEERS,
  demoEngineerId,
  seedAssignments,
  seedEngineers,
} from './engineers.js';
export {
  DEMO_PRICE_EXPECTATIONS,
  demoExpectationIds,
  demoPriceBookId,
  demoPriceRuleId,
  seedPricing,
} from './pricing.js';
export {
  DEMO_POLICIES,
  DEMO_TICKETS,
  demoPolicyId,
  demoTicketId,
  seedServicePolicies,
} from './service.js';
export {
  DEMO_SERVICE_AGREEMENT_ID,
  DEMO_SLA_POLICIES,
  DEMO_SLA_TICKETS,
  demoSlaPolicyId,
  seedSla,
} from './sla.js';

/**
 * The demo data: the network once, then each later layer (each is idempotent, so a data
 * directory seeded by an older version gains the layers it lacks). Answers whether the
 * network was new.
 */
export async function seedDemo(db: Database): Promise<boolean> {
  const fresh = await seedDemoNetwork(db);
  await seedCatalogPublishing(db);
  await seedPricing(db);
  await seedServicePolicies(db);
  await seedEngineers(db);
  await seedAssignments(db);
  await seedSla(db);
  return fresh;
}
