import { commandsFor } from '@trellis/kit';
import { type Context, SCHEMA } from './context.js';
import type { CatalogTx } from './prisma.js';

/** Defines one of the catalog's commands (`commandsFor`): its mutations are all made with it. */
export const defineCommand = commandsFor<Context, CatalogTx>(SCHEMA);
