/**
 * Trusted documents (persisted operations): every operation the contract and the registered
 * clients send, by the SHA-256 of its text. `pnpm documents:build` writes the manifest the
 * gateway serves by id; the registry checks that it is current and that every document
 * validates against the schema.
 */
import { documentIdOf, type TrustedDocuments } from '@trellis/gateway';
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import { graphql, usedFragments } from './registry.js';

const { Kind, parse, print } = graphql;

export interface DocumentFile {
  /** the file, relative to the repository (`test/contract/flagship.graphql`) */
  source: string;
  text: string;
}

/**
 * The manifest of one set of files that share fragments (the contract, or one client's
 * folder): one document per named operation, with the fragments it uses (by name).
 */
export function trustedDocumentsOf(files: DocumentFile[]): TrustedDocuments {
  const operations: { source: string; node: OperationDefinitionNode }[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    for (const def of parse(file.text).definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) {
        if (!def.name) throw new Error(`${file.source}: an anonymous ${def.operation}: name it`);
        operations.push({ source: file.source, node: def });
      } else if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
  }
  const documents: TrustedDocuments = {};
  for (const { source, node } of operations) {
    const used = [...usedFragments(node, fragments).values()].sort((a, b) =>
      a.name.value.localeCompare(b.name.value),
    );
    const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: [node, ...used] };
    const document = print(doc);
    documents[documentIdOf(document)] = { operation: node.name!.value, source, document };
  }
  return documents;
}

/** The manifest file's text: documents ordered by file and operation, so diffs stay small. */
export function manifestText(documents: TrustedDocuments): string {
  const ordered = Object.entries(documents).sort(
    ([, a], [, b]) => a.source.localeCompare(b.source) || a.operation.localeCompare(b.operation),
  );
  return `${JSON.stringify({ documents: Object.fromEntries(ordered) }, null, 2)}\n`;
}
