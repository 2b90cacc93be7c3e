import type { Database } from './database/types.js';
import { SLICE_NAMES, SLICES, type SliceName } from './slices.js';

/**
 * The database roles of least privilege (docs/security.md):
 * - `trellis_migrator` owns every slice's schema and everything in it; migrations run as it.
 *   It has BYPASSRLS so that the SECURITY DEFINER helpers it owns (the agreements parties
 *   check) can read the rows their policies are about without recursing into those policies.
 * - one runtime role per slice (`trellis_<schema>`) that owns nothing, is no superuser, has no
 *   BYPASSRLS, and holds only: DML on its own schema's tables (no UPDATE/DELETE on its audit
 *   log, SELECT only on its migration history), its sequences and functions, SELECT on the
 *   views other slices publish (`PUBLISHED_VIEW`), EXECUTE on the functions they publish
 *   (same naming), and INSERT on the outbox.
 */
export const MIGRATOR_ROLE = 'trellis_migrator';

/** Whether migrations can run as the migrator: the role exists and the connecting user may be it. */
export const MIGRATOR_USABLE = `SELECT CASE WHEN to_regrole('${MIGRATOR_ROLE}') IS NULL THEN false
  ELSE pg_has_role(current_user, '${MIGRATOR_ROLE}', 'MEMBER') END AS usable`;

/** The runtime role a slice's statements run as (set per transaction by the runtime adapter). */
export const runtimeRole = (slice: SliceName) => `trellis_${SLICES[slice]}`;

export const RUNTIME_ROLES = SLICE_NAMES.map(runtimeRole);

/**
 * Every slice publishes read-only views to the others (`<schema>.<name>_v<N>`, security_invoker):
 * org-graph's organizations, relationships and channels (catalog and pricing validate
 * manufacturers, sellers and channels, service-policy walks relationships, workforce checks
 * memberships), catalog's SKUs (pricing checks a rule's SKU). Every runtime role may read every
 * other slice's published views, and exactly the base-table columns they read.
 */
export const PUBLISHED_VIEW = /_v[0-9]+$/;

/** The environment variable holding a role's password (`TRELLIS_ORG_GRAPH_PASSWORD`, …). */
export const passwordVariable = (role: string) => `${role.toUpperCase()}_PASSWORD`;

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const textArray = (items: string[]) => `ARRAY[${items.map(literal).join(', ')}]::text[]`;

/**
 * The idempotent script behind `pnpm db:roles`: creates the roles when missing, corrects their
 * attributes when they differ, hands every object of the slices' schemas to the migrator, and
 * rebuilds the runtime roles' grants from a clean slate. It runs as one implicit transaction,
 * so a runtime role never sees a half-granted state. Only what differs is altered (no lock is
 * taken on objects the migrator already owns), so it is safe to run after every migration.
 */
