import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OperationDefinitionNode, parse, print } from 'graphql';

const CONTRACT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'contract');

const operations = new Map<string, string>();
for (const file of readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.graphql'))) {
  for (const def of parse(readFileSync(join(CONTRACT_DIR, file), 'utf8')).definitions) {
    if (def.kind === 'OperationDefinition' && def.name) {
      operations.set(def.name.value, print(def as OperationDefinitionNode));
    }
  }
}

/** The text of a contract operation, exactly as clients send it. */
export function op(name: string): string {
  const text = operations.get(name);
  if (!text) throw new Error(`no contract operation named ${name}`);
  return text;
}
