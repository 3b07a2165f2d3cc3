import { and, eq } from 'drizzle-orm';
import type { ImportJob } from '../../contract/imports.js';
import { imports } from '../../schema/d1.js';
import { importChanges, importOf, importRow } from '../import-rows.js';
import type { ImportUpdate } from '../imports.js';
import type { D1Db } from './batching.js';

export async function createImport(db: D1Db, tenant: string, job: ImportJob): Promise<void> {
  await db.insert(imports).values({ ...importRow(job), tenantId: tenant });
}

export async function getImport(db: D1Db, tenant: string, importId: string): Promise<ImportJob | null> {
  const row = await db
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenant), eq(imports.importId, importId)))
    .get();
  return row ? importOf(row) : null;
}

export async function updateImport(db: D1Db, importId: string, update: ImportUpdate): Promise<void> {
  await db.update(imports).set(importChanges(update)).where(eq(imports.importId, importId));
}
