import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { signCaller, systemCaller } from '@trellis/kit';
import {
  Kind,
  type OperationDefinitionNode,
  parse,
  type TypeNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { GatewayContext } from './context.js';
import type { TrustedDocuments } from './trusted-documents.js';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const SCALAR_SAMPLES: Record<string, unknown> = {
  ID: NIL_UUID,
  String: 'warm-up',
  Int: 1,
  Boolean: false,
};

/** A value for a required variable, or undefined when none can be made up (skip the operation). */
const sampleOf = (type: TypeNode): unknown =>
  type.kind === Kind.NON_NULL_TYPE
    ? sampleOf(type.type)
    : type.kind === Kind.LIST_TYPE
      ? []
      : SCALAR_SAMPLES[type.name.value];

/** Variables for a warm-up run: made-up values for the required ones, nothing for the rest. */
export function warmUpVariables(
  definitions: readonly VariableDefinitionNode[],
): Record<string, unknown> | undefined {
  const variables: Record<string, unknown> = {};
  for (const d of definitions) {
    if (d.type.kind !== Kind.NON_NULL_TYPE || d.defaultValue) continue;
    const value = sampleOf(d.type);
    if (value === undefined) return undefined;
    variables[d.variable.name.value] = value;
  }
  return variables;
}

/**
 * Runs every read operation of the manifest (the contract's) once, in process, as the system,
 * for ids that match nothing: the gateway plans and caches each, and every subgraph loads its
 * resolvers and prepares its paths to the database, so the first client does not pay for it.
 * Answers and errors are discarded.
 */
export async function warmUp(
  apollo: ApolloServer<GatewayContext>,
  documents: TrustedDocuments,
  signingSecret: string,
): Promise<number> {
  let ran = 0;
  for (const { document } of Object.values(documents)) {
    const operation = parse(document).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (operation?.operation !== 'query') continue;
    const variables = warmUpVariables(operation.variableDefinitions ?? []);
    if (!variables) continue;
    const requestId = `warm-up-${randomUUID()}`;
    const caller = systemCaller('warm-up');
    await apollo
      .executeOperation(
        { query: document, variables },
        {
          contextValue: {
            caller,
            requestId,
            forwarded: signCaller(caller, signingSecret, requestId),
            deadline: Date.now() + 10_000,
          },
        },
      )
      .catch(() => undefined);
    ran++;
  }
  return ran;
}
