/**
 * @module backup-jobs/form: a backup job from its HTML form's flat fields and back. Checkboxes are `on` when
 * ticked (absent otherwise); `virtual_machines` and `esxi_servers` repeat; patterns are one per line (or
 * separated by commas); `retention_keep_*` are numbers, all empty meaning each VM's own policy; the schedule
 * is src/schedule/form.ts's fields, used only when `scheduled` is ticked. The result is the raw body that
 * `backupJobInput` checks, as the API's.
 */
import { RETENTION_OPTIONS } from '../db/schema.js';
import { scheduleFromForm, scheduleToForm } from '../schedule/index.js';
import type { BackupJobInput } from './settings.js';

/** A form's values: one text per field, a list for repeated ones. */
export type JobFormValues = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const ids = (v: string | string[] | undefined) => list(v).filter(Boolean).map(Number);
const patterns = (v: string | string[] | undefined) =>
  text(v)
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean);
const number = (v: string | string[] | undefined) => (text(v).trim() === '' ? undefined : Number(text(v)));

/** The raw body of the form's fields (see the module doc). */
export function jobFromForm(values: JobFormValues): Record<string, unknown> {
  const retention = Object.fromEntries(
    RETENTION_OPTIONS.map((o) => [o, number(values[`retention_${o}`])]).filter(([, n]) => n !== undefined),
  );
  const flat = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, text(v)]));
  return {
    name: text(values.name),
    description: text(values.description),
    virtual_machines: ids(values.virtual_machines),
    esxi_servers: ids(values.esxi_servers),
    include_patterns: patterns(values.include_patterns),
    exclude_patterns: patterns(values.exclude_patterns),
    skip_powered_off: text(values.skip_powered_off) === 'on',
    storage_path: number(values.storage_path) ?? null,
    retention: Object.keys(retention).length ? retention : null,
    quiesce: text(values.quiesce) === 'on',
    use_change_tracking: text(values.use_change_tracking) === 'on',
    max_parallel_vms: number(values.max_parallel_vms) ?? 1,
    retry_count: number(values.retry_count) ?? 0,
    retry_delay_seconds: number(values.retry_delay_seconds) ?? 60,
    is_active: text(values.is_active) === 'on',
    schedule: text(values.scheduled) === 'on' ? scheduleFromForm(flat) : null,
  };
}

/** A job's fields as the form's values, to edit it. */
export function jobToForm(input: BackupJobInput): JobFormValues {
  const on = (b: boolean) => (b ? 'on' : undefined);
  const values: JobFormValues = {
    name: input.name,
    description: input.description,
    virtual_machines: input.virtual_machines.map(String),
    esxi_servers: input.esxi_servers.map(String),
    include_patterns: input.include_patterns.join('\n'),
    exclude_patterns: input.exclude_patterns.join('\n'),
    skip_powered_off: on(input.skip_powered_off),
    storage_path: input.storage_path ? String(input.storage_path) : '',
    quiesce: on(input.quiesce),
    use_change_tracking: on(input.use_change_tracking),
    max_parallel_vms: String(input.max_parallel_vms),
    retry_count: String(input.retry_count),
    retry_delay_seconds: String(input.retry_delay_seconds),
    is_active: on(input.is_active),
    scheduled: on(input.schedule !== null),
    ...(input.schedule ? scheduleToForm(input.schedule) : {}),
  };
  for (const o of RETENTION_OPTIONS)
    values[`retention_${o}`] = input.retention?.[o] ? String(input.retention[o]) : '';
  return values;
}

/** The values of a new job's form. */
export const NEW_JOB_FORM: JobFormValues = {
  use_change_tracking: 'on',
  is_active: 'on',
  scheduled: 'on',
  max_parallel_vms: '1',
  retry_count: '1',
  retry_delay_seconds: '60',
  schedule_preset: 'daily',
  schedule_time: '22:00',
};
