import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * An operation of a kind the schema does not have (`subscription`) is a validation failure
 * (graphql-js 17's KnownOperationTypesRule), not an error inside the gateway's executor.
 */
export const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation))
      context.reportError(
        new GraphQLError(`this API has no ${node.operation} operations`, { nodes: node }),
      );
  },
});
