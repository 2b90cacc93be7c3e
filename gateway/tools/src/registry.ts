/**
 * Schema-registry checks, offline: what a hosted registry does on every change, run against
 * the registry state the repository keeps (`registry/`: the published schema, its history,
 * the acknowledged breaking changes). Pure functions here; the CLI (cli.ts) reads the files.
 */
import { createRequire } from 'node:module';
import { Supergraph } from '@apollo/federation-internals';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type * as GraphQLJS from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';

/**
 * graphql-js, loaded as CommonJS: the module instance that @apollo/federation-internals and
 * @graphql-inspector/core use. (Vitest resolves a plain `import 'graphql'` to its ESM build, a
 * second copy whose `instanceof` checks refuse the other's schemas.)
 */
export const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQLJS;
const { Kind, parse, validate, visit } = graphql;

/** The API schema clients see: the supergraph without federation's join/link machinery. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

// ---------------------------------------------------------------------------------------------
// Breaking changes

export interface Acknowledgement {
  /** A change's `path` (e.g. `Query.products`) or its full message. */
  match: string;
  reason: string;
  line: number;
}

export interface ParsedList<T> {
  entries: T[];
  errors: string[];
}

/**
 * Parses `registry/acknowledged`: one acknowledged change per line, as
 * `<path or message> # <reason>`; blank lines and lines starting with `#` are ignored.
 */
export function parseAcknowledged(text: string): ParsedList<Acknowledgement> {
  const entries: Acknowledgement[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const hash = line.indexOf('#');
    const match = (hash < 0 ? line : line.slice(0, hash)).trim();
    const reason = hash < 0 ? '' : line.slice(hash + 1).trim();
    if (!reason) errors.push(`line ${i + 1}: "${line}" has no reason (write "<path> # <reason>")`);
    else entries.push({ match, reason, line: i + 1 });
  });
  return { entries, errors };
}

export interface BreakingReport {
  /** Breaking changes nobody acknowledged: the check fails on any. */
  breaking: Change[];
  /** Breaking changes covered by an acknowledgement. */
  acknowledged: { change: Change; by: Acknowledgement }[];
  /** Changes that may break some clients (e.g. a new enum value); reported, not failed. */
  dangerous: Change[];
  nonBreaking: Change[];
  /** Acknowledgements that matched no change (stale lines to clean up; not a failure). */
  unused: Acknowledgement[];
}

const acknowledges = (a: Acknowledgement, c: Change) => a.match === c.path || a.match === c.message;

/** Diffs the API schemas of two supergraph SDLs and sorts the changes by criticality. */
export async function breakingChanges(
  oldSupergraphSdl: string,
  newSupergraphSdl: string,
  acknowledgements: Acknowledgement[] = [],
): Promise<BreakingReport> {
  const changes = await diff(apiSchemaOf(oldSupergraphSdl), apiSchemaOf(newSupergraphSdl));
  const report: BreakingReport = {
    breaking: [],
    acknowledged: [],
    dangerous: [],
    nonBreaking: [],
    unused: [],
  };
  const used = new Set<Acknowledgement>();
  for (const change of changes) {
    const level = change.criticality.level;
    if (level === CriticalityLevel.Breaking) {
      const by = acknowledgements.find((a) => acknowledges(a, change));
      if (by) {
        used.add(by);
        report.acknowledged.push({ change, by });
      } else report.breaking.push(change);
    } else if (level === CriticalityLevel.Dangerous) report.dangerous.push(change);
    else report.nonBreaking.push(change);
  }
  report.unused = acknowledgements.filter((a) => !used.has(a));
  return report;
}

// ---------------------------------------------------------------------------------------------
// Client contract

export interface PendingOperation {
  operation: string;
  issue: number;
  line: number;
}

/**
 * Parses `test/contract/PENDING`: one operation name per line followed by `# issue N`; lines
 * starting with `#` and blank lines are ignored.
 */
export function parsePending(text: string): ParsedList<PendingOperation> {
  const entries: PendingOperation[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([_A-Za-z][_0-9A-Za-z]*)\s*#\s*issue\s+#?(\d+)\b/i.exec(line);
    if (!m) {
      errors.push(`PENDING line ${i + 1}: "${line}" is not "<OperationName> # issue <N>"`);
      return;
    }
    const operation = m[1]!;
    if (seen.has(operation)) errors.push(`PENDING line ${i + 1}: ${operation} is listed twice`);
    seen.add(operation);
    entries.push({ operation, issue: Number(m[2]), line: i + 1 });
  });
  return { entries, errors };
}

export interface ContractFile {
  name: string;
  source: string;
}

export interface ContractReport {
  /** Everything that fails the check. */
  problems: string[];
  /** Operations that validate. */
  valid: string[];
  /** Operations that do not validate yet and are listed in PENDING. */
  pending: { operation: string; issue: number; errors: string[] }[];
}

/** The fragments an operation uses, transitively. */
export function usedFragments(
  root: OperationDefinitionNode | FragmentDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  acc = new Map<string, FragmentDefinitionNode>(),
): Map<string, FragmentDefinitionNode> {
  visit(root, {
    FragmentSpread(node) {
      const name = node.name.value;
      const fragment = fragments.get(name);
      if (fragment && !acc.has(name)) {
        acc.set(name, fragment);
        usedFragments(fragment, fragments, acc);
      }
    },
  });
  return acc;
}

/**
 * Validates every named operation of the contract files against the API schema. An operation
 * listed in PENDING may fail; one that validates while listed, a PENDING name that is no
 * operation, an anonymous or duplicated operation, and any other failure are problems.
 */
export function contractProblems(
  apiSchema: GraphQLSchema,
  files: ContractFile[],
  pending: PendingOperation[],
): ContractReport {
  const report: ContractReport = { problems: [], valid: [], pending: [] };
  const operations = new Map<string, { file: string; node: OperationDefinitionNode }>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let doc: DocumentNode;
    try {
      doc = parse(file.source);
    } catch (e) {
      report.problems.push(`${file.name}: does not parse: ${(e as Error).message}`);
      continue;
    }
    for (const def of doc.definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) {
        const name = def.name?.value;
        if (!name) {
          report.problems.push(`${file.name}: an anonymous ${def.operation}: name every operation`);
          continue;
        }
        const other = operations.get(name);
        if (other) report.problems.push(`${file.name}: ${name} is also defined in ${other.file}`);
        else operations.set(name, { file: file.name, node: def });
      } else if (def.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(def.name.value))
          report.problems.push(`${file.name}: fragment ${def.name.value} is defined twice`);
        fragments.set(def.name.value, def);
      } else {
        report.problems.push(`${file.name}: holds a ${def.kind}; only operations and fragments`);
      }
    }
  }

  const pendingByName = new Map(pending.map((p) => [p.operation, p]));
  for (const p of pending) {
    if (!operations.has(p.operation))
      report.problems.push(`PENDING lists ${p.operation} (issue ${p.issue}): no such operation`);
  }
  for (const [name, { file, node }] of [...operations].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const doc: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [node, ...usedFragments(node, fragments).values()],
    };
    const errors = validate(apiSchema, doc).map((e) => e.message);
    const listed = pendingByName.get(name);
    if (listed) {
      if (errors.length === 0)
        report.problems.push(
          `${file}: ${name} validates now: remove it from PENDING (issue ${listed.issue})`,
        );
      else report.pending.push({ operation: name, issue: listed.issue, errors });
    } else if (errors.length > 0) {
      report.problems.push(`${file}: ${name} does not validate:\n    ${errors.join('\n    ')}`);
    } else report.valid.push(name);
  }
  return report;
}
