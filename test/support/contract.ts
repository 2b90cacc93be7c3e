import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OperationDefinitionNode, parse, print } from 'graphql';
import type { ContractDocument, OperationName } from './documents.js';

const CONTRACT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'contract');

const operations = new Map<string, string>();
for (const file of readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.graphql'))) {
  for (const def of parse(readFileSync(join(CONTRACT_DIR, file), 'utf8')).definitions) {
    if (def.kind === 'OperationDefinition' && def.name) {
      operations.set(def.name.value, print(def as OperationDefinitionNode));
    }
  }
}

/** The text of a contract operation, exactly as clients send it, typed by codegen. */
export function op<N extends OperationName>(name: N): ContractDocument<N> {
  const text = operations.get(name);
  if (!text) throw new Error(`no contract operation named ${name}`);
  // the text is the document codegen typed (from the same file)
  return text as ContractDocument<N>;
}
