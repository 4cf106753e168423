/**
 * @module http/routes/snapshot-schedules: the "Planifications de snapshots" pages: the list
 * (`/snapshot-schedules/`), the new and edit forms (`/new`, `/:id/edit`, posted to `/` and `/:id`; refused
 * with their errors in place and a 400), and delete (`POST /:id/delete` from htmx, which then reloads the list).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { ScheduleFormPage, ScheduleListPage } from '../../../views/snapshots/schedule-pages.js';
import { getVirtualMachine, listVirtualMachines } from '../../db/inventory.js';
import {
  deleteSnapshotSchedule,
  getSnapshotSchedule,
  insertSnapshotSchedule,
  listSnapshotSchedules,
  type SnapshotScheduleInput,
  updateSnapshotSchedule,
} from '../../db/snapshot-schedules.js';
import { NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { scheduleFromForm, scheduleToForm } from '../../schedule/index.js';
import { asId, idParam } from '../api/ids.js';
import { createSnapshotScheduleSchema, scheduleColumns } from '../api/snapshot-schedules-json.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { fieldErrors, renderFields, zodLocale } from '../validation.js';

/** The VMs a schedule may name. */
async function vmChoices(c: Context<AppEnv>) {
  const { rows } = await listVirtualMachines(c.get('deps').db);
  return rows.map((r) => ({ id: r.vm.id, name: r.vm.name, server_name: r.server_name }));
}

/** The form page (new when `id` is absent), with values and errors. */
async function formPage(
  c: Context<AppEnv>,
  values: Record<string, string | undefined>,
  id?: number,
  errors?: Record<string, string[]>,
) {
  const t = c.get('t');
  const title = id
    ? t('snapshot_schedules.edit_title', { name: values.name ?? '' })
    : t('snapshot_schedules.new');
  const page = (
    <ScheduleFormPage id={id} title={title} vms={await vmChoices(c)} values={values} errors={errors} />
  );
  return render(c, page, errors ? 400 : 200);
}

/** Validates a posted form as the API's body, the VM checked too. */
async function readForm(c: Context<AppEnv>) {
  const raw = await c.req.parseBody();
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' && k !== '_csrf') values[k] = v;
  const body = {
    name: values.name ?? '',
    virtual_machine: Number(values.virtual_machine),
    schedule: scheduleFromForm(values),
    keep_last: values.keep_last === '' ? Number.NaN : Number(values.keep_last),
    memory: values.memory === 'on',
    quiesce: values.quiesce === 'on',
    is_active: values.is_active === 'on',
  };
  const error = zodLocale(c);
  const result = createSnapshotScheduleSchema.safeParse(body, error ? { error } : undefined);
  const errors = result.success ? {} : renderFields(c.get('t'), fieldErrors(result.error));
  const vm = asId(values.virtual_machine)
    ? await getVirtualMachine(c.get('deps').db, Number(values.virtual_machine))
    : null;
  if (!vm?.vm.is_present) errors.virtual_machine = [c.get('t')('snapshot_schedules.error.vm')];
  return { values, data: result.success && Object.keys(errors).length === 0 ? result.data : null, errors };
}

/** The `:id` schedule. @throws NotFoundError. */
async function scheduleOf(c: Context<AppEnv>) {
  const id = idParam(c);
  const view = await getSnapshotSchedule(c.get('deps').db, id);
  if (!view) throw new NotFoundError(msg('snapshot_schedules.error.not_found', { id }));
  return view;
}

export const snapshotScheduleRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const rows = await listSnapshotSchedules(c.get('deps').db);
    return render(c, <ScheduleListPage rows={rows} canEdit={hasRole(c, 'operator')} />);
  })
  .get('/new', requireRole('operator'), async (c) =>
    formPage(c, {
      virtual_machine: c.req.query('virtual_machine'),
      is_active: 'on',
      schedule_preset: 'daily',
    }),
  )
  .post('/', requireRole('operator'), async (c) => {
    const form = await readForm(c);
    if (!form.data) return formPage(c, form.values, undefined, form.errors);
    await insertSnapshotSchedule(c.get('deps').db, scheduleColumns(form.data) as SnapshotScheduleInput);
    return redirectWithFlash(c, '/snapshot-schedules/', 'success', c.get('t')('snapshot_schedules.saved'));
  })
  .get('/:id/edit', requireRole('operator'), async (c) => {
    const { schedule: s } = await scheduleOf(c);
    const flags = { memory: s.memory, quiesce: s.quiesce, is_active: s.is_active };
    const values: Record<string, string> = {
      name: s.name,
      virtual_machine: String(s.virtual_machine_id),
      keep_last: String(s.keep_last),
      ...scheduleToForm(s.schedule),
    };
    for (const [k, on] of Object.entries(flags)) if (on) values[k] = 'on';
    return formPage(c, values, s.id);
  })
  .post('/:id', requireRole('operator'), async (c) => {
    const { schedule: current } = await scheduleOf(c);
    const form = await readForm(c);
    if (!form.data) return formPage(c, form.values, current.id, form.errors);
    await updateSnapshotSchedule(
      c.get('deps').db,
      current.id,
      scheduleColumns(form.data, new Date(), current),
    );
    return redirectWithFlash(c, '/snapshot-schedules/', 'success', c.get('t')('snapshot_schedules.saved'));
  })
  .post('/:id/delete', requireRole('operator'), async (c) => {
    const { schedule: s } = await scheduleOf(c);
    await deleteSnapshotSchedule(c.get('deps').db, s.id);
    c.header('HX-Redirect', '/snapshot-schedules/');
    return c.body(null, 204);
  });
