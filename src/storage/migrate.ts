/**
 * Applies the SQL migrations in `migrations/` in name order, all pending ones in one
 * transaction, under an advisory lock so that instances starting together do not race.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './database.js';
import { projectPath } from '../project-root.js';

/** Arbitrary constant naming the migration lock (pg_advisory_xact_lock key). */
const MIGRATION_LOCK_KEY = 7_314_2026;

export const MIGRATIONS_DIR = projectPath('src', 'storage', 'migrations');

export async function migrate(db: Database): Promise<string[]> {
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map(
        (row) => row.name,
      ),
    );
    const pending = files.filter((name) => !applied.has(name));
    for (const name of pending) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    }
    return pending;
  });
}
