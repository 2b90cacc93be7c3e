import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REGISTRY_DOC, renderRegistrySection } from './docs.js';
import { EVENT_REGISTRY } from './registry.js';
import { EVENT_TYPE } from './rules.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__generated__' ? [] : files(path, suffix);
    return path.endsWith(suffix) && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * The event types the code writes: literals where an event is named (`type: '…'`,
 * `eventsFor('…'`, the event maps and ternaries of org-graph) and in the SQL functions that
 * insert into the outbox.
 */
function emittedTypes(): Set<string> {
  const found = new Set<string>();
  const quoted = /'([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)'/g;
  for (const slice of readdirSync(join(ROOT, 'subgraphs'))) {
    const src = join(ROOT, 'subgraphs', slice, 'src');
    if (slice === 'kit' || !statSync(join(ROOT, 'subgraphs', slice)).isDirectory()) continue;
    for (const file of files(src, '.ts')) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (
          !/\btype: '|eventsFor\(|_EVENT\b|^\s+[A-Za-z]+: '[a-z_]+\.[a-z_]+',$|Events\(\s*$|\? '[a-z_]+\.[a-z_]+' : /.test(
            line,
          )
        )
          continue;
        // audit actions and log lines' event names are not outbox events
        if (/\b(action|event): /.test(line)) continue;
        // nor the relations org-graph's legacy tables name (`legacy: 'org_graph.suppliers',`)
        if (/^\s+(legacy|profile|map|view|table): '/.test(line)) continue;
        for (const m of line.matchAll(quoted)) found.add(m[1]!);
      }
    }
  }
  for (const file of files(join(ROOT, 'prisma'), 'migration.sql')) {
    const sql = readFileSync(file, 'utf8');
    for (const insert of sql.matchAll(
      /INSERT INTO "agreements"\."outbox_event"[^;]*?VALUES\s*\(([^)]*)/g,
    )) {
      for (const m of insert[1]!.matchAll(quoted)) found.add(m[1]!);
    }
  }
  return found;
}

describe('the event registry', () => {
  it('lists every event type the slices emit', () => {
    const registered = new Set(EVENT_REGISTRY.map((e) => e.type));
    const emitted = emittedTypes();
    expect(emitted.size).toBeGreaterThan(20);
    expect([...emitted].filter((t) => !registered.has(t))).toEqual([]);
  });

  it('names each type once, as an event type, with an object schema', () => {
    const types = EVENT_REGISTRY.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
    for (const e of EVENT_REGISTRY) {
      expect(e.type).toMatch(EVENT_TYPE);
      expect(e.schema.required.every((k) => k in e.schema.properties)).toBe(true);
    }
  });

  it('is what docs/events.md says (pnpm --filter @trellis/agreements docs rewrites it)', () => {
    const { doc, next } = REGISTRY_DOC.withSection(renderRegistrySection());
    expect(next).toBe(doc);
  });
});