export function ensureRolesScript(): string {
  const schemas = SLICE_NAMES.map((s) => SLICES[s]);
  return `DO $roles$
DECLARE
  migrator CONSTANT text := ${literal(MIGRATOR_ROLE)};
  runtime CONSTANT text[] := ${textArray(RUNTIME_ROLES)};
  schemas CONSTANT text[] := ${textArray(schemas)};
  me_super boolean;
  r record;
  i int;
  role_name text;
  s text;
BEGIN
  SELECT rolsuper INTO me_super FROM pg_roles WHERE rolname = current_user;

  FOREACH role_name IN ARRAY array_prepend(migrator, runtime) LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- created concurrently (roles are shared by every database of the cluster)
      END;
    END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = migrator
             AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR NOT rolbypassrls)) THEN
    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS', migrator);
  END IF;
  FOREACH role_name IN ARRAY runtime LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name
               AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)) THEN
      EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', role_name);
    END IF;
  END LOOP;

  -- the connecting user switches to these roles (migrations, every runtime transaction)
  IF NOT me_super THEN
    FOREACH role_name IN ARRAY array_prepend(migrator, runtime) LOOP
      IF role_name <> current_user AND NOT pg_has_role(current_user, role_name, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', role_name, current_user);
      END IF;
    END LOOP;
  END IF;

  -- the migrator creates the slices' schemas
  IF NOT has_database_privilege(migrator, current_database(), 'CREATE') THEN
    EXECUTE format('GRANT CREATE, CONNECT ON DATABASE %I TO %I', current_database(), migrator);
  END IF;
  FOREACH role_name IN ARRAY runtime LOOP
    IF NOT has_database_privilege(role_name, current_database(), 'CONNECT') THEN
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), role_name);
    END IF;
  END LOOP;

  -- the migrator owns everything in the slices' schemas
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname = ANY (schemas) AND nspowner <> migrator::regrole LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, migrator);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS obj, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ANY (schemas) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
             AND c.relowner <> migrator::regrole LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.obj, migrator);
  END LOOP;
  -- (sequences owned by a column moved with their table)
  FOR r IN SELECT c.oid::regclass AS obj FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ANY (schemas) AND c.relkind = 'S'
             AND c.relowner <> migrator::regrole LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.obj, migrator);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS fn, p.prokind FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = ANY (schemas) AND p.proowner <> migrator::regrole LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
      r.fn, migrator);
  END LOOP;
  -- enums and domains (a table's row type and an enum's array type follow their owner)
  FOR r IN SELECT t.oid::regtype AS ty FROM pg_type t
           JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = ANY (schemas) AND t.typtype IN ('e', 'd')
             AND t.typowner <> migrator::regrole LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', r.ty, migrator);
  END LOOP;

  -- grants, rebuilt from a clean slate (revoking a table privilege drops its column privileges)
  FOR i IN 1 .. array_length(schemas, 1) LOOP
    s := schemas[i];
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = s);
    FOREACH role_name IN ARRAY runtime LOOP
      EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, role_name);
      EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', s, role_name);
      EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I', s, role_name);
      EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', s, role_name);
    END LOOP;
    EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM PUBLIC', s);
    role_name := runtime[i];
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, role_name);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, role_name);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, role_name);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', s, role_name);
    -- audit rows are appended, never changed
    IF to_regclass(format('%I.audit_log', s)) IS NOT NULL THEN
      EXECUTE format('REVOKE UPDATE, DELETE ON %I.audit_log FROM %I', s, role_name);
    END IF;
    IF to_regclass(format('%I._prisma_migrations', s)) IS NOT NULL THEN
      EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON %I._prisma_migrations FROM %I', s, role_name);
    END IF;
  END LOOP;

  -- every slice writes its domain events to the outbox (INSERT only, row policies apply)
  IF to_regclass('agreements.outbox_event') IS NOT NULL THEN
    FOREACH role_name IN ARRAY runtime LOOP
      EXECUTE format('GRANT USAGE ON SCHEMA agreements TO %I', role_name);
      EXECUTE format('GRANT INSERT ON agreements.outbox_event TO %I', role_name);
    END LOOP;
  END IF;

  -- the slices' published views, to every other slice; they are security_invoker, so the
  -- reader also needs SELECT on exactly the base-table columns they read (nothing else)
  FOR r IN SELECT n.nspname AS s, c.oid::regclass AS v FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ANY (schemas) AND c.relkind = 'v' AND c.relname ~ ${literal(PUBLISHED_VIEW.source)} LOOP
    FOREACH role_name IN ARRAY runtime LOOP
      CONTINUE WHEN role_name = runtime[array_position(schemas, r.s::text)];
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', r.s, role_name);
      EXECUTE format('GRANT SELECT ON %s TO %I', r.v, role_name);
    END LOOP;
  END LOOP;
  -- the functions slices publish for other slices' transactions (SECURITY DEFINER, checking the
  -- caller's rights themselves: service-policy's mark_assigned_v1)
  FOR r IN SELECT n.nspname AS s, p.oid::regprocedure AS fn FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = ANY (schemas) AND p.proname ~ ${literal(PUBLISHED_VIEW.source)} LOOP
    FOREACH role_name IN ARRAY runtime LOOP
      CONTINUE WHEN role_name = runtime[array_position(schemas, r.s::text)];
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', r.s, role_name);
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', r.fn, role_name);
    END LOOP;
  END LOOP;
  FOR r IN SELECT view_schema, table_schema, table_name,
                  string_agg(DISTINCT quote_ident(column_name::text), ', ') AS cols
           FROM information_schema.view_column_usage
           WHERE view_schema = ANY (schemas) AND view_name ~ ${literal(PUBLISHED_VIEW.source)}
           GROUP BY view_schema, table_schema, table_name LOOP
    FOREACH role_name IN ARRAY runtime LOOP
      CONTINUE WHEN role_name = runtime[array_position(schemas, r.view_schema::text)];
      EXECUTE format('GRANT SELECT (%s) ON %I.%I TO %I', r.cols, r.table_schema, r.table_name, role_name);
    END LOOP;
  END LOOP;
END
$roles$;`;
}

/** `ALTER ROLE … LOGIN PASSWORD` for every role whose password the environment holds. */
export function passwordStatements(env: Record<string, string | undefined>): string[] {
  return [MIGRATOR_ROLE, ...RUNTIME_ROLES].flatMap((role) => {
    const password = env[passwordVariable(role)];
    return password ? [`ALTER ROLE "${role}" LOGIN PASSWORD ${literal(password)}`] : [];
  });
}

/**
 * Creates or corrects the roles, ownership and grants (idempotent). Passwords only from the
 * environment: a role whose TRELLIS_<ROLE>_PASSWORD is set can log in with it; a new role
 * without one is NOLOGIN; an existing role's login is left as it is.
 */
export async function ensureRoles(
  db: Pick<Database, 'exec'>,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  // one simple-protocol request: one implicit transaction, all or nothing
  await db.exec([ensureRolesScript(), ...passwordStatements(env)].join(';\n'));
}
