import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TrustedDocuments } from '@trellis/gateway';
import { SLICE_NAMES, SLICES, schemaPath } from '@trellis/prisma';
import { composeSupergraph, REPO_ROOT, subgraphSdls } from './compose.js';
import { renderApiDocs } from './docs.js';
import { type DocumentFile, manifestText, trustedDocumentsOf } from './documents.js';
import { renderErdDocs } from './erd.js';
import {
  apiSchemaOf,
  type BreakingReport,
  breakingChanges,
  type ContractFile,
  contractProblems,
  parseAcknowledged,
  parsePending,
} from './registry.js';

const [command, ...args] = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
/** The checkout the registry commands read and write: this one, or `--root <dir>` (a copy). */
const ROOT = resolve(option('--root') ?? REPO_ROOT);

const PATHS = {
  supergraph: join(ROOT, 'gateway', 'supergraph.graphql'),
  manifest: join(ROOT, 'gateway', 'trusted-documents.json'),
  published: join(ROOT, 'registry', 'published', 'supergraph.graphql'),
  publishedSubgraphs: join(ROOT, 'registry', 'published', 'subgraphs'),
  history: join(ROOT, 'registry', 'history.json'),
  acknowledged: join(ROOT, 'registry', 'acknowledged'),
  contract: join(ROOT, 'test', 'contract'),
  clients: join(ROOT, 'clients'),
};
const API_DOCS_DIR = join(REPO_ROOT, 'docs', 'api');
const ERD_DIR = join(REPO_ROOT, 'docs', 'erd');
const rel = (path: string) => relative(ROOT, path);
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const readDir = (dir: string) =>
  new Map(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [e.name, readFileSync(join(dir, e.name), 'utf8')] as const),
  );

const indent = (text: string) => text.replace(/^/gm, '    ');

/** The `.graphql` files of a folder, as document files named from the checkout's root. */
const documentFiles = (dir: string): DocumentFile[] =>
  existsSync(dir)
    ? [...readDir(dir)]
        .filter(([name]) => name.endsWith('.graphql'))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, text]) => ({ source: rel(join(dir, name)), text }))
    : [];

/** The folders of `clients/`: each client registers its documents in `clients/<name>/`. */
const clientDirs = () =>
  existsSync(PATHS.clients)
    ? readdirSync(PATHS.clients, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(PATHS.clients, e.name))
        .sort()
    : [];

/** The trusted documents: the contract's and every registered client's. */
function buildManifest(): TrustedDocuments {
  return Object.assign(
    trustedDocumentsOf(documentFiles(PATHS.contract)),
    ...clientDirs().map((dir) => trustedDocumentsOf(documentFiles(dir))),
  );
}

interface History {
  versions: {
    version: number;
    publishedAt: string;
    supergraphSha256: string;
    changes: { safe: number; dangerous: number; breaking: string[] };
  }[];
}
const readHistory = (): History => JSON.parse(read(PATHS.history) ?? '{"versions":[]}');

interface CheckResult {
  ok: boolean;
  /** the schema under test: the fresh composition */
  current?: string;
  diff?: BreakingReport;
}

