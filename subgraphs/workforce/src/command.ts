import { commandsFor } from '@trellis/kit';
import { type Context, SCHEMA } from './context.js';
import type { WorkforceTx } from './prisma.js';

/** Defines one of workforce's commands (`commandsFor`): its mutations are all made with it. */
export const defineCommand = commandsFor<Context, WorkforceTx>(SCHEMA);
