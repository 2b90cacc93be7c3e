import type {
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SliceName } from '../slices.js';

/**
 * What a statement was: `query` is what the slice's code asked for (Prisma's SQL, raw SQL);
 * `control` is transaction control and the tenancy settings the runtime adapter adds around it
 * (BEGIN, `set_config(…)`, COMMIT/ROLLBACK). Both are sent to the database.
 */
export type StatementKind = 'query' | 'control';

/** Called for every SQL statement a slice sends (Prometheus `db_statements_total`). */
export type StatementListener = (slice: SliceName, kind: StatementKind) => void;

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir?: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /**
       * Slices whose runtime pool logs in as the slice's own role (`trellis_<schema>`) with
       * this password; the others connect as the user of `url` and switch role per transaction.
       */
      runtimePasswords?: Partial<Record<SliceName, string>>;
    };

/** A slice's schema engine adapter, and how to give its connection back. */
export interface MigrationAdapter {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  release(): Promise<void>;
}

/**
 * One database for the process: PGlite (embedded, one connection shared by every slice)
 * or PostgreSQL (one pool per slice). Hands out driver adapters per slice.
 */
export interface Database {
  readonly kind: DatabaseConfig['kind'];
  /**
   * Adapter for a slice's runtime Prisma client. Every statement runs inside a transaction
   * whose first statement switches to the slice's runtime role and sets the current tenancy
   * (`currentTenancy()`) transaction-locally; without one the settings are empty and row-level
   * security shows no tenant rows (fail closed). Every statement is reported.
   */
  adapter(slice: SliceName): SqlDriverAdapterFactory;
  /**
   * Adapter that runs as the connecting (owner/administrator) user, without role switch or
   * tenancy: bootstrap code only (demo seed, tools). Every statement is reported.
   */
  ownerAdapter(slice: SliceName): SqlDriverAdapterFactory;
  /** Adapter for the schema engine, with the slice's schema first on the search_path. */
  migrationAdapter(slice: SliceName): Promise<MigrationAdapter>;
  /** Runs a multi-statement script as one request (simple query protocol). */
  exec(script: string): Promise<void>;
  /** Plain SQL for bootstrap tasks (roles, checks), as the connecting user. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Reports statements of the given kinds (by default what the slices' code asks for). */
  onStatement(listener: StatementListener, kinds?: readonly StatementKind[]): void;
  /** Errors of idle pooled connections (a restarted server, a killed backend): reported, not fatal. */
  onConnectionError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}
