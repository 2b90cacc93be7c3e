import { processDeps } from '@trellis/kit';
import { databaseFromEnv } from '@trellis/prisma';
import { startDispatcher } from './webhooks/dispatcher.js';
import { webhookSettings } from './webhooks/settings.js';

// The webhook dispatcher as its own process (`pnpm --filter @trellis/agreements dispatcher`):
// it works while ENABLE_EVENT_DISPATCHER is on; run as many replicas as the load needs.
webhookSettings(); // a configuration problem stops it here, before it claims anything
const db = await databaseFromEnv();
const deps = processDeps(db, 'webhook-dispatcher');
const dispatcher = startDispatcher(deps);
const stop = async () => {
  await dispatcher.stop();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
