import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { committedSupergraph, GATEWAY_DIR, SUPERGRAPH_PATH } from '@trellis/gateway';
import { SLICE_NAMES, SLICES, schemaPath } from '@trellis/prisma';
import { composeSupergraph } from './compose.js';
import { renderApiDocs } from './docs.js';
import { renderErdDocs } from './erd.js';
import {
  apiSchemaOf,
  breakingChanges,
  type ContractFile,
  contractProblems,
  copyProblems,
  gitHistory,
  parseAcknowledged,
  parsePending,
  previousVersion,
} from './registry.js';

const REPO_ROOT = join(GATEWAY_DIR, '..');
const ACKNOWLEDGED_PATH = join(GATEWAY_DIR, 'breaking-changes.acknowledged');
const CONTRACT_DIR = join(REPO_ROOT, 'test', 'contract');
const SHARED_CONTRACT_DIR = join(REPO_ROOT, '..', 'shared', 'contract');
const API_DOCS_DIR = join(REPO_ROOT, 'docs', 'api');
const ERD_DIR = join(REPO_ROOT, 'docs', 'erd');
const rel = (path: string) => relative(REPO_ROOT, path);

const readDir = (dir: string) =>
  new Map(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [e.name, readFileSync(join(dir, e.name), 'utf8')] as const),
  );

const indent = (text: string) => text.replace(/^/gm, '    ');

/** Runs the registry checks, printing one summary line per check; true when all pass. */
async function registryCheck(): Promise<boolean> {
  let ok = true;
  const pass = (line: string) => console.log(`✔ ${line}`);
  const fail = (line: string, detail?: string) => {
    ok = false;
    console.error(`✘ ${line}${detail ? `\n${indent(detail)}` : ''}`);
  };

  // a. composition
  let fresh: string | undefined;
  try {
    fresh = composeSupergraph();
    pass('composition: the subgraphs compose');
  } catch (e) {
    fail('composition failed', (e as Error).message);
  }

  // b. the committed supergraph is the fresh composition
  const committed = existsSync(SUPERGRAPH_PATH) ? committedSupergraph() : undefined;
  if (committed === undefined) fail(`${rel(SUPERGRAPH_PATH)} is missing: run \`pnpm supergraph\``);
  else if (fresh !== undefined && fresh !== committed)
    fail(`${rel(SUPERGRAPH_PATH)} is stale: run \`pnpm supergraph\` and commit it`);
  else if (fresh !== undefined) pass(`committed supergraph: ${rel(SUPERGRAPH_PATH)} is current`);

  // The schema under test: the fresh composition, else the committed file.
  const current = fresh ?? committed;
  if (current === undefined) return false;

  // c. no unacknowledged breaking change against the previous committed supergraph
  const acknowledged = parseAcknowledged(
    existsSync(ACKNOWLEDGED_PATH) ? readFileSync(ACKNOWLEDGED_PATH, 'utf8') : '',
  );
  for (const error of acknowledged.errors) fail(`${rel(ACKNOWLEDGED_PATH)}: ${error}`);
  const baseline = previousVersion(current, gitHistory(REPO_ROOT, rel(SUPERGRAPH_PATH)));
  if (!baseline)
    pass('breaking changes: no earlier committed supergraph differs; nothing to compare');
  else {
    const since = `since ${baseline.commit.slice(0, 10)}`;
    try {
      const report = await breakingChanges(baseline.content!, current, acknowledged.entries);
      const line = (c: { message: string; path?: string }) =>
        `${c.path ?? '(schema)'}: ${c.message}`;
      const notes = [
        ...report.acknowledged.map(
          ({ change, by }) => `acknowledged: ${line(change)}  # ${by.reason}`,
        ),
        ...report.dangerous.map((c) => `dangerous: ${line(c)}`),
        ...report.unused.map(
          (a) => `unused acknowledgement (line ${a.line}, may be removed): ${a.match}`,
        ),
      ].join('\n');
      const counts = `${report.nonBreaking.length} safe, ${report.dangerous.length} dangerous, ${report.acknowledged.length} acknowledged breaking`;
      if (report.breaking.length) {
        fail(
          `breaking changes ${since}: ${report.breaking.length} not acknowledged (${counts}); ` +
            `fix them or acknowledge each in ${rel(ACKNOWLEDGED_PATH)}`,
          [report.breaking.map(line).join('\n'), notes].filter(Boolean).join('\n'),
        );
      } else {
        pass(`breaking changes ${since}: none unacknowledged (${counts})`);
        if (notes) console.log(indent(notes));
      }
    } catch (e) {
      fail(`breaking changes ${since}: could not diff`, (e as Error).message);
    }
  }

  // d. the client contract
  if (!existsSync(CONTRACT_DIR)) fail(`${rel(CONTRACT_DIR)} is missing`);
  else {
    const local = readDir(CONTRACT_DIR);
    if (existsSync(SHARED_CONTRACT_DIR)) {
      const problems = copyProblems(local, readDir(SHARED_CONTRACT_DIR));
      if (problems.length)
        fail(
          `contract copy: ${rel(CONTRACT_DIR)} differs from ../shared/contract; copy it again`,
          problems.join('\n'),
        );
      else pass('contract copy: test/contract matches ../shared/contract');
    } else pass('contract copy: no ../shared/contract here; not compared');

    const pending = parsePending(local.get('PENDING') ?? '');
    const files: ContractFile[] = [...local]
      .filter(([name]) => name.endsWith('.graphql'))
      .map(([name, source]) => ({ name, source }));
    let schema: ReturnType<typeof apiSchemaOf> | undefined;
    try {
      schema = apiSchemaOf(current);
    } catch (e) {
      fail('contract: the supergraph has no valid API schema', (e as Error).message);
    }
    if (schema) {
      const report = contractProblems(schema, files, pending.entries);
      const problems = [...pending.errors, ...report.problems];
      const counts = `${report.valid.length} valid, ${report.pending.length} pending`;
      if (problems.length)
        fail(`contract: ${problems.length} problem(s) (${counts})`, problems.join('\n'));
      else pass(`contract: every operation validates or is pending (${counts})`);
      const byIssue = new Map<number, string[]>();
      for (const p of report.pending)
        byIssue.set(p.issue, [...(byIssue.get(p.issue) ?? []), p.operation]);
      for (const [issue, ops] of [...byIssue].sort(([a], [b]) => a - b))
        console.log(indent(`pending on issue ${issue}: ${ops.join(', ')}`));
    }
  }
  return ok;
}

