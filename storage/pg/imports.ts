import { and, eq } from 'drizzle-orm';
import type { ImportJob } from '../../contract/imports.js';
import { imports } from '../../schema/pg.js';
import { importChanges, importOf, importRow } from '../import-rows.js';
import type { ImportUpdate } from '../imports.js';
import type { PgDb } from './connection.js';

export async function createImport(db: PgDb, tenant: string, job: ImportJob): Promise<void> {
  await db.insert(imports).values({ ...importRow(job), tenantId: tenant });
}

export async function getImport(db: PgDb, tenant: string, importId: string): Promise<ImportJob | null> {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenant), eq(imports.importId, importId)));
  return row ? importOf(row) : null;
}

export async function updateImport(db: PgDb, importId: string, update: ImportUpdate): Promise<void> {
  await db.update(imports).set(importChanges(update)).where(eq(imports.importId, importId));
}
