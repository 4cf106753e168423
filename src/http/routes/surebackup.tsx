/**
 * @module http/routes/surebackup: the SureBackup page and its htmx fragments: statistics, the filtered list
 * (polled while verifications run), "Verify now" (dialog, start), a verification's detail, and schedules
 * (create, toggle, delete). The JSON API is src/http/api/backup-verifications.ts.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { VerificationDetail, VerificationPage } from '../../../views/surebackup/detail.js';
import { VerificationList } from '../../../views/surebackup/list.js';
import { SureBackupPage } from '../../../views/surebackup/page.js';
import { ScheduleSection } from '../../../views/surebackup/schedules.js';
import { VerificationStats } from '../../../views/surebackup/stats.js';
import { TestDatastoreSelect, VerifyDialog } from '../../../views/surebackup/verify-dialog.js';
import { TEST_TYPES, VERIFICATION_STATUSES } from '../../db/schema.js';
import { deleteSchedule, listSchedules } from '../../db/verification-schedules.js';
import { deleteVerification, listVerifications, type VerificationFilter } from '../../db/verifications.js';
import { ConflictError, InvalidInputError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { scheduleById, verificationById } from '../../surebackup/lookup.js';
import {
  hostChoices,
  scheduleChoices,
  scheduleForm,
  verifyChoices,
  verifyForm,
} from '../../surebackup/page-data.js';
import { requestVerification } from '../../surebackup/requests.js';
import { createSchedule, updateSchedule } from '../../surebackup/schedules.js';
import { verificationStatistics } from '../../surebackup/statistics.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hxTriggerValue } from '../hx-trigger.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { type FieldErrors, parseForm, renderFields } from '../validation.js';

const pick = <T extends string>(v: string | undefined, allowed: readonly T[]) =>
  allowed.includes(v as T) ? (v as T) : undefined;

function filterOf(c: Context<AppEnv>): VerificationFilter {
  return {
    status: pick(c.req.query('status'), VERIFICATION_STATUSES),
    test_type: pick(c.req.query('test_type'), TEST_TYPES),
  };
}

async function listFragment(c: Context<AppEnv>, filter: VerificationFilter) {
  const { db } = c.get('deps');
  const [{ rows: items }, stats] = await Promise.all([
    listVerifications(db, filter),
    verificationStatistics(db),
  ]);
  return render(
    c,
    <>
      <VerificationList items={items} filter={filter} canRun={hasRole(c, 'operator')} />
      <VerificationStats stats={stats} oob />
    </>,
  );
}

async function schedulesFragment(
  c: Context<AppEnv>,
  form?: { errors: FieldErrors; values: Record<string, string> },
) {
  const { db } = c.get('deps');
  const [schedules, choices] = await Promise.all([listSchedules(db), scheduleChoices(db)]);
  const section = (
    <ScheduleSection schedules={schedules} choices={choices} canEdit={hasRole(c, 'operator')} {...form} />
  );
  return render(c, section, form ? 400 : 200);
}

export const surebackupRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.get('deps');
    const filter = filterOf(c);
    const [stats, { rows: items }, schedules, choices] = await Promise.all([
      verificationStatistics(db),
      listVerifications(db, filter),
      listSchedules(db),
      scheduleChoices(db),
    ]);
    const page = { stats, items, filter, schedules, choices, canRun: hasRole(c, 'operator') };
    return render(c, <SureBackupPage {...page} />);
  })
  .get('/list', (c) => listFragment(c, filterOf(c)))
  .get('/stats', async (c) =>
    render(c, <VerificationStats stats={await verificationStatistics(c.get('deps').db)} />),
  )
  .get('/verify', requireRole('operator'), async (c) => {
    const choices = await verifyChoices(c.get('deps').db);
    const backup = Number(c.req.query('vm_backup')) || undefined;
    const ovf = Number(c.req.query('ovf_export')) || undefined;
    const source = ovf ? `ovf_export:${ovf}` : backup ? `vm_backup:${backup}` : undefined;
    return render(c, <VerifyDialog choices={choices} values={{ source }} />);
  })
  .get('/verify-datastores', requireRole('operator'), async (c) => {
    const { datastores } = await hostChoices(
      c.get('deps').db,
      Number(c.req.query('esxi_server')) || undefined,
    );
    return render(c, <TestDatastoreSelect datastores={datastores} />);
  })
  .post('/verify', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const form = await parseForm(c, verifyForm);
    const again = async (values: Record<string, unknown>, errors: FieldErrors) => {
      const choices = await verifyChoices(deps.db, Number(values.esxi_server) || undefined);
      const shown = {
        ...values,
        services: Array.isArray(values.services) ? values.services.join(', ') : values.services,
      };
      return render(c, <VerifyDialog choices={choices} values={shown as never} errors={errors} />, 400);
    };
    if (!form.ok) return again(form.values, form.errors);
    try {
      const body = { ...form.data, http_checks: [] };
      const row = await requestVerification(deps, body, c.get('user')?.id ?? null);
      const v = await verificationById(deps.db, row.id);
      const toast = { level: 'success', message: c.get('t')('surebackup.started', { name: v.backup_name }) };
      c.header(
        'HX-Trigger',
        hxTriggerValue({ 'operations-changed': true, 'verifications-changed': true, toast }),
      );
      return c.html('');
    } catch (err) {
      if (err instanceof InvalidInputError)
        return again(form.data, renderFields(c.get('t'), err.fields ?? {}));
      throw err;
    }
  })
  .get('/schedules', (c) => schedulesFragment(c))
  .post('/schedules', requireRole('operator'), async (c) => {
    const form = await parseForm(c, scheduleForm);
    if (!form.ok) return schedulesFragment(c, form);
    const { virtual_machine, esxi_server, ...rest } = form.data;
    try {
      const input = {
        ...rest,
        virtual_machine_id: virtual_machine,
        esxi_server_id: esxi_server,
        services: [],
        is_active: true,
      };
      await createSchedule(c.get('deps').db, input);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const values = Object.fromEntries(Object.entries(form.data).map(([k, v]) => [k, String(v ?? '')]));
      return schedulesFragment(c, { errors: renderFields(c.get('t'), err.fields ?? {}), values });
    }
    const toast = {
      level: 'success',
      message: c.get('t')('surebackup.schedule_created', { name: rest.name }),
    };
    c.header('HX-Trigger', hxTriggerValue({ toast }));
    return schedulesFragment(c);
  })
  .post('/schedules/:id/toggle', requireRole('operator'), async (c) => {
    const { db } = c.get('deps');
    const s = await scheduleById(db, idParam(c));
    await updateSchedule(db, s.id, { is_active: !s.is_active });
    return schedulesFragment(c);
  })
  .post('/schedules/:id/delete', requireRole('operator'), async (c) => {
    await deleteSchedule(c.get('deps').db, idParam(c));
    return schedulesFragment(c);
  })
  .get('/:id', async (c) =>
    render(c, <VerificationPage v={await verificationById(c.get('deps').db, idParam(c))} />),
  )
  .get('/:id/panel', async (c) =>
    render(c, <VerificationDetail v={await verificationById(c.get('deps').db, idParam(c))} />),
  )
  .post('/:id/delete', requireRole('operator'), async (c) => {
    const { db } = c.get('deps');
    const v = await verificationById(db, idParam(c));
    if (v.status === 'pending' || v.status === 'running')
      throw new ConflictError('verification_running', msg('surebackup.error.running'));
    await deleteVerification(db, v.id);
    c.header(
      'HX-Trigger',
      hxTriggerValue({ toast: { level: 'success', message: c.get('t')('surebackup.deleted') } }),
    );
    return listFragment(c, {});
  });