/** Writes generated pages into dir, or (check) reports which ones differ from `files`. */
function writeGenerated(dir: string, files: Map<string, string>, check: boolean): boolean {
  const existing = existsSync(dir) ? readDir(dir) : new Map<string, string>();
  const stale = [
    ...[...files].filter(([name, text]) => existing.get(name) !== text).map(([name]) => name),
    ...[...existing.keys()].filter((name) => !files.has(name)),
  ].sort();
  if (check) {
    if (stale.length) {
      console.error(
        `✘ ${rel(dir)} is stale (${stale.join(', ')}): run \`pnpm docs:build\` and commit it`,
      );
      return false;
    }
    console.log(`✔ ${rel(dir)} is current (${files.size} files)`);
    return true;
  }
  mkdirSync(dir, { recursive: true });
  for (const name of existing.keys()) if (!files.has(name)) rmSync(join(dir, name));
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  console.log(`wrote ${rel(dir)} (${files.size} files, ${stale.length} changed)`);
  return true;
}

/** docs/api/: the API reference, from the committed supergraph. */
const apiDocs = () => renderApiDocs(committedSupergraph());

/** docs/erd/: one Mermaid ERD per slice, from its Prisma schema. */
const erdDocs = () =>
  renderErdDocs(
    SLICE_NAMES.map((slice) => ({
      slice,
      schema: SLICES[slice],
      source: `prisma/${slice}/schema.prisma`,
      text: readFileSync(schemaPath(slice), 'utf8'),
    })),
  );

const [command, ...flags] = process.argv.slice(2);
switch (command) {
  case 'write': {
    writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
    console.log(`wrote ${SUPERGRAPH_PATH}`);
    break;
  }
  case 'check':
    if (!(await registryCheck())) process.exitCode = 1;
    break;
  case 'docs':
    if (!writeGenerated(API_DOCS_DIR, apiDocs(), flags.includes('--check'))) process.exitCode = 1;
    break;
  case 'erd':
    if (!writeGenerated(ERD_DIR, erdDocs(), flags.includes('--check'))) process.exitCode = 1;
    break;
  default:
    console.error('usage: cli.ts write | check | docs [--check] | erd [--check]');
    process.exitCode = 2;
}
