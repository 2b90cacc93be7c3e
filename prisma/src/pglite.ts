import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * Extensions the migrations create (org-graph's relationship exclusion constraint needs
 * btree_gist): PGlite can only load those it was constructed with.
 */
export const PGLITE_EXTENSIONS = { btree_gist };

/** Prisma's PGlite adapter, whose shadow database (diff, drift) replays the migrations too. */
export function pgliteFactory(db: PGlite): PrismaPGlite {
  const factory = new PrismaPGlite(db);
  factory.connectToShadowDb = () =>
    new PrismaPGlite(
      new PGlite({ dataDir: 'memory://shadow', extensions: PGLITE_EXTENSIONS }),
    ).connect();
  return factory;
}
