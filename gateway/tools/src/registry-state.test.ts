// The registry answers from its own state (registry/published), not from git history: a
// breaking change fails the check in a depth-1 clone, passes once acknowledged, and
// `registry:publish` makes it the new baseline.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './compose.js';

const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const CLI = join(import.meta.dirname, 'cli.ts');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const inGit = (() => {
  try {
    return git(REPO_ROOT, 'rev-parse', '--is-inside-work-tree') === 'true';
  } catch {
    return false;
  }
})();

/** Runs a registry command on the clone: its exit code and everything it printed. */
function registry(root: string, command: string) {
  const run = spawnSync(process.execPath, [TSX, CLI, command, '--root', root], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

function edit(file: string, from: string, to: string) {
  const text = readFileSync(file, 'utf8');
  expect(text, `${file} holds "${from}"`).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe.skipIf(!inGit)('the registry in a depth-1 clone', () => {
  let clone: string;
  beforeAll(() => {
    clone = join(mkdtempSync(join(tmpdir(), 'trellis-registry-')), 'repo');
    git(REPO_ROOT, 'clone', '--quiet', '--depth', '1', `file://${REPO_ROOT}`, clone);
  });
  afterAll(() => rmSync(join(clone, '..'), { recursive: true, force: true }));

  it(
    'fails a breaking change, passes it acknowledged, publishes it as the new baseline',
    {
      timeout: 240_000,
    },
    () => {
      expect(git(clone, 'rev-list', '--count', 'HEAD')).toBe('1');
      // a non-null field the contract reads made nullable; an enum value removed
      const sdl = join(clone, 'subgraphs/org-graph/src/organizations/organizations.graphql');
      edit(sdl, '  type: OrgType!\n', '  type: OrgType\n');
      edit(sdl, '  DEALER\n  SERVICE_PARTNER\n}', '  DEALER\n}');
      expect(registry(clone, 'write').code).toBe(0);
      // committed on top, as a change that reached main would be: git history cannot hide it
      git(
        clone,
        '-c',
        'user.name=T',
        '-c',
        'user.email=t@example.com',
        'commit',
        '-qam',
        'breaking',
      );

      const refused = registry(clone, 'check');
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toMatch(/breaking: Organization\.type: .*OrgType!.*OrgType/);
      expect(refused.output).toMatch(/breaking: OrgType\.SERVICE_PARTNER: /);
      expect(registry(clone, 'publish').code).toBe(1);

      appendFileSync(
        join(clone, 'registry/acknowledged'),
        'Organization.type  # the test: no client relies on it\nOrgType.SERVICE_PARTNER  # the test\n',
      );
      const acknowledged = registry(clone, 'check');
      expect(acknowledged.code, acknowledged.output).toBe(0);
      expect(acknowledged.output).toContain('breaking, acknowledged: OrgType.SERVICE_PARTNER');

      const published = registry(clone, 'publish');
      expect(published.code, published.output).toBe(0);
      expect(readFileSync(join(clone, 'registry/published/supergraph.graphql'), 'utf8')).toBe(
        readFileSync(join(clone, 'gateway/supergraph.graphql'), 'utf8'),
      );
      expect(
        readFileSync(join(clone, 'registry/published/subgraphs/org-graph.graphql'), 'utf8'),
      ).not.toContain('SERVICE_PARTNER\n}');
      const history = JSON.parse(readFileSync(join(clone, 'registry/history.json'), 'utf8'));
      // with whatever the repository had acknowledged before the test's own change
      expect(history.versions.at(-1).changes.breaking).toEqual(
        expect.arrayContaining([
          'Organization.type # the test: no client relies on it',
          'OrgType.SERVICE_PARTNER # the test',
        ]),
      );
      expect(readFileSync(join(clone, 'registry/acknowledged'), 'utf8')).not.toMatch(/^[^#\n]/m);
    },
  );
});
