import { commandsFor } from '@trellis/kit';
import { type Context, SCHEMA } from './context.js';
import type { AgreementsTx } from './prisma.js';

/** Defines one of agreements' commands (`commandsFor`): its mutations are all made with it. */
export const defineCommand = commandsFor<Context, AgreementsTx>(SCHEMA);
