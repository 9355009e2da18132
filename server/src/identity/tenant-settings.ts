import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';

const gibibyte = 1024 ** 3;

/** A tenant's settings, each with its default; stored as JSON beside the tenant. */
export const tenantSettingsSchema = z.strictObject({
  review: z
    .strictObject({
      /** No video is published before a critic approves it. */
      required: z.boolean().default(true),
    })
    .prefault({}),
  upload: z
    .strictObject({
      /** The largest single upload, in bytes. */
      maxFileBytes: z
        .number()
        .int()
        .min(1)
        .max(1024 * gibibyte)
        .default(10 * gibibyte),
      /** All stored and in-progress uploads of the tenant together, in bytes. */
      quotaBytes: z
        .number()
        .int()
        .min(0)
        .max(1024 ** 5)
        .default(200 * gibibyte),
    })
    .prefault({}),
});

export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** What a tenant admin may send: any part of the settings. */
export const tenantSettingsPatchSchema = z.strictObject({
  review: tenantSettingsSchema.shape.review.unwrap().partial().optional(),
  upload: tenantSettingsSchema.shape.upload.unwrap().partial().optional(),
});

export async function loadTenantSettings(db: Knex, tenantId: string): Promise<TenantSettings> {
  const row = (await db('tenants').where({ id: tenantId }).first('settings')) as
    { settings: unknown } | undefined;
  // Settings written by an older or newer server parse with defaults for what is missing.
  const parsed = tenantSettingsSchema.safeParse(row?.settings ?? {});
  return parsed.success ? parsed.data : tenantSettingsSchema.parse({});
}

export async function updateTenantSettings(
  db: Knex,
  tenantId: string,
  patch: z.infer<typeof tenantSettingsPatchSchema>,
  actor: string,
): Promise<TenantSettings> {
  return db.transaction(async (trx) => {
    const current = await loadTenantSettings(trx, tenantId);
    const next = tenantSettingsSchema.parse({
      review: { ...current.review, ...patch.review },
      upload: { ...current.upload, ...patch.upload },
    });
    await trx('tenants')
      .where({ id: tenantId })
      .update({ settings: JSON.stringify(next) });
    await recordAudit(trx, {
      tenantId,
      actor,
      action: 'tenant.settings.change',
      subjectType: 'tenant',
      subjectId: tenantId,
      details: { changed: Object.keys(patch) },
    });
    return next;
  });
}
