/**
 * @module http/api/vm-retention: a VM's retention policy at the edge: the body of
 * `PUT /api/virtual-machines/{id}/retention/` (and of the VM page's form), and the VM as the API answers it,
 * with its effective policy (`retention`, `retention_is_default`).
 */
import { z } from 'zod';
import { effectiveRetention } from '../../backup/index.js';
import type { VirtualMachineRow } from '../../db/inventory.js';
import { RETENTION_OPTIONS, type RetentionPolicy } from '../../db/schema.js';
import { keepsSomething } from '../../repository/prune.js';

const count = z
  .number({ error: 'retention.error.count' })
  .int({ error: 'retention.error.count' })
  .min(0, { error: 'retention.error.count' })
  .max(10_000, { error: 'retention.error.count' });

/**
 * At least one option above zero (`keepsSomething`: a policy that keeps nothing would keep everything, as
 * in PBS), checked once every option is valid (else the field messages alone say what is wrong).
 */
const KEEPS_NOTHING = {
  error: 'retention.error.keeps_nothing' as const,
  when: (payload: { issues: unknown[] }) => payload.issues.length === 0,
};

/** Body of `PUT /api/virtual-machines/{id}/retention/`: each option a count 0..10000 (missing: 0). */
export const retentionSchema = z
  .strictObject(
    Object.fromEntries(RETENTION_OPTIONS.map((name) => [name, count.optional()])) as {
      [K in (typeof RETENTION_OPTIONS)[number]]: z.ZodOptional<typeof count>;
    },
  )
  .refine(keepsSomething, KEEPS_NOTHING);

/** The same from an HTML form: numbers as text, an empty field meaning 0. */
const formCount = z.preprocess(
  (v) => (v === '' || v === undefined ? undefined : Number(v)),
  count.optional(),
);
export const retentionFormSchema = z
  .object(
    Object.fromEntries(RETENTION_OPTIONS.map((name) => [name, formCount])) as {
      [K in (typeof RETENTION_OPTIONS)[number]]: typeof formCount;
    },
  )
  .refine(keepsSomething, KEEPS_NOTHING);

/** A validated body as the stored policy: every option, 0 where not given. */
export function toPolicy(body: Partial<Record<keyof RetentionPolicy, number | undefined>>): RetentionPolicy {
  return {
    keep_last: body.keep_last ?? 0,
    keep_hourly: body.keep_hourly ?? 0,
    keep_daily: body.keep_daily ?? 0,
    keep_weekly: body.keep_weekly ?? 0,
    keep_monthly: body.keep_monthly ?? 0,
    keep_yearly: body.keep_yearly ?? 0,
  };
}

/**
 * A VM as the API answers it: its columns (the stored `retention` replaced by the effective policy), its
 * server's id under the seed's name too, and whether the policy is the default one.
 * @param defaultKeepLast `keep_last` of the default policy (config `backupRetentionCount`).
 */
export function vmJson(row: { vm: VirtualMachineRow; server_name: string }, defaultKeepLast: number) {
  const { retention, ...vm } = row.vm;
  const policy = effectiveRetention(retention, defaultKeepLast);
  return {
    ...vm,
    esxi_server: vm.esxi_server_id,
    esxi_server_name: row.server_name,
    retention: policy.rules,
    retention_is_default: policy.is_default,
  };
}
