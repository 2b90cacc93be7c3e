import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_DIR } from './supergraph.js';

const SRC = join(GATEWAY_DIR, 'src');

describe('the edge package', () => {
  it('depends on the kit only among Trellis packages, in package.json and in imports', () => {
    const manifest = JSON.parse(readFileSync(join(GATEWAY_DIR, 'package.json'), 'utf8'));
    const trellis = Object.keys(manifest.dependencies ?? {}).filter((d) =>
      d.startsWith('@trellis/'),
    );
    expect(trellis).toEqual(['@trellis/kit']);
    const imported = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(SRC, f), 'utf8').matchAll(/from '(@trellis\/[^'/]+)/g)])
      .map((m) => m[1]);
    expect(new Set(imported)).toEqual(new Set(['@trellis/kit']));
  });
});
