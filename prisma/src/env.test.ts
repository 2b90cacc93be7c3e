import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirOf } from './env.js';
import { PRISMA_ROOT } from './slices.js';

describe('dataDirOf', () => {
  const root = join(PRISMA_ROOT, '..');
  it('reads a relative DATA_DIR from the repository root, whatever the working directory', () => {
    expect(dataDirOf('demo-data')).toBe(join(root, 'demo-data'));
    expect(dataDirOf('./x/../y')).toBe(join(root, 'y'));
  });
  it('keeps an absolute one and defaults to .data', () => {
    expect(dataDirOf('/var/lib/trellis')).toBe('/var/lib/trellis');
    expect(dataDirOf(undefined)).toBe(join(root, '.data'));
    expect(dataDirOf('')).toBe(join(root, '.data'));
  });
});
