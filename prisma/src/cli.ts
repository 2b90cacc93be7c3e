import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { backupPglite, backupPostgres, restorePglite, restorePostgres } from './backup.js';
import { databaseFromEnv, dataDirOf } from './env.js';
import {
  applyMigrations,
  createMigration,
  driftOf,
  rollbackSlice,
  sliceStatus,
} from './migrator.js';
import { ensureRoles, MIGRATOR_ROLE, passwordVariable, RUNTIME_ROLES } from './roles.js';
import { assertSlice, SLICE_NAMES, type SliceName, schemaPath } from './slices.js';

const [command, ...args] = process.argv.slice(2);
const slices = (arg?: string): SliceName[] => (arg ? [assertSlice(arg)] : SLICE_NAMES);
// a file named on the command line is where the user ran `pnpm` (pnpm runs this in prisma/)
const userPath = (file: string) => resolve(process.env.INIT_CWD ?? process.cwd(), file);

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof databaseFromEnv>>) => Promise<T>) {
  const db = await databaseFromEnv();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

switch (command) {
  case 'generate': {
    // `prisma generate` only checks that a schema-engine binary exists; it never runs it.
    const prismaBin = createRequire(import.meta.url).resolve('prisma/build/index.js');
    for (const slice of SLICE_NAMES) {
      execFileSync(process.execPath, [prismaBin, 'generate', '--schema', schemaPath(slice)], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      });
    }
    console.log(`generated ${SLICE_NAMES.length} Prisma clients`);
    break;
  }
  case 'migrate':
    // as the migrator role when it exists; then roles, ownership and grants are brought in line
    await withDb(async (db) => {
      await ensureRoles(db);
      for (const slice of slices(args[0])) {
        const applied = await applyMigrations(db, slice);
        console.log(`${slice}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
      }
      await ensureRoles(db);
      console.log('roles and grants: ensured');
    });
    break;
  case 'roles':
    // needs a superuser (or a role that may create roles and grant BYPASSRLS)
    await withDb(async (db) => {
      await ensureRoles(db);
      console.log(
        `roles ensured: ${MIGRATOR_ROLE} (owner), ${RUNTIME_ROLES.join(', ')} (runtime); passwords set for: ${
          [MIGRATOR_ROLE, ...RUNTIME_ROLES]
            .filter((r) => process.env[passwordVariable(r)])
            .join(', ') || 'none (existing logins unchanged)'
        }`,
      );
    });
    break;
  case 'seed':
    // the demo data, into an empty database (migrated first: `pnpm db:migrate`); --force adds
    // whatever layers of it are missing to a database that already holds data
    await withDb(async (db) => {
      const n = (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM org_graph.organization')
      )[0]!.n;
      if (n > 0 && !args.includes('--force')) {
        console.error(
          `not seeded: the database already holds ${n} organization(s); \`pnpm db:seed --force\` adds the demo data anyway`,
        );
        process.exitCode = 1;
        return;
      }
      // imported here: the seed needs the generated clients, which `generate` (below) writes
      const { seedDemo } = await import('./seed/index.js');
      const fresh = await seedDemo(db);
      console.log(fresh ? 'demo data loaded' : 'demo data: already there, missing layers added');
    });
    break;
  case 'status':
    await withDb(async (db) => {
      let behind = false;
      for (const slice of slices(args[0])) {
        const s = await sliceStatus(db, slice);
        behind ||= s.pending.length > 0;
        console.log(
          `${slice}: ${s.applied.length} applied${s.pending.length ? `, pending: ${s.pending.join(', ')}` : ', up to date'}`,
        );
      }
      process.exitCode = behind ? 1 : 0;
    });
    break;
  case 'rollback':
    await withDb(async (db) => {
      const slice = assertSlice(args[0]);
      const undone = await rollbackSlice(db, slice);
      console.log(`${slice}: ${undone ? `rolled back ${undone}` : 'nothing to roll back'}`);
    });
    break;
  case 'diff': {
    const slice = assertSlice(args[0]);
    if (!args[1]) throw new Error('usage: pnpm db:diff <slice> <migration-name>');
    const folder = await createMigration(slice, args[1]);
    console.log(folder ? `${slice}: wrote migrations/${folder}` : `${slice}: no changes`);
    break;
  }
  case 'drift': {
    let drifted = false;
    for (const slice of slices(args[0])) {
      const sql = await driftOf(slice);
      drifted ||= sql !== '';
      console.log(sql ? `${slice}: DRIFT — the migrations lack:\n${sql}` : `${slice}: in sync`);
    }
    process.exitCode = drifted ? 1 : 0;
    break;
  }
  case 'backup': {
    // DATABASE_URL: pg_dump's custom format; else the embedded data directory (server stopped)
    const url = process.env.DATABASE_URL;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = userPath(args[0] ?? `backups/trellis-${stamp}.${url ? 'dump' : 'tar.gz'}`);
    if (url) await backupPostgres(url, file);
    else await backupPglite(dataDirOf(process.env.DATA_DIR), file);
    console.log(`backup written: ${file}`);
    break;
  }
  case 'restore': {
    const named = args.find((a) => !a.startsWith('--'));
    if (!named) throw new Error('usage: pnpm db:restore <file> [--force]');
    const file = userPath(named);
    const url = process.env.DATABASE_URL;
    if (url) {
      await restorePostgres(url, file);
      // what pg_restore created as its own user (extension objects) goes back to the migrator
      await withDb(ensureRoles);
      console.log(`restored ${file} into the database of DATABASE_URL; roles and grants ensured`);
    } else {
      const dataDir = dataDirOf(process.env.DATA_DIR);
      const { keptAs } = await restorePglite(file, dataDir, { force: args.includes('--force') });
      console.log(
        `restored ${file} into ${dataDir}${keptAs ? ` (the previous database is kept in ${keptAs})` : ''}`,
      );
    }
    break;
  }
  default:
    console.error(
      'usage: cli.ts generate|migrate|roles|status|rollback|diff|drift|backup|restore [slice|file] [name]',
    );
    process.exitCode = 2;
}
