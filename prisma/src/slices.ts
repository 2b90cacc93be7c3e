import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The six data slices: each subgraph owns exactly one PostgreSQL schema. */
export const SLICES = {
  'org-graph': 'org_graph',
  catalog: 'catalog',
  pricing: 'pricing',
  'service-policy': 'service_policy',
  workforce: 'workforce',
  agreements: 'agreements',
} as const;

export type SliceName = keyof typeof SLICES;
export const SLICE_NAMES = Object.keys(SLICES) as SliceName[];

export const PRISMA_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const sliceDir = (slice: SliceName) => join(PRISMA_ROOT, slice);
export const schemaPath = (slice: SliceName) => join(sliceDir(slice), 'schema.prisma');
export const migrationsDir = (slice: SliceName) => join(sliceDir(slice), 'migrations');

export function assertSlice(name: string | undefined): SliceName {
  if (name && name in SLICES) return name as SliceName;
  throw new Error(`unknown slice "${name}"; one of: ${SLICE_NAMES.join(', ')}`);
}
