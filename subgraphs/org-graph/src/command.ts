import { commandsFor } from '@trellis/kit';
import { type Context, SCHEMA } from './context.js';
import type { OrgGraphTx } from './prisma.js';

/** Defines one of org-graph's commands (`commandsFor`): its mutations are all made with it. */
export const defineCommand = commandsFor<Context, OrgGraphTx>(SCHEMA);