/** Runs the registry checks, printing one summary line per check and the change report. */
async function registryCheck(publishing = false): Promise<CheckResult> {
  let ok = true;
  const pass = (line: string) => console.log(`✔ ${line}`);
  const fail = (line: string, detail?: string) => {
    ok = false;
    console.error(`✘ ${line}${detail ? `\n${indent(detail)}` : ''}`);
  };

  // a. composition
  let current: string;
  try {
    current = composeSupergraph(ROOT);
    pass('composition: the subgraphs compose');
  } catch (e) {
    fail('composition failed', (e as Error).message);
    return { ok: false };
  }

  // b. the committed supergraph (what the gateway serves) is the fresh composition
  const committed = read(PATHS.supergraph);
  if (committed === undefined) fail(`${rel(PATHS.supergraph)} is missing: run \`pnpm supergraph\``);
  else if (committed !== current)
    fail(`${rel(PATHS.supergraph)} is stale: run \`pnpm supergraph\` and commit it`);
  else pass(`committed supergraph: ${rel(PATHS.supergraph)} is current`);

  // c. the trusted documents' manifest (what the gateway serves by id) is current
  let manifest: TrustedDocuments | undefined;
  try {
    manifest = buildManifest();
    if (read(PATHS.manifest) !== manifestText(manifest))
      fail(`${rel(PATHS.manifest)} is stale: run \`pnpm documents:build\` and commit it`);
    else
      pass(
        `trusted documents: ${rel(PATHS.manifest)} is current (${Object.keys(manifest).length})`,
      );
  } catch (e) {
    fail('trusted documents: cannot be built', (e as Error).message);
  }

  // d. no unacknowledged breaking change against the published schema
  const acknowledged = parseAcknowledged(read(PATHS.acknowledged) ?? '');
  for (const error of acknowledged.errors) fail(`${rel(PATHS.acknowledged)}: ${error}`);
  const published = read(PATHS.published);
  const history = readHistory();
  const since = `against published version ${history.versions.at(-1)?.version ?? '?'}`;
  let diff: BreakingReport | undefined;
  if (published === undefined) {
    if (publishing) pass('breaking changes: nothing published yet; this is the first version');
    else fail(`${rel(PATHS.published)} is missing: the registry has no published schema`);
  } else {
    try {
      diff = await breakingChanges(published, current, acknowledged.entries);
      const line = (c: { message: string; path?: string }) =>
        `${c.path ?? '(schema)'}: ${c.message}`;
      const report = [
        ...diff.breaking.map((c) => `breaking: ${line(c)}`),
        ...diff.acknowledged.map(
          ({ change, by }) => `breaking, acknowledged: ${line(change)}  # ${by.reason}`,
        ),
        ...diff.dangerous.map((c) => `dangerous: ${line(c)}`),
        ...diff.nonBreaking.map((c) => `safe: ${line(c)}`),
        ...diff.unused.map(
          (a) => `unused acknowledgement (line ${a.line}, may be removed): ${a.match}`,
        ),
      ].join('\n');
      const counts = `${diff.nonBreaking.length} safe, ${diff.dangerous.length} dangerous, ${diff.acknowledged.length} acknowledged breaking`;
      if (diff.breaking.length) {
        fail(
          `breaking changes ${since}: ${diff.breaking.length} not acknowledged (${counts}); ` +
            `fix them or acknowledge each in ${rel(PATHS.acknowledged)}`,
          report,
        );
      } else {
        pass(`breaking changes ${since}: none unacknowledged (${counts})`);
        if (report) console.log(indent(report));
      }
    } catch (e) {
      fail(`breaking changes ${since}: could not diff`, (e as Error).message);
    }
  }

  // e. operation checks: the contract and every registered client's documents validate
  let schema: ReturnType<typeof apiSchemaOf> | undefined;
  try {
    schema = apiSchemaOf(current);
  } catch (e) {
    fail('operations: the supergraph has no valid API schema', (e as Error).message);
  }
  if (schema) {
    if (!existsSync(PATHS.contract)) fail(`${rel(PATHS.contract)} is missing`);
    else {
      const pending = parsePending(read(join(PATHS.contract, 'PENDING')) ?? '');
      const files: ContractFile[] = documentFiles(PATHS.contract).map((f) => ({
        name: f.source,
        source: f.text,
      }));
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
    for (const dir of clientDirs()) {
      const files = documentFiles(dir).map((f) => ({ name: f.source, source: f.text }));
      const report = contractProblems(schema, files, []);
      if (report.problems.length)
        fail(
          `client ${rel(dir)}: ${report.problems.length} problem(s)`,
          report.problems.join('\n'),
        );
      else pass(`client ${rel(dir)}: ${report.valid.length} operations validate`);
    }
  }
  return { ok, current, diff };
}

/**
 * Makes the composed schema the registry's published one (supergraph and each subgraph's
 * SDL), with a history entry; refuses when any check fails. The acknowledgements it consumed
 * are cleared: the next check compares with the new baseline.
 */
async function registryPublish(): Promise<boolean> {
  const { ok, current, diff } = await registryCheck(true);
  if (!ok || !current) {
    console.error('✘ not published: the registry checks fail');
    return false;
  }
  if (read(PATHS.published) === current) {
    console.log('✔ nothing to publish: the published schema is current');
    return true;
  }
  mkdirSync(PATHS.publishedSubgraphs, { recursive: true });
  writeFileSync(PATHS.published, current);
  for (const [name, sdl] of Object.entries(subgraphSdls(ROOT)))
    writeFileSync(join(PATHS.publishedSubgraphs, `${name}.graphql`), sdl);
  const history = readHistory();
  const version = (history.versions.at(-1)?.version ?? 0) + 1;
  history.versions.push({
    version,
    publishedAt: new Date().toISOString(),
    supergraphSha256: sha256(current),
    changes: {
      safe: diff?.nonBreaking.length ?? 0,
      dangerous: diff?.dangerous.length ?? 0,
      breaking: (diff?.acknowledged ?? []).map(
        ({ change, by }) => `${change.path ?? change.message} # ${by.reason}`,
      ),
    },
  });
  writeFileSync(PATHS.history, `${JSON.stringify(history, null, 2)}\n`);
  const header = (read(PATHS.acknowledged) ?? '')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .join('\n');
  writeFileSync(PATHS.acknowledged, `${header}\n`);
  console.log(`✔ published version ${version} (${rel(PATHS.published)}); acknowledgements cleared`);
  return true;
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
const apiDocs = () => renderApiDocs(readFileSync(PATHS.supergraph, 'utf8'));

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

switch (command) {
  case 'write': {
    writeFileSync(PATHS.supergraph, composeSupergraph(ROOT));
    console.log(`wrote ${rel(PATHS.supergraph)}`);
    break;
  }
  case 'documents': {
    const manifest = buildManifest();
    writeFileSync(PATHS.manifest, manifestText(manifest));
    console.log(`wrote ${rel(PATHS.manifest)} (${Object.keys(manifest).length} documents)`);
    break;
  }
  case 'check':
    if (!(await registryCheck()).ok) process.exitCode = 1;
    break;
  case 'publish':
    if (!(await registryPublish())) process.exitCode = 1;
    break;
  case 'docs':
    if (!writeGenerated(API_DOCS_DIR, apiDocs(), args.includes('--check'))) process.exitCode = 1;
    break;
  case 'erd':
    if (!writeGenerated(ERD_DIR, erdDocs(), args.includes('--check'))) process.exitCode = 1;
    break;
  default:
    console.error(
      'usage: cli.ts write | documents | check | publish [--root <checkout>] | docs [--check] | erd [--check]',
    );
    process.exitCode = 2;
}
