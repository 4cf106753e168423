/**
 * @module http/api/snapshot-schedules-json: a snapshot schedule at the edge: the bodies of create and update
 * (field messages are catalog keys) and the schedule as the API answers it, with its schedule in words in the
 * reader's language and its next three runs.
 */
import { z } from 'zod';
import type { SnapshotScheduleInput, SnapshotScheduleView } from '../../db/snapshot-schedules.js';
import { storedCode } from '../../i18n/message.js';
import type { Locale, Translate } from '../../i18n/translate.js';
import { nextRun, nextRuns, type ScheduleSpec, scheduleSchema, scheduleWords } from '../../schedule/index.js';
import { iso } from './operations-json.js';

const fields = {
  name: z
    .string({ error: 'snapshot_schedules.error.name' })
    .trim()
    .min(1, { error: 'snapshot_schedules.error.name' })
    .max(80, { error: 'snapshot_schedules.error.name' }),
  virtual_machine: z
    .number({ error: 'snapshot_schedules.error.vm' })
    .int({ error: 'snapshot_schedules.error.vm' })
    .min(1, { error: 'snapshot_schedules.error.vm' })
    .max(2_147_483_647, { error: 'snapshot_schedules.error.vm' }),
  schedule: scheduleSchema,
  keep_last: z
    .number({ error: 'snapshot_schedules.error.keep_last' })
    .int({ error: 'snapshot_schedules.error.keep_last' })
    .min(1, { error: 'snapshot_schedules.error.keep_last' })
    .max(1000, { error: 'snapshot_schedules.error.keep_last' }),
  memory: z.boolean(),
  quiesce: z.boolean(),
  is_active: z.boolean(),
};

/** Body of `POST /api/snapshot-schedules/`. */
export const createSnapshotScheduleSchema = z.strictObject({
  ...fields,
  memory: fields.memory.default(false),
  quiesce: fields.quiesce.default(false),
  is_active: fields.is_active.default(true),
});
export type CreateSnapshotScheduleBody = z.output<typeof createSnapshotScheduleSchema>;

/** Body of `PUT`/`PATCH /api/snapshot-schedules/{id}/`: any of the fields. */
export const updateSnapshotScheduleSchema = z.strictObject(fields).partial();
export type UpdateSnapshotScheduleBody = z.output<typeof updateSnapshotScheduleSchema>;

/** The columns of a body; a new or changed schedule, or one made active, gets its next slot after `now`. */
export function scheduleColumns(
  body: UpdateSnapshotScheduleBody,
  now = new Date(),
  current?: { schedule: ScheduleSpec; is_active: boolean },
): Partial<SnapshotScheduleInput> {
  const { virtual_machine, ...rest } = body;
  const columns: Partial<SnapshotScheduleInput> = { ...rest };
  if (virtual_machine !== undefined) columns.virtual_machine_id = virtual_machine;
  const spec = body.schedule ?? current?.schedule;
  const activated = body.is_active === true && current?.is_active === false;
  if (spec && (body.schedule || activated || !current)) columns.next_run_at = nextRun(spec, now);
  return columns;
}

/** A schedule as the API answers it. */
export function snapshotScheduleJson(
  view: SnapshotScheduleView,
  t: Translate,
  locale: Locale,
  now = new Date(),
) {
  const s = view.schedule;
  return {
    id: s.id,
    name: s.name,
    virtual_machine: s.virtual_machine_id,
    vm_name: view.vm_name,
    esxi_server: view.esxi_server_id,
    schedule: s.schedule,
    timezone: s.schedule.timezone,
    schedule_description: scheduleWords(s.schedule, locale),
    next_runs: nextRuns(s.schedule, 3, now).map((d) => d.toISOString()),
    keep_last: s.keep_last,
    memory: s.memory,
    quiesce: s.quiesce,
    is_active: s.is_active,
    next_run_at: iso(s.next_run_at),
    last_run_at: iso(s.last_run_at),
    last_error: s.last_error === null ? null : t.stored(s.last_error),
    last_error_code: storedCode(s.last_error) ?? null,
    created_at: iso(s.created_at) as string,
    updated_at: iso(s.updated_at) as string,
  };
}
