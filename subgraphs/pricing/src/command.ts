import { commandsFor } from '@trellis/kit';
import { type Context, SCHEMA } from './context.js';
import type { PricingTx } from './prisma.js';

/** Defines one of pricing's commands (`commandsFor`): its mutations are all made with it. */
export const defineCommand = commandsFor<Context, PricingTx>(SCHEMA);
